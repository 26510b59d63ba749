using EpiGrid.Data;
using EpiGrid.Features.Alerts;
using EpiGrid.Features.Observation;
using EpiGrid.Features.People;
using EpiGrid.Features.Tasks;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Today;

/// <summary>
/// The grid worker's day on one page, most urgent first: open alerts, overdue tasks, checks due in the current slot,
/// then the other open tasks. A leader or supervisor sees their scope's.
/// </summary>
public sealed class TodayBoard(AppDbContext db, OfficeClock clock, IOptions<ObservationOptions> options)
{
    public enum Urgency { Alert, Overdue, DueSoon, Later }
    public sealed record Item(Urgency Urgency, string What, string Detail, Guid? PersonId, string? PersonName, DateTime? DueAt, Guid? TaskId, Guid? AlertId, bool CheckDue);

    public async Task<List<Item>> LoadAsync(System.Security.Claims.ClaimsPrincipal user, CancellationToken ct = default)
    {
        var now = clock.UtcNow;
        var items = new List<Item>();
        var names = new Dictionary<Guid, string>();

        var alerts = await db.Set<Alert>().AsNoTracking().Where(a => a.Status == AlertStatus.Open).OrderByDescending(a => a.CreatedAt).Take(50).ToListAsync(ct);
        items.AddRange(alerts.Select(a => new Item(Urgency.Alert, Alert.KindName(a.Kind), a.Subject, a.PersonId, null, a.CreatedAt, null, a.Id, false)));

        var tasks = await TasksApi.ItemsAsync(db, clock, TasksApi.Mine(db, user).Where(t => t.Status == WorkTaskStatus.Open).OrderBy(t => t.DueAt).Take(200), ct);
        foreach (var t in tasks)
        {
            items.Add(new Item(t.Overdue ? Urgency.Overdue : t.DueAt.UtcDateTime < now.AddHours(2) ? Urgency.DueSoon : Urgency.Later,
                WorkTask.KindName(t.Kind), t.Note ?? "", t.PersonId, t.PersonName, t.DueAt.UtcDateTime, t.Id, null, false));
        }

        // The slot now running (or, after the evening deadline, none until tomorrow's morning slot).
        var slot = Slots.Of(clock, options.Value, clock.Today).FirstOrDefault(s => now >= s.StartUtc && now <= s.DeadlineUtc);
        if (slot.DeadlineUtc != default)
        {
            var orders = await db.Set<QuarantineOrder>().AsNoTracking().Where(o => o.Status == QuarantineStatus.Active && o.StartsAt < slot.DeadlineUtc)
                .Join(db.Set<Person>(), o => o.PersonId, p => p.Id, (o, p) => new { o.PersonId, p.Name }).ToListAsync(ct);
            var ids = orders.Select(o => o.PersonId).ToList();
            var done = (await db.Set<HealthCheck>().AsNoTracking().Where(c => ids.Contains(c.PersonId) && c.TakenAt >= slot.StartUtc).Select(c => c.PersonId).ToListAsync(ct)).ToHashSet();
            var label = slot.Slot == CheckSlot.Morning ? "早间体温" : "晚间体温";
            foreach (var o in orders.Where(o => !done.Contains(o.PersonId)))
            {
                items.Add(new Item(slot.DeadlineUtc < now.AddHours(2) ? Urgency.DueSoon : Urgency.Later, label, $"{clock.Format(slot.DeadlineUtc)[11..]} 前测报",
                    o.PersonId, o.Name, slot.DeadlineUtc, null, null, true));
            }
        }

        var missing = items.Where(i => i.PersonId is not null && i.PersonName is null).Select(i => i.PersonId!.Value).Distinct().ToList();
        if (missing.Count > 0)
        {
            foreach (var p in await db.Set<Person>().AsNoTracking().Where(p => missing.Contains(p.Id)).Select(p => new { p.Id, p.Name }).ToListAsync(ct)) names[p.Id] = p.Name;
        }
        return [.. items.Select(i => i.PersonName is null && i.PersonId is { } pid && names.TryGetValue(pid, out var n) ? i with { PersonName = n } : i)
            .OrderBy(i => i.Urgency).ThenBy(i => i.DueAt)];
    }
}
