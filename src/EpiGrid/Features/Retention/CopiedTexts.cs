using EpiGrid.Data;
using EpiGrid.Features.Alerts;
using EpiGrid.Features.Observation;
using EpiGrid.Features.People;
using EpiGrid.Features.Supplies;
using EpiGrid.Features.Tasks;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Retention;

/// <summary>
/// The personal text other records copied out of a person's file, or out of a visitor's pass, removed with it (README
/// "Retention"). The rows stay — kind, area, times, status, outcome — so every count, board and report stays as it was;
/// the text becomes <see cref="AnonymiseExpired.Name"/> where the column needs one, else null. Runs inside the caller's
/// batch transaction.
/// </summary>
internal static class CopiedTexts
{
    private const string Anonymised = AnonymiseExpired.Name;

    /// <summary>
    /// Alerts: the subject (which names the person, their temperature, where they came from) and the note written when
    /// acknowledging or resolving; the queued copy of each webhook message (which repeats the subject) is emptied, and one
    /// not yet sent is given up (it has waited far past the day a message is retried). Kind, area, gate, person link,
    /// times and status stay.
    /// </summary>
    public static async Task AlertsAsync(AppDbContext db, IQueryable<Alert> alerts, DateTime now, CancellationToken ct)
    {
        await db.Set<AlertDelivery>().Where(d => d.Payload != "" && alerts.Any(a => a.Id == d.AlertId)).ExecuteUpdateAsync(u => u
            .SetProperty(d => d.Payload, "")
            .SetProperty(d => d.GaveUpAt, d => d.DeliveredAt == null && d.GaveUpAt == null ? now : d.GaveUpAt), ct);
        await alerts.Where(a => a.Subject != Anonymised || a.Note != null).ExecuteUpdateAsync(u => u
            .SetProperty(a => a.Subject, Anonymised)
            .SetProperty(a => a.Note, (string?)null), ct);
    }

    /// <summary>
    /// What the work around a person under watch wrote about them, removed with their name (<see cref="AnonymiseExpired"/>):
    /// the alerts about them; the tasks' and attempts' notes (a transfer names the other office, an attempt what was
    /// said); care notes; the clinic's outcome of a health check (temperature, symptoms and fever stay); the orders'
    /// closing note, extension reasons and site (a hotel, a room; kind, dates, status stay); the relation written on their contacts, on
    /// either side; their supply requests' address, items, notes, preferred time and cancel reason, and the link to the
    /// household (status, times, source and who delivered stay); their supply links are revoked and lose the household.
    /// </summary>
    public static async Task OfPeopleAsync(AppDbContext db, List<Guid> ids, DateTime now, CancellationToken ct)
    {
        // No index on an alert's person: one scan of the alerts per batch of people.
        await AlertsAsync(db, db.Set<Alert>().IgnoreQueryFilters().Where(a => a.PersonId != null && ids.Contains(a.PersonId.Value)), now, ct);
        await db.Set<WorkTask>().IgnoreQueryFilters().Where(t => ids.Contains(t.PersonId) && t.Note != null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.Note, (string?)null), ct);
        await db.Set<Attempt>().IgnoreQueryFilters().Where(a => ids.Contains(a.PersonId) && a.Note != null)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.Note, (string?)null), ct);
        await db.Set<CareRecord>().IgnoreQueryFilters().Where(c => ids.Contains(c.PersonId) && c.Note != Anonymised)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.Note, Anonymised), ct);
        await db.Set<HealthCheck>().IgnoreQueryFilters().Where(h => ids.Contains(h.PersonId) && h.ClinicOutcome != null)
            .ExecuteUpdateAsync(u => u.SetProperty(h => h.ClinicOutcome, (string?)null), ct);
        await db.Set<QuarantineOrder>().IgnoreQueryFilters().Where(o => ids.Contains(o.PersonId) && (o.ClosingNote != null || o.ExtensionReason != null || o.Site != null))
            .ExecuteUpdateAsync(u => u.SetProperty(o => o.ClosingNote, (string?)null).SetProperty(o => o.ExtensionReason, (string?)null).SetProperty(o => o.Site, (string?)null), ct);
        await db.Set<ContactLink>().IgnoreQueryFilters().Where(c => (ids.Contains(c.PersonId) || ids.Contains(c.SourcePersonId)) && c.Relation != null)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.Relation, (string?)null), ct);
        await db.Set<SupplyRequest>().IgnoreQueryFilters().Where(r => ids.Contains(r.PersonId)).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.DeliveryAddress, Anonymised)
            .SetProperty(r => r.Items, Anonymised)
            .SetProperty(r => r.Note, (string?)null)
            .SetProperty(r => r.PreferredTime, (string?)null)
            .SetProperty(r => r.DeliveryNote, (string?)null)
            .SetProperty(r => r.CancelReason, (string?)null)
            .SetProperty(r => r.HouseholdId, (Guid?)null), ct);
        await db.Set<SupplyLink>().IgnoreQueryFilters().Where(l => ids.Contains(l.PersonId)).ExecuteUpdateAsync(u => u
            .SetProperty(l => l.RevokedAt, l => l.RevokedAt ?? now)
            .SetProperty(l => l.HouseholdId, (Guid?)null), ct);
    }
}
