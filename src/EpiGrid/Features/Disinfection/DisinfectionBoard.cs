using EpiGrid.Data;
using EpiGrid.Platform;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Disinfection;

public enum SlotState { Done, Pending, Missed }

/// <summary>
/// What is due on a day: every slot of every active plan in scope, done (a record), pending (its deadline not yet
/// passed) or missed — grouped per community. Slots that ended before the plan was created count only when done.
/// </summary>
public sealed class DisinfectionBoard(AppDbContext db, OfficeClock clock)
{
    public sealed record SlotItem(Guid PlanId, string PlanName, Guid AreaId, int Slot, string Deadline, DateTimeOffset DeadlineAt,
        SlotState State, bool DueSoon, Guid? RecordId, DateTimeOffset? DoneAt, string? DoneBy, string Places, string Agent);

    public sealed record CommunityItem(Guid CommunityId, string CommunityName, int Scheduled, int Done, int Pending, int Missed, List<SlotItem> Slots);

    /// <summary>Pending slots whose deadline is this close are "due soon" (orange).</summary>
    public static readonly TimeSpan DueSoonWithin = TimeSpan.FromHours(2);

    /// <summary>The slots of a plan on a date that count: (slot number, deadline, deadline in UTC).</summary>
    public static IEnumerable<(int Slot, TimeOnly Deadline, DateTime DeadlineUtc)> Slots(DisinfectionPlan plan, DateOnly date, OfficeClock clock, bool beforeCreation = false)
    {
        if (!plan.IsActive || !plan.DueOn(date)) yield break;
        var deadlines = plan.Deadlines();
        for (var i = 0; i < deadlines.Length; i++)
        {
            var utc = TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(deadlines[i], DateTimeKind.Unspecified), clock.Zone);
            if (utc <= plan.CreatedAt && !beforeCreation) continue;
            yield return (i + 1, deadlines[i], utc);
        }
    }

    public async Task<List<CommunityItem>> ForDateAsync(DateOnly date, Guid? communityId = null, CancellationToken ct = default)
    {
        var q = db.Set<DisinfectionPlan>().AsNoTracking().Where(p => p.IsActive && p.StartDate <= date && (p.EndDate == null || p.EndDate >= date));
        if (communityId is { } c) q = q.Where(p => p.CommunityId == c);
        var plans = await q.OrderBy(p => p.Name).ToListAsync(ct);
        var planIds = plans.Select(p => p.Id).ToList();
        var records = await db.Set<DisinfectionRecord>().AsNoTracking().Where(r => r.PlanId != null && planIds.Contains(r.PlanId.Value) && r.Date == date).ToListAsync(ct);
        var byKey = records.Where(r => r.Slot is not null).ToDictionary(r => (r.PlanId!.Value, r.Slot!.Value));
        var communityIds = plans.Select(p => p.CommunityId).Distinct().ToList();
        // Names only, in a query of their own: a compound-level user may not have the community in scope.
        var names = await db.Areas.IgnoreQueryFilters().AsNoTracking().Where(a => communityIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => new { a.Name, a.Code }, ct);
        var now = clock.UtcNow;
        var result = new List<CommunityItem>();
        foreach (var group in plans.GroupBy(p => p.CommunityId).OrderBy(g => names.GetValueOrDefault(g.Key)?.Code))
        {
            var slots = new List<SlotItem>();
            foreach (var plan in group)
            {
                foreach (var (slot, deadline, utc) in Slots(plan, date, clock, beforeCreation: true))
                {
                    var rec = byKey.GetValueOrDefault((plan.Id, slot));
                    // A slot that ended before the plan existed counts only if someone did it anyway.
                    if (rec is null && utc <= plan.CreatedAt) continue;
                    var state = rec is not null ? SlotState.Done : now >= utc ? SlotState.Missed : SlotState.Pending;
                    slots.Add(new SlotItem(plan.Id, plan.Name, plan.AreaId, slot, deadline.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                        clock.WithOffset(utc), state, state == SlotState.Pending && utc - now <= DueSoonWithin, rec?.Id,
                        rec is null ? null : clock.WithOffset(rec.DoneAt), rec?.DoneBy, plan.Places, plan.Agent));
                }
            }
            if (slots.Count == 0) continue;
            result.Add(new CommunityItem(group.Key, names.GetValueOrDefault(group.Key)?.Name ?? "", slots.Count,
                slots.Count(s => s.State == SlotState.Done), slots.Count(s => s.State == SlotState.Pending), slots.Count(s => s.State == SlotState.Missed),
                [.. slots.OrderBy(s => s.DeadlineAt).ThenBy(s => s.PlanName)]));
        }
        return result;
    }
}
