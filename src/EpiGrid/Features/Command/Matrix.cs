using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Command;

/// <summary>
/// The responsibility matrix (包抓) of the caller's scope: for each compound, who answers for it; the compounds
/// nobody covers (gaps); and for each leader or cadre, their compounds.
/// </summary>
public sealed class Matrix(AppDbContext db)
{
    public sealed record Person(Guid UserId, string Name, ResponsibilityRole Role);
    public sealed record CompoundRow(Guid CompoundId, string CompoundName, string CommunityName, IReadOnlyList<Person> People)
    {
        public bool IsGap => People.Count == 0;
    }
    public sealed record CadreRow(Guid UserId, string Name, IReadOnlyList<(Guid Id, string Name, ResponsibilityRole Role)> Compounds);

    public async Task<List<CompoundRow>> CompoundsAsync(CancellationToken ct = default)
    {
        var compounds = await db.Areas.AsNoTracking().Where(a => a.Kind == AreaKind.Compound)
            .OrderBy(x => x.Code).Select(c => new { c.Id, c.Name, c.Code, c.ParentId }).ToListAsync(ct);
        // The communities by name, in a query of their own: a user scoped to a compound still sees its community's name.
        var parentIds = compounds.Select(c => c.ParentId).Distinct().ToList();
        var parents = await db.Areas.IgnoreQueryFilters().AsNoTracking().Where(a => parentIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var lines = await db.Set<Responsibility>().AsNoTracking()
            .Join(db.Users, r => r.UserId, u => u.Id, (r, u) => new { r.CompoundId, r.UserId, u.DisplayName, r.Role })
            .ToListAsync(ct);
        var byCompound = lines.ToLookup(l => l.CompoundId);
        return [.. compounds.Select(c => new CompoundRow(c.Id, c.Name, parents.GetValueOrDefault(c.ParentId ?? Guid.Empty, ""),
            [.. byCompound[c.Id].OrderBy(l => l.Role).Select(l => new Person(l.UserId, l.DisplayName, l.Role))]))];
    }

    public async Task<List<CadreRow>> CadresAsync(CancellationToken ct = default)
    {
        var rows = await CompoundsAsync(ct);
        return [.. rows.SelectMany(r => r.People.Select(p => (p, r)))
            .GroupBy(x => (x.p.UserId, x.p.Name))
            .OrderBy(g => g.Key.Name)
            .Select(g => new CadreRow(g.Key.UserId, g.Key.Name, [.. g.Select(x => (x.r.CompoundId, x.r.CompoundName, x.p.Role))]))];
    }
}
