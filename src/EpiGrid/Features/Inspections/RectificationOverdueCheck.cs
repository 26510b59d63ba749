using EpiGrid.Data;
using EpiGrid.Features.Alerts;
using EpiGrid.Platform;
using EpiGrid.Platform.Jobs;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Inspections;

/// <summary>
/// A rectification order still open after its deadline day raises one <see cref="AlertKind.Overdue"/> alert at the
/// premises' compound (dedupe <c>rectification-overdue:{id}</c>).
/// </summary>
public sealed class RectificationOverdueCheck(AppDbContext db, TimeProvider time, OfficeClock clock) : IPeriodicCheck
{
    public static string DedupeKey(Guid id) => $"rectification-overdue:{id}";

    public async Task RunAsync(CancellationToken ct)
    {
        var today = clock.Today;
        var overdue = await db.Set<Rectification>()
            .Where(r => r.Status == RectificationStatus.Open && r.Deadline < today)
            .Join(db.Set<Premises>(), r => r.PremisesId, p => p.Id, (r, p) => new { r.Id, r.Deadline, r.CompoundId, p.Name })
            .ToListAsync(ct);
        if (overdue.Count == 0) return;
        var keys = overdue.Select(o => DedupeKey(o.Id)).ToList();
        var raised = (await db.Set<Alert>().Where(a => keys.Contains(a.DedupeKey!)).Select(a => a.DedupeKey!).ToListAsync(ct)).ToHashSet();
        foreach (var o in overdue.Where(o => !raised.Contains(DedupeKey(o.Id))))
        {
            await RaiseAlert.AddAsync(db, time, AlertKind.Overdue,
                $"{o.Name}整改通知已超期（整改期限 {o.Deadline:yyyy-MM-dd}），尚未复查合格", o.CompoundId, dedupeKey: DedupeKey(o.Id), ct: ct);
        }
        await db.SaveChangesAsync(ct);
    }
}
