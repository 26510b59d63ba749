using EpiGrid.Data;
using EpiGrid.Features.Alerts;
using EpiGrid.Features.People;
using EpiGrid.Features.Tasks;
using EpiGrid.Platform;
using EpiGrid.Platform.Audit;
using EpiGrid.Platform.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Observation;

/// <summary>The morning and evening slots of a day, in UTC: a slot is met by a check from its start to its deadline.</summary>
public static class Slots
{
    public static IEnumerable<(CheckSlot Slot, DateTime StartUtc, DateTime DeadlineUtc)> Of(OfficeClock clock, ObservationOptions o, DateOnly day)
    {
        var start = clock.StartOfDayUtc(day);
        yield return (CheckSlot.Morning, start, start + o.MorningDeadline.ToTimeSpan());
        yield return (CheckSlot.Evening, start.AddHours(12), start + o.EveningDeadline.ToTimeSpan());
    }
}

/// <summary>
/// A slot that passed with no check: one Overdue alert and one task per order, day and slot — however often the
/// rule runs (dedupe keys), on however many nodes.
/// </summary>
public sealed class MissedCheckRule(AppDbContext db, OfficeClock clock, TimeProvider time, AssignTasks tasks, IOptions<ObservationOptions> options) : IPeriodicCheck
{
    public async Task RunAsync(CancellationToken ct)
    {
        var now = clock.UtcNow;
        var orders = await db.Set<QuarantineOrder>().AsNoTracking().Where(o => o.Status == QuarantineStatus.Active && o.StartsAt < now)
            .Join(db.Set<Person>(), o => o.PersonId, p => p.Id, (o, p) => new { o.Id, o.PersonId, o.CompoundId, o.StartsAt, o.EndsAt, p.Name }).ToListAsync(ct);
        if (orders.Count == 0) return;
        var since = clock.StartOfDayUtc(clock.Today.AddDays(-1));
        var ids = orders.Select(o => o.PersonId).ToList();
        var checks = (await db.Set<HealthCheck>().AsNoTracking().Where(c => ids.Contains(c.PersonId) && c.TakenAt >= since)
            .Select(c => new { c.PersonId, c.TakenAt }).ToListAsync(ct)).ToLookup(c => c.PersonId, c => c.TakenAt);
        foreach (var day in new[] { clock.Today.AddDays(-1), clock.Today })
        {
            foreach (var (slot, start, deadline) in Slots.Of(clock, options.Value, day))
            {
                if (deadline > now) continue;
                foreach (var o in orders.Where(o => o.StartsAt < deadline && o.EndsAt > deadline))
                {
                    if (checks[o.PersonId].Any(t => t >= start && t <= deadline)) continue;
                    var key = $"missed:{o.Id:N}:{day:yyyyMMdd}:{slot}";
                    var label = slot == CheckSlot.Morning ? "早" : "晚";
                    await RaiseAlert.AddAsync(db, time, AlertKind.Overdue, $"{o.Name} {day:M月d日}{label}间体温未测报", o.CompoundId, dedupeKey: key, personId: o.PersonId, ct: ct);
                    await tasks.AddAsync(TaskKind.MissedCheck, o.PersonId, o.CompoundId, now.AddHours(2), key, $"{day:M月d日}{label}间体温未测报，请补测", ct);
                }
            }
        }
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>
/// Releases every active order whose end has come. Written as a due-query with a guarded update per order, so two
/// nodes running it at once release each order once (the one whose update changed the row writes the audit line).
/// </summary>
public sealed class ReleaseRule(AppDbContext db, OfficeClock clock) : IPeriodicCheck
{
    public async Task RunAsync(CancellationToken ct)
    {
        var now = clock.UtcNow;
        var due = await db.Set<QuarantineOrder>().AsNoTracking().Where(o => o.Status == QuarantineStatus.Active && o.EndsAt <= now)
            .Select(o => new { o.Id, o.PersonId, o.EndsAt }).ToListAsync(ct);
        foreach (var o in due)
        {
            var changed = await db.Set<QuarantineOrder>().Where(x => x.Id == o.Id && x.Status == QuarantineStatus.Active)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, QuarantineStatus.Released).SetProperty(x => x.ClosedAt, o.EndsAt)
                    .SetProperty(x => x.ClosingNote, "期满自动解除"), ct);
            if (changed == 0) continue;
            var stillUnder = await db.Set<QuarantineOrder>().AnyAsync(x => x.PersonId == o.PersonId && x.Status == QuarantineStatus.Active, ct);
            if (!stillUnder)
            {
                await db.Set<Person>().Where(p => p.Id == o.PersonId && p.Status == PersonStatus.Active)
                    .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, PersonStatus.Released).SetProperty(p => p.UpdatedAt, now), ct);
            }
            Platform.Audit.AuditLog.Event(db, "Release", nameof(QuarantineOrder), o.Id.ToString(), new { personId = o.PersonId, endsAt = o.EndsAt });
            await db.SaveChangesAsync(ct);
        }
    }
}
