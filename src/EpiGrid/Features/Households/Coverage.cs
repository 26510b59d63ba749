using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Households;

/// <summary>
/// Screening coverage: per compound, the share of its households screened in the last N days — the office's
/// first measure of whether the net has holes. Two grouped queries, whatever the number of compounds.
/// </summary>
public sealed class Coverage(AppDbContext db, OfficeClock clock)
{
    public sealed record Row(Guid CompoundId, string Compound, string Community, int Households, int Screened)
    {
        public double Rate => Households == 0 ? 0 : (double)Screened / Households;
    }

    public async Task<List<Row>> ByCompoundAsync(int days = 7, CancellationToken ct = default)
    {
        var since = clock.UtcNow.AddDays(-days);
        // A deregistered household is no longer one to screen: counted neither in the households nor in the screened.
        var totals = await db.Set<Household>().Where(h => h.DeregisteredAt == null).GroupBy(h => h.CompoundId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var screened = await db.Set<Household>().Where(h => h.DeregisteredAt == null && h.LastScreenedAt >= since).GroupBy(h => h.CompoundId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var compounds = await db.Areas.AsNoTracking().Where(a => a.Kind == AreaKind.Compound).OrderBy(a => a.Code)
            .Select(a => new { a.Id, a.Name, a.ParentId }).ToListAsync(ct);
        var parentIds = compounds.Select(c => c.ParentId).Distinct().ToList();
        var parents = await db.Areas.IgnoreQueryFilters().AsNoTracking().Where(a => parentIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        return [.. compounds.Select(c => new Row(c.Id, c.Name, parents.GetValueOrDefault(c.ParentId ?? Guid.Empty, ""),
            totals.GetValueOrDefault(c.Id), screened.GetValueOrDefault(c.Id)))];
    }
}
