using EpiGrid.Data;
using EpiGrid.Features.Alerts;
using EpiGrid.Platform;
using EpiGrid.Platform.Jobs;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Disinfection;

/// <summary>
/// A planned slot with no record by its deadline raises one <see cref="AlertKind.Overdue"/> alert at the plan's area
/// (dedupe <c>disinfection-missed:{planId}:{yyyyMMdd}:{slot}</c>). Looks at today and yesterday, so a restart
/// around midnight misses nothing and a new installation does not raise the whole past.
/// </summary>
public sealed class DisinfectionMissedCheck(AppDbContext db, TimeProvider time, OfficeClock clock) : IPeriodicCheck
{
    public static string DedupeKey(Guid planId, DateOnly date, int slot) =>
        $"disinfection-missed:{planId}:{date:yyyyMMdd}:{slot}";

    public async Task RunAsync(CancellationToken ct)
    {
        var now = clock.UtcNow;
        var today = clock.Today;
        var yesterday = today.AddDays(-1);
        var plans = await db.Set<DisinfectionPlan>().AsNoTracking()
            .Where(p => p.IsActive && p.StartDate <= today && (p.EndDate == null || p.EndDate >= yesterday)).ToListAsync(ct);
        if (plans.Count == 0) return;
        var planIds = plans.Select(p => p.Id).ToList();
        var done = (await db.Set<DisinfectionRecord>().AsNoTracking()
                .Where(r => r.PlanId != null && planIds.Contains(r.PlanId.Value) && (r.Date == today || r.Date == yesterday) && r.Slot != null)
                .Select(r => new { PlanId = r.PlanId!.Value, r.Date, Slot = r.Slot!.Value }).ToListAsync(ct))
            .Select(r => (r.PlanId, r.Date, r.Slot)).ToHashSet();

        var missed = new List<(DisinfectionPlan Plan, DateOnly Date, int Slot, TimeOnly Deadline, string Key)>();
        foreach (var plan in plans)
        {
            foreach (var date in new[] { yesterday, today })
            {
                foreach (var (slot, deadline, utc) in DisinfectionBoard.Slots(plan, date, clock))
                {
                    if (utc > now || done.Contains((plan.Id, date, slot))) continue;
                    missed.Add((plan, date, slot, deadline, DedupeKey(plan.Id, date, slot)));
                }
            }
        }
        if (missed.Count == 0) return;
        var keys = missed.Select(m => m.Key).ToList();
        var raised = (await db.Set<Alert>().Where(a => keys.Contains(a.DedupeKey!)).Select(a => a.DedupeKey!).ToListAsync(ct)).ToHashSet();
        foreach (var m in missed.Where(m => !raised.Contains(m.Key)))
        {
            await RaiseAlert.AddAsync(db, time, AlertKind.Overdue,
                $"{m.Plan.Name}：{m.Date:yyyy-MM-dd} 第 {m.Slot} 次消杀（{m.Deadline:HH\\:mm}前）未完成", m.Plan.AreaId, dedupeKey: m.Key, ct: ct);
        }
        await db.SaveChangesAsync(ct);
    }
}
