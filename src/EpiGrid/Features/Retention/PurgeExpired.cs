using EpiGrid.Data;
using EpiGrid.Features.Alerts;
using EpiGrid.Features.Complaints;
using EpiGrid.Features.Disinfection;
using EpiGrid.Features.Gates;
using EpiGrid.Features.Households;
using EpiGrid.Features.Imports;
using EpiGrid.Features.SelfRegistration;
using EpiGrid.Platform;
using EpiGrid.Platform.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Retention;

/// <summary>
/// Retention of the records that are not a person under watch (README "Retention"; the person's file is
/// <see cref="AnonymiseExpired"/>'s), each kind after its own period (<c>EpiGrid:Retention:…</c>). Where a record is
/// counted, its personal fields are removed and the row stays, so every count stays as it was: a visitor's gate pass
/// (the gates' counts), a closed complaint (the hotline's statistics), and the texts copied from them into alerts,
/// webhook messages and disinfection records; a household visit's note. Where it is a working copy, it is deleted: a
/// reviewed or expired self-registration, an import's rows, row errors and encrypted file (the import keeps its counts),
/// a resident no longer living in the household. Batched, idempotent; every batch is one transaction with one
/// <c>Retention</c> audit event carrying the kind, the count and the period — never personal text. Runs with SQLite's
/// secure delete (<see cref="SecureErase"/>).
/// </summary>
public sealed class PurgeExpired(AppDbContext db, TimeProvider time, IOptions<EpiGridOptions> options, ImportFiles files) : IPeriodicCheck
{
    private const int Batch = 500;
    private const int RowBatch = 5000;
    private static readonly string Anonymised = AnonymiseExpired.Name;

    /// <summary>What one run removed, per kind of record.</summary>
    public sealed record Counts(int VisitorPasses, int GateFeverAlerts, int Registrations, int Residents, int Imports, int Complaints, int VisitNotes,
        int Households = 0, int ResidentPasses = 0)
    {
        public int Total => VisitorPasses + GateFeverAlerts + Registrations + Residents + Imports + Complaints + VisitNotes + Households + ResidentPasses;
    }

    public async Task RunAsync(CancellationToken ct) => await RunOnceAsync(ct);

    public Task<Counts> RunOnceAsync(CancellationToken ct = default) => SecureErase.RunAsync(db, async () =>
    {
        var now = time.GetUtcNow().UtcDateTime;
        var o = options.Value.Retention;
        return new Counts(
            await VisitorPassesAsync(now.AddDays(-Math.Max(0, o.VisitorPassDays)), o.VisitorPassDays, now, ct),
            await GateFeverAlertsAsync(now.AddDays(-Math.Max(0, o.VisitorPassDays)), o.VisitorPassDays, now, ct),
            await RegistrationsAsync(now.AddDays(-Math.Max(0, o.RegistrationDays)), o.RegistrationDays, ct),
            await ResidentsAsync(ct),
            await ImportsAsync(now.AddDays(-Math.Max(0, o.ImportDays)), o.ImportDays, ct),
            await ComplaintsAsync(now.AddDays(-Math.Max(0, o.ClosedComplaintDays)), o.ClosedComplaintDays, ct),
            await VisitNotesAsync(now.AddDays(-Math.Max(0, o.Days)), o.Days, ct),
            await DeregisteredHouseholdsAsync(now.AddDays(-Math.Max(0, o.ResidentDays)), o.ResidentDays, ct),
            await ResidentPassesAsync(now.AddDays(-Math.Max(0, o.ResidentPassDays)), o.ResidentPassDays, ct));
    }, ct);

    private async Task<int> InBatchesAsync<TKey>(Func<Task<List<TKey>>> next, Func<List<TKey>, Task> purge, string entity, string kind, int days, CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var ids = await next();
            if (ids.Count == 0) return total;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await purge(ids);
            Platform.Audit.AuditLog.Event(db, "Retention", entity, kind, new { count = ids.Count, days });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            total += ids.Count;
        }
    }

    /// <summary>A visitor's pass: the name, ID number, phone, from, to, plate and reason go; gate, time, direction,
    /// temperature, outcome stay (and the link to a person under watch, until that person is anonymised). A fever at the
    /// gate raised an alert naming the visitor and where they came from: its texts and webhook message go with the pass,
    /// even when the visitor is also a person under watch (whose own alerts go with their file).</summary>
    private Task<int> VisitorPassesAsync(DateTime cutoff, int days, DateTime now, CancellationToken ct) => InBatchesAsync(
        () => db.Set<GatePass>().IgnoreQueryFilters()
            .Where(g => g.Visitor && g.TakenAt <= cutoff)
            .Where(g => g.Name != Anonymised || g.VisitorIdNumberCipher != null || g.VisitorIdNumberHash != null || g.VisitorPhoneCipher != null
                || g.VisitorFrom != null || g.VisitorTo != null || g.Plate != null || g.ApprovalReason != null)
            .OrderBy(g => g.TakenAt).Select(g => g.Id).Take(Batch).ToListAsync(ct),
        async ids =>
        {
            var keys = (await db.Set<GatePass>().IgnoreQueryFilters().Where(g => ids.Contains(g.Id) && g.Fever).Select(g => g.Id).ToListAsync(ct))
                .Select(RecordPass.FeverKey).ToList();
            if (keys.Count > 0) await CopiedTexts.AlertsAsync(db, db.Set<Alert>().IgnoreQueryFilters().Where(a => keys.Contains(a.DedupeKey!)), now, ct);
            await db.Set<GatePass>().IgnoreQueryFilters().Where(g => ids.Contains(g.Id)).ExecuteUpdateAsync(u => u
            .SetProperty(g => g.Name, Anonymised)
            .SetProperty(g => g.VisitorIdNumberCipher, (string?)null)
            .SetProperty(g => g.VisitorIdNumberHash, (string?)null)
            .SetProperty(g => g.VisitorIdNumberLast4, (string?)null)
            .SetProperty(g => g.VisitorIdNumberMasked, (string?)null)
            .SetProperty(g => g.VisitorPhoneCipher, (string?)null)
            .SetProperty(g => g.VisitorPhoneHash, (string?)null)
            .SetProperty(g => g.VisitorPhoneLast4, (string?)null)
            .SetProperty(g => g.VisitorPhoneMasked, (string?)null)
            .SetProperty(g => g.VisitorFrom, (string?)null)
            .SetProperty(g => g.VisitorTo, (string?)null)
            .SetProperty(g => g.Plate, (string?)null)
            .SetProperty(g => g.ApprovalReason, (string?)null), ct);
        },
        nameof(GatePass), "visitor", days, ct);

    /// <summary>A fever at the gate of someone with no file (a resident of the register without an ID number; a visitor):
    /// the alert names them and nothing else keeps it; it goes with the gate passes' period. With a file, the alert goes
    /// with the person (<see cref="AnonymiseExpired"/>).</summary>
    private Task<int> GateFeverAlertsAsync(DateTime cutoff, int days, DateTime now, CancellationToken ct) => InBatchesAsync(
        () => db.Set<Alert>().IgnoreQueryFilters()
            .Where(a => a.Kind == AlertKind.Fever && a.PersonId == null && a.DedupeKey!.StartsWith(RecordPass.FeverKeyPrefix) && a.CreatedAt <= cutoff)
            .Where(a => a.Subject != Anonymised || a.Note != null)
            .OrderBy(a => a.Id).Select(a => a.Id).Take(Batch).ToListAsync(ct),
        ids => CopiedTexts.AlertsAsync(db, db.Set<Alert>().IgnoreQueryFilters().Where(a => ids.Contains(a.Id)), now, ct),
        nameof(Alert), "gateFever", days, ct);

    /// <summary>A self-registration confirmed or rejected that long ago, or never reviewed and submitted that long ago:
    /// deleted (a confirmed one lives on as the person under watch).</summary>
    private Task<int> RegistrationsAsync(DateTime cutoff, int days, CancellationToken ct) => InBatchesAsync(
        () => db.Set<PendingRegistration>().IgnoreQueryFilters()
            .Where(r => r.Status == RegistrationStatus.Pending ? r.SubmittedAt <= cutoff : (r.ReviewedAt ?? r.SubmittedAt) <= cutoff)
            .OrderBy(r => r.Id).Select(r => r.Id).Take(Batch).ToListAsync(ct),
        ids => db.Set<PendingRegistration>().IgnoreQueryFilters().Where(r => ids.Contains(r.Id)).ExecuteDeleteAsync(ct),
        nameof(PendingRegistration), "deleted", days, ct);

    /// <summary>
    /// A resident who moved out (<see cref="Resident.MovedOutAt"/>, set by the move-out and by a household's deregistration)
    /// <c>ResidentDays</c> ago: the row is deleted (households count only residents living there), and the passes made as
    /// that resident lose the link and the name. Until then the move-out can be undone.
    /// </summary>
    private Task<int> ResidentsAsync(CancellationToken ct)
    {
        var days = options.Value.Retention.ResidentDays;
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-Math.Max(0, days));
        return InBatchesAsync(
            () => db.Set<Resident>().IgnoreQueryFilters().Where(r => r.MovedOut && r.MovedOutAt <= cutoff).OrderBy(r => r.Id).Select(r => r.Id).Take(Batch).ToListAsync(ct),
            ids => DeleteResidentsAsync(ids, ct),
            nameof(Resident), "movedOut", days, ct);
    }

    /// <summary>
    /// An import that ended (completed or failed; a draft never started: uploaded) that long ago: its rows and row errors
    /// are deleted (in chunks) and its encrypted file removed from disk; the import itself stays with its counts and
    /// headings, so the imports' summaries stay. A draft becomes Failed (its file is gone).
    /// </summary>
    private async Task<int> ImportsAsync(DateTime cutoff, int days, CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var job = await db.Set<ImportJob>().IgnoreQueryFilters()
                .Where(i => (i.Status == ImportStatus.Completed || i.Status == ImportStatus.Failed || i.Status == ImportStatus.Draft)
                    && (i.CompletedAt ?? i.CreatedAt) <= cutoff && i.StoredName != "")
                .OrderBy(i => i.CreatedAt).Select(i => new { i.Id, i.StoredName, i.Status }).FirstOrDefaultAsync(ct);
            if (job is null) return total;
            int rows = 0, errors = 0;
            while (true)
            {
                var chunk = await db.Set<ImportRow>().IgnoreQueryFilters().Where(r => r.ImportId == job.Id).OrderBy(r => r.Row).Select(r => r.Id).Take(RowBatch).ToListAsync(ct);
                if (chunk.Count == 0) break;
                rows += await db.Set<ImportRow>().IgnoreQueryFilters().Where(r => chunk.Contains(r.Id)).ExecuteDeleteAsync(ct);
            }
            while (true)
            {
                var chunk = await db.Set<ImportRowError>().Where(e => e.ImportId == job.Id).OrderBy(e => e.Id).Select(e => e.Id).Take(RowBatch).ToListAsync(ct);
                if (chunk.Count == 0) break;
                errors += await db.Set<ImportRowError>().Where(e => chunk.Contains(e.Id)).ExecuteDeleteAsync(ct);
            }
            var path = Path.Combine(files.Directory, Path.GetFileName(job.StoredName));
            var file = File.Exists(path);
            if (file) File.Delete(path);
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                await db.Set<ImportJob>().IgnoreQueryFilters().Where(i => i.Id == job.Id).ExecuteUpdateAsync(u => u
                    .SetProperty(i => i.StoredName, "")
                    .SetProperty(i => i.Status, i => i.Status == ImportStatus.Draft ? ImportStatus.Failed : i.Status)
                    .SetProperty(i => i.FailureReason, i => i.Status == ImportStatus.Draft ? ImportFiles.Expired : i.FailureReason), ct);
                Platform.Audit.AuditLog.Event(db, "Retention", nameof(ImportJob), job.Id.ToString(), new { rows, errors, file, days });
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            total++;
        }
    }

    /// <summary>A complaint closed that long ago (its merged duplicates close with it): the complainant's name, phone,
    /// address, whom it concerned and the free texts — description, reply, the timeline's notes — go; number, channel,
    /// category, urgency, area, dates, handlers, rounds, satisfaction and calls stay (the hotline's statistics). So do
    /// the texts written about it elsewhere: the note on its overdue alerts, and the place and note of a disinfection
    /// recorded for it (plan, area, agent, date and who stay: the disinfection board's counts).</summary>
    private Task<int> ComplaintsAsync(DateTime cutoff, int days, CancellationToken ct) => InBatchesAsync(
        () => db.Set<Complaint>().IgnoreQueryFilters()
            .Where(c => c.Status == ComplaintStatus.Closed && c.ClosedAt <= cutoff)
            .Where(c => c.ComplainantName != Anonymised || c.ComplainantPhoneCipher != null || c.ComplainantPhoneHash != null || c.Address != null
                || c.Concerning != null || c.Content != Anonymised || c.Reply != null
                || db.Set<DisinfectionRecord>().IgnoreQueryFilters().Any(r => r.ComplaintId == c.Id && (r.Place != Anonymised || r.Note != null)))
            .OrderBy(c => c.Id).Select(c => c.Id).Take(Batch).ToListAsync(ct),
        async ids =>
        {
            await db.Set<Complaint>().IgnoreQueryFilters().Where(c => ids.Contains(c.Id)).ExecuteUpdateAsync(u => u
                .SetProperty(c => c.ComplainantName, Anonymised)
                .SetProperty(c => c.ComplainantPhoneCipher, (string?)null)
                .SetProperty(c => c.ComplainantPhoneHash, (string?)null)
                .SetProperty(c => c.ComplainantPhoneLast4, (string?)null)
                .SetProperty(c => c.ComplainantPhoneMasked, (string?)null)
                .SetProperty(c => c.Address, (string?)null)
                .SetProperty(c => c.Concerning, (string?)null)
                .SetProperty(c => c.Content, Anonymised)
                .SetProperty(c => c.Reply, (string?)null), ct);
            await db.Set<ComplaintEvent>().Where(e => ids.Contains(e.ComplaintId) && e.Text != null)
                .ExecuteUpdateAsync(u => u.SetProperty(e => e.Text, (string?)null), ct);
            var keys = (await db.Set<Complaint>().IgnoreQueryFilters().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Round }).ToListAsync(ct))
                .SelectMany(c => Enumerable.Range(1, Math.Max(1, c.Round)).Select(r => ComplaintDeadlineCheck.DedupeKey(c.Id, r))).ToList();
            await db.Set<Alert>().IgnoreQueryFilters().Where(a => keys.Contains(a.DedupeKey!) && a.Note != null)
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.Note, (string?)null), ct);
            await db.Set<DisinfectionRecord>().IgnoreQueryFilters().Where(r => r.ComplaintId != null && ids.Contains(r.ComplaintId.Value))
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.Place, Anonymised).SetProperty(r => r.Note, (string?)null), ct);
        },
        nameof(Complaint), "closed", days, ct);

    /// <summary>A household visit (screening) that long ago (<c>Days</c>, the period of a person's file): its note — who
    /// was found, who came back from where — goes; household, time, outcome, occupants and who visited stay (the
    /// coverage). The register itself (the household's note, its residents) stays while the household is registered.</summary>
    private Task<int> VisitNotesAsync(DateTime cutoff, int days, CancellationToken ct) => InBatchesAsync(
        () => db.Set<ScreeningVisit>().IgnoreQueryFilters().Where(v => v.VisitedAt <= cutoff && v.Note != null)
            .OrderBy(v => v.Id).Select(v => v.Id).Take(Batch).ToListAsync(ct),
        ids => db.Set<ScreeningVisit>().IgnoreQueryFilters().Where(v => ids.Contains(v.Id)).ExecuteUpdateAsync(u => u.SetProperty(v => v.Note, (string?)null), ct),
        nameof(ScreeningVisit), "note", days, ct);

    /// <summary>Deletes residents; the passes made as them keep their counts, without the link and the name.</summary>
    private async Task DeleteResidentsAsync(List<Guid> ids, CancellationToken ct)
    {
        // No index on a pass's ResidentId (one write less per pass at the gate): one scan per batch, in the compounds concerned.
        var compounds = await db.Set<Resident>().IgnoreQueryFilters().Where(r => ids.Contains(r.Id)).Select(r => r.CompoundId).Distinct().ToListAsync(ct);
        await db.Set<GatePass>().IgnoreQueryFilters().Where(g => compounds.Contains(g.CompoundId) && g.ResidentId != null && ids.Contains(g.ResidentId.Value))
            .ExecuteUpdateAsync(u => u.SetProperty(g => g.ResidentId, (Guid?)null).SetProperty(g => g.Name, Anonymised), ct);
        await db.Set<Resident>().IgnoreQueryFilters().Where(r => ids.Contains(r.Id)).ExecuteDeleteAsync(ct);
    }

    /// <summary>
    /// A household deregistered <c>ResidentDays</c> ago: its residents are deleted (as a moved-out resident is), its note,
    /// unit, room and building go, and so do the notes of its visits and the pass-card link of the passes made with its
    /// cards. The row stays (<see cref="Household.PurgedAt"/>) with its compound, dates, visits and revoked cards: the daily
    /// report's visit counts and the cards' numbers rest on it, and a deregistered household is already out of the coverage.
    /// With building null and unit and room empty, the address is free for a new household.
    /// </summary>
    private Task<int> DeregisteredHouseholdsAsync(DateTime cutoff, int days, CancellationToken ct) => InBatchesAsync(
        () => db.Set<Household>().IgnoreQueryFilters().Where(h => h.DeregisteredAt <= cutoff && h.PurgedAt == null)
            .OrderBy(h => h.Id).Select(h => h.Id).Take(Batch).ToListAsync(ct),
        async ids =>
        {
            var residents = await db.Set<Resident>().IgnoreQueryFilters().Where(r => ids.Contains(r.HouseholdId)).Select(r => r.Id).ToListAsync(ct);
            if (residents.Count > 0) await DeleteResidentsAsync(residents, ct);
            var cards = await db.Set<PassCards.PassCard>().IgnoreQueryFilters().Where(c => ids.Contains(c.HouseholdId)).Select(c => c.Id).ToListAsync(ct);
            if (cards.Count > 0)
            {
                await db.Set<GatePass>().IgnoreQueryFilters().Where(g => g.PassCardId != null && cards.Contains(g.PassCardId.Value))
                    .ExecuteUpdateAsync(u => u.SetProperty(g => g.PassCardId, (Guid?)null), ct);
            }
            await db.Set<ScreeningVisit>().IgnoreQueryFilters().Where(v => ids.Contains(v.HouseholdId) && v.Note != null)
                .ExecuteUpdateAsync(u => u.SetProperty(v => v.Note, (string?)null), ct);
            var now = time.GetUtcNow().UtcDateTime;
            await db.Set<Household>().IgnoreQueryFilters().Where(h => ids.Contains(h.Id)).ExecuteUpdateAsync(u => u
                .SetProperty(h => h.Note, (string?)null)
                .SetProperty(h => h.BuildingId, (Guid?)null)
                .SetProperty(h => h.Unit, "")
                .SetProperty(h => h.Room, "")
                .SetProperty(h => h.PurgedAt, now), ct);
        },
        nameof(Household), "deregistered", days, ct);

    /// <summary>A pass made by a resident (not a visitor) that long ago: the name, plate, approval reason and the links to the
    /// resident and the pass card go; gate, time, direction, temperature, fever, outcome stay (and the link to a person
    /// under watch, until that person is anonymised), so the gates' counts stay.</summary>
    private Task<int> ResidentPassesAsync(DateTime cutoff, int days, CancellationToken ct) => InBatchesAsync(
        () => db.Set<GatePass>().IgnoreQueryFilters()
            .Where(g => !g.Visitor && g.TakenAt <= cutoff)
            .Where(g => g.Name != Anonymised || g.ResidentId != null || g.PassCardId != null || g.Plate != null || g.ApprovalReason != null)
            .OrderBy(g => g.TakenAt).Select(g => g.Id).Take(Batch).ToListAsync(ct),
        ids => db.Set<GatePass>().IgnoreQueryFilters().Where(g => ids.Contains(g.Id)).ExecuteUpdateAsync(u => u
            .SetProperty(g => g.Name, Anonymised)
            .SetProperty(g => g.ResidentId, (Guid?)null)
            .SetProperty(g => g.PassCardId, (Guid?)null)
            .SetProperty(g => g.Plate, (string?)null)
            .SetProperty(g => g.ApprovalReason, (string?)null), ct),
        nameof(GatePass), "resident", days, ct);
}
