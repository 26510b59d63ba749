using EpiGrid.Data;
using EpiGrid.Features.Alerts;
using EpiGrid.Features.Gates;
using EpiGrid.Features.Households;
using EpiGrid.Features.Observation;
using EpiGrid.Features.People;
using EpiGrid.Features.Supplies;
using EpiGrid.Features.Tasks;
using EpiGrid.Platform;
using EpiGrid.Platform.Audit;
using EpiGrid.Platform.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Retention;

/// <summary>
/// Retention (<c>EpiGrid__Retention__Days</c>, README): once a person's observation has ended — the person is no longer <c>Active</c>
/// and no quarantine order runs — and the retention period (<c>EpiGrid:Retention:Days</c>, default 180) has passed
/// since its end; or, left <c>Active</c> with no running order, once the period has passed since the last step of the
/// work on them (their file changed, an order, a health check, a task or an attempt): their personal details are removed
/// (de-identification: the record stays, without what names the person): name, ID number and phone (cipher, hash, last 4 and masked
/// form all replaced by neutral values), address, travel (from, trip number, companions), transfer details, note,
/// and their link from gate passes (movements) — also the passes made as a resident of the register, which lose their
/// link to that resident's row (its name, masked ID number and phone) — and the links between the file and the register
/// (the household, the resident row that pointed at the person) — and the text other records copied from the file
/// (<see cref="CopiedTexts.OfPeopleAsync"/>: alerts and their webhook messages, tasks' and attempts' notes, care notes,
/// clinic outcomes, orders' notes, contacts' relation, supply requests). The record stays — compound, categories, status, dates,
/// orders, checks — so every count and report stays as it was. One <c>Anonymise</c> audit event per person; the audit log
/// itself is not rewritten and is never pruned. Runs with SQLite's secure delete (<see cref="SecureErase"/>). The other
/// kinds of records are <see cref="PurgeExpired"/>'s.
/// </summary>
public sealed class AnonymiseExpired(AppDbContext db, TimeProvider time, IOptions<EpiGridOptions> options, ILogger<AnonymiseExpired> logger) : IPeriodicCheck
{
    /// <summary>What a removed name or text reads: de-identified, not anonymised (the record, its dates and area stay).</summary>
    public const string Name = "已去标识化";
    /// <summary>The marker before it was reworded; <see cref="RunOnceAsync"/> rewrites the records that still carry it.</summary>
    public const string LegacyName = "已匿名";
    private const int Batch = 200;

    public async Task RunAsync(CancellationToken ct) => await RunOnceAsync(ct);

    /// <summary>Anonymises every expired person; returns how many.</summary>
    public Task<int> RunOnceAsync(CancellationToken ct = default) => SecureErase.RunAsync(db, logger, async () =>
    {
        await RewordAsync(ct);
        return await AnonymiseAsync(ct);
    }, ct);

    /// <summary>People de-identified under the old marker: the new one, on the file and on the texts copied from it (the
    /// purge's re-reading does the same for passes, alerts and complaints).</summary>
    private async Task RewordAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        while (true)
        {
            var ids = await db.Set<Person>().IgnoreQueryFilters().AsNoTracking().Where(p => p.AnonymisedAt != null && p.Name == LegacyName)
                .OrderBy(p => p.Id).Select(p => p.Id).Take(Batch).ToListAsync(ct);
            if (ids.Count == 0) return;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Set<Person>().IgnoreQueryFilters().Where(p => ids.Contains(p.Id))
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.Name, Name).SetProperty(p => p.IdNumberMasked, Name), ct);
            await CopiedTexts.OfPeopleAsync(db, ids, now, ct);
            await tx.CommitAsync(ct);
        }
    }

    private async Task<int> AnonymiseAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var cutoff = now.AddDays(-Math.Max(0, options.Value.Retention.Days));
        var total = 0;
        while (true)
        {
            // The end of observation: the latest order's close (or planned end); with no order, the last change
            // to the person (their release, transfer or closing). Left Active with no running order: nothing done on
            // them for the period (orders, checks, tasks, care, supplies asked or open, a working supply link, an alert
            // still open or raised, a pass at the gate) (nobody observes them any more); one under a running order is never due.
            var ids = await db.Set<Person>().AsNoTracking()
                .Where(p => p.AnonymisedAt == null)
                .Where(p => !db.Set<QuarantineOrder>().Any(o => o.PersonId == p.Id && o.Status == QuarantineStatus.Active))
                .Where(p => (db.Set<QuarantineOrder>().Where(o => o.PersonId == p.Id).Max(o => (DateTime?)(o.ClosedAt ?? o.EndsAt)) ?? p.UpdatedAt) <= cutoff
                    && p.UpdatedAt <= cutoff)
                .Where(p => p.Status != PersonStatus.Active
                    || (p.CreatedAt <= cutoff
                        && !db.Set<QuarantineOrder>().Any(o => o.PersonId == p.Id && o.CreatedAt > cutoff)
                        && !db.Set<HealthCheck>().Any(h => h.PersonId == p.Id && h.TakenAt > cutoff)
                        && !db.Set<WorkTask>().IgnoreQueryFilters().Any(t => t.PersonId == p.Id
                            && (t.CreatedAt > cutoff || t.DoneAt > cutoff || db.Set<Attempt>().IgnoreQueryFilters().Any(a => a.TaskId == t.Id && a.At > cutoff)))
                        && !db.Set<CareRecord>().IgnoreQueryFilters().Any(c => c.PersonId == p.Id && c.At > cutoff)
                        && !db.Set<SupplyRequest>().IgnoreQueryFilters().Any(r => r.PersonId == p.Id
                            && (r.Status == SupplyStatus.Open || r.Status == SupplyStatus.Assigned || r.RequestedAt > cutoff || r.AssignedAt > cutoff || r.DeliveredAt > cutoff))
                        && !db.Set<SupplyLink>().IgnoreQueryFilters().Any(l => l.PersonId == p.Id && l.RevokedAt == null && l.ExpiresAt > now)
                        && !db.Set<Alert>().IgnoreQueryFilters().Any(a => a.PersonId == p.Id && (a.Status != AlertStatus.Resolved || a.CreatedAt > cutoff))
                        && !db.Set<GatePass>().IgnoreQueryFilters().Any(g => g.PersonId == p.Id && g.TakenAt > cutoff)))
                .OrderBy(p => p.Id).Select(p => p.Id).Take(Batch).ToListAsync(ct);
            if (ids.Count == 0) return total;

            await using var tx = await db.Database.BeginTransactionAsync(ct);
            foreach (var id in ids)
            {
                var neutral = "anon:" + id.ToString("N");
                await db.Set<Person>().Where(p => p.Id == id).ExecuteUpdateAsync(u => u
                    .SetProperty(p => p.Name, Name)
                    .SetProperty(p => p.IdNumberCipher, "")
                    .SetProperty(p => p.IdNumberHash, neutral) // unique column: a neutral value per record
                    .SetProperty(p => p.IdNumberLast4, "")
                    .SetProperty(p => p.IdNumberMasked, Name)
                    .SetProperty(p => p.PhoneCipher, (string?)null)
                    .SetProperty(p => p.PhoneHash, (string?)null)
                    .SetProperty(p => p.PhoneLast4, (string?)null)
                    .SetProperty(p => p.PhoneMasked, (string?)null)
                    .SetProperty(p => p.Address, "")
                    .SetProperty(p => p.TravelFrom, (string?)null)
                    .SetProperty(p => p.TripNumber, (string?)null)
                    .SetProperty(p => p.Companions, (string?)null)
                    .SetProperty(p => p.TransferredTo, (string?)null)
                    .SetProperty(p => p.TransferredBy, (string?)null)
                    .SetProperty(p => p.Note, (string?)null)
                    .SetProperty(p => p.HouseholdId, (Guid?)null)
                    .SetProperty(p => p.AnonymisedAt, now), ct);
                Platform.Audit.AuditLog.Event(db, "Anonymise", nameof(Person), id.ToString(), new { retentionDays = options.Value.Retention.Days });
            }
            // Movements: the people's gate passes stay (the gates' counts), without the link to them, their name, or the ID
            // number and phone a visitor pass carried (else the person could be found again by its hash or last 4). One
            // statement for the batch, on the PersonId index.
            // A pass made as a resident of the register (its ResidentId) would still show that resident's name, masked ID number
            // and phone: that link goes too, as does the resident row's link to the person (the register itself stays while
            // the household is registered, PurgeExpired).
            await db.Set<GatePass>().IgnoreQueryFilters().Where(g => g.PersonId != null && ids.Contains(g.PersonId.Value)).ExecuteUpdateAsync(u => u
                .SetProperty(g => g.PersonId, (Guid?)null)
                .SetProperty(g => g.ResidentId, (Guid?)null)
                .SetProperty(g => g.PassCardId, (Guid?)null) // the household's card leads back to the register's names
                .SetProperty(g => g.Plate, (string?)null)
                .SetProperty(g => g.ApprovalReason, (string?)null)
                .SetProperty(g => g.Name, Name)
                .SetProperty(g => g.VisitorIdNumberCipher, (string?)null)
                .SetProperty(g => g.VisitorIdNumberHash, (string?)null)
                .SetProperty(g => g.VisitorIdNumberLast4, (string?)null)
                .SetProperty(g => g.VisitorIdNumberMasked, (string?)null)
                .SetProperty(g => g.VisitorPhoneCipher, (string?)null)
                .SetProperty(g => g.VisitorPhoneHash, (string?)null)
                .SetProperty(g => g.VisitorPhoneLast4, (string?)null)
                .SetProperty(g => g.VisitorPhoneMasked, (string?)null)
                .SetProperty(g => g.VisitorFrom, (string?)null)
                .SetProperty(g => g.VisitorTo, (string?)null), ct);
            await db.Set<Resident>().IgnoreQueryFilters().Where(r => r.PersonId != null && ids.Contains(r.PersonId.Value))
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.PersonId, (Guid?)null), ct);
            // The text other records copied from the file: alerts and their webhook messages, tasks, attempts, care,
            // clinic outcomes, orders' notes, contacts' relation, supply requests and links.
            await CopiedTexts.OfPeopleAsync(db, ids, now, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            total += ids.Count;
        }
    }
}
