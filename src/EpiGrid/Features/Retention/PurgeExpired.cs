using EpiGrid.Data;
using EpiGrid.Features.Alerts;
using EpiGrid.Features.Complaints;
using EpiGrid.Features.Disinfection;
using EpiGrid.Features.Gates;
using EpiGrid.Features.Households;
using EpiGrid.Features.Imports;
using EpiGrid.Features.Inspections;
using EpiGrid.Features.Reports;
using EpiGrid.Features.SelfRegistration;
using EpiGrid.Features.SignIns;
using EpiGrid.Platform;
using EpiGrid.Platform.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Retention;

/// <summary>
/// Retention of the records that are not a person under watch (README "Retention"; the person's file is
/// <see cref="AnonymiseExpired"/>'s), each kind after its own period (<c>EpiGrid:Retention:…</c>). Where a record is
/// counted, its personal fields are removed and the row stays, so every count stays as it was: a visitor's gate pass
/// (the gates' counts), a complaint closed or left without a step (the hotline's statistics), and the texts copied from
/// them into alerts, webhook messages and disinfection records; a household visit's note; a disinfection's place and
/// note; a daily report's remarks; an inspection's findings. Where it is a working copy, it is deleted: a reviewed or
/// expired self-registration, an import's rows, row errors and encrypted file (the import keeps its counts), an
/// inspection's photos, a sign-in record, a resident no longer living in the household. Batched, idempotent; every batch
/// is one transaction with one <c>Retention</c> audit event carrying the kind, the count and the period — never personal
/// text. Runs with SQLite's secure delete (<see cref="SecureErase"/>).
/// </summary>
public sealed class PurgeExpired(AppDbContext db, TimeProvider time, IOptions<EpiGridOptions> options, ImportFiles files, PhotoStore photos, ILogger<PurgeExpired> logger) : IPeriodicCheck
{
    private const int Batch = 500;
    private const int RowBatch = 5000;
    private static readonly string Anonymised = AnonymiseExpired.Name;

    /// <summary>An import file no import names (an upload whose save failed) is removed once it is this old.</summary>
    public static readonly TimeSpan OrphanFileAge = TimeSpan.FromDays(1);

    /// <summary>What one run removed, per kind of record.</summary>
    public sealed record Counts(int VisitorPasses, int GateFeverAlerts, int Registrations, int Residents, int Imports, int Complaints, int VisitNotes,
        int Disinfections, int ReportRemarks, int Inspections, int SignIns, int OrphanFiles, int Households, int ResidentPasses)
    {
        public int Total => VisitorPasses + GateFeverAlerts + Registrations + Residents + Imports + Complaints + VisitNotes
            + Disinfections + ReportRemarks + Inspections + SignIns + OrphanFiles + Households + ResidentPasses;
    }

    public async Task RunAsync(CancellationToken ct) => await RunOnceAsync(ct);

    public Task<Counts> RunOnceAsync(CancellationToken ct = default) => SecureErase.RunAsync(db, logger, async () =>
    {
        var now = time.GetUtcNow().UtcDateTime;
        var o = options.Value.Retention;
        return new Counts(
            await VisitorPassesAsync(now.AddDays(-Math.Max(0, o.VisitorPassDays)), o.VisitorPassDays, now, ct),
            await GateFeverAlertsAsync(now.AddDays(-Math.Max(0, o.VisitorPassDays)), o.VisitorPassDays, now, ct),
            await RegistrationsAsync(now.AddDays(-Math.Max(0, o.RegistrationDays)), o.RegistrationDays, ct),
            await ResidentsAsync(ct),
            await ImportsAsync(now.AddDays(-Math.Max(0, o.ImportDays)), o.ImportDays, ct),
            await ComplaintsAsync(now.AddDays(-Math.Max(0, o.ClosedComplaintDays)), o.ClosedComplaintDays, ct)
                + await StalledComplaintsAsync(now.AddDays(-Math.Max(0, o.ClosedComplaintDays)), o.ClosedComplaintDays, ct),
            await VisitNotesAsync(now.AddDays(-Math.Max(0, o.Days)), o.Days, ct),
            await DisinfectionsAsync(now.AddDays(-Math.Max(0, o.Days)), o.Days, ct),
            await ReportRemarksAsync(now.AddDays(-Math.Max(0, o.Days)), o.Days, ct),
            await InspectionsAsync(now.AddDays(-Math.Max(0, o.InspectionDays)), o.InspectionDays, ct),
            await SignInsAsync(now.AddDays(-Math.Max(0, o.SignInDays)), o.SignInDays, ct),
            await OrphanImportFilesAsync(now, ct),
            await DeregisteredHouseholdsAsync(now.AddDays(-Math.Max(0, o.ResidentDays)), o.ResidentDays, ct),
            await ResidentPassesAsync(now.AddDays(-Math.Max(0, o.ResidentPassDays)), o.ResidentPassDays, ct));
    }, ct);

    private sealed record Keyed(Guid Id, DateTime At);

    /// <summary>
    /// Batches in the order of a time column, each one starting where the last ended (after its time, or at that time
    /// without the ids already taken): a run reads each row once, however long the backlog, and a row the batch could not
    /// change is not read again until the next run. <paramref name="next"/> gets that position.
    /// </summary>
    private Task<int> ForwardAsync(Func<DateTime, List<Guid>, Task<List<Keyed>>> next, Func<List<Guid>, Task> purge, string entity, string kind, int days, CancellationToken ct)
    {
        var after = DateTime.UnixEpoch;
        var taken = new List<Guid>();
        return InBatchesAsync(async () =>
        {
            var rows = await next(after, taken);
            if (rows.Count > 0)
            {
                var last = rows.Max(r => r.At);
                if (last != after) taken.Clear();
                after = last;
                taken.AddRange(rows.Where(r => r.At == last).Select(r => r.Id));
            }
            return rows.Select(r => r.Id).ToList();
        }, purge, entity, kind, days, ct);
    }

    private Task<int> InBatchesAsync<TKey>(Func<Task<List<TKey>>> next, Func<List<TKey>, Task> purge, string entity, string kind, int days, CancellationToken ct) =>
        InBatchesAsync(next, async ids => { await purge(ids); return ids.Count; }, entity, kind, days, ct);

    /// <summary>As above, where <paramref name="purge"/> re-checks the condition as it writes and returns how many it changed.</summary>
    private async Task<int> InBatchesAsync<TKey>(Func<Task<List<TKey>>> next, Func<List<TKey>, Task<int>> purge, string entity, string kind, int days, CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var ids = await next();
            if (ids.Count == 0) return total;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var count = await purge(ids);
            if (count > 0) Platform.Audit.AuditLog.Event(db, "Retention", entity, kind, new { count, days });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            total += count;
        }
    }

    /// <summary>A visitor's pass: the name, ID number, phone, from, to, plate and reason go; gate, time, direction,
    /// temperature, outcome stay (and the link to a person under watch, until that person is anonymised). A fever at the
    /// gate raised an alert naming the visitor and where they came from: its texts and webhook message go with the pass,
    /// even when the visitor is also a person under watch (whose own alerts go with their file).</summary>
    private Task<int> VisitorPassesAsync(DateTime cutoff, int days, DateTime now, CancellationToken ct) => ForwardAsync(
        (after, taken) => db.Set<GatePass>().IgnoreQueryFilters()
            .Where(g => g.Visitor && g.TakenAt <= cutoff && g.TakenAt >= after && (g.TakenAt > after || !taken.Contains(g.Id)))
            .Where(g => g.Name != Anonymised || g.VisitorIdNumberCipher != null || g.VisitorIdNumberHash != null || g.VisitorPhoneCipher != null
                || g.VisitorFrom != null || g.VisitorTo != null || g.Plate != null || g.ApprovalReason != null)
            .OrderBy(g => g.TakenAt).Select(g => new Keyed(g.Id, g.TakenAt)).Take(Batch).ToListAsync(ct),
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
    private Task<int> GateFeverAlertsAsync(DateTime cutoff, int days, DateTime now, CancellationToken ct) => ForwardAsync(
        (after, taken) => db.Set<Alert>().IgnoreQueryFilters()
            .Where(a => a.Kind == AlertKind.Fever && a.PersonId == null && a.DedupeKey!.StartsWith(RecordPass.FeverKeyPrefix) && a.CreatedAt <= cutoff)
            .Where(a => a.CreatedAt >= after && (a.CreatedAt > after || !taken.Contains(a.Id)))
            .Where(a => a.Subject != Anonymised || a.Note != null)
            .OrderBy(a => a.CreatedAt).Select(a => new Keyed(a.Id, a.CreatedAt)).Take(Batch).ToListAsync(ct),
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

    /// <summary>The complainant's texts still on the ticket, or on a disinfection recorded for it (also a ticket whose
    /// marker predates the current wording).</summary>
    private System.Linq.Expressions.Expression<Func<Complaint, bool>> ComplaintTextsLeft() => c =>
        c.ComplainantName != Anonymised || c.ComplainantPhoneCipher != null || c.ComplainantPhoneHash != null || c.Address != null
        || c.Concerning != null || c.Content != Anonymised || c.Reply != null || c.UpstreamNumber != null
        || db.Set<DisinfectionRecord>().IgnoreQueryFilters().Any(r => r.ComplaintId == c.Id && (r.Place != Anonymised || r.Note != null));

    /// <summary>
    /// A complaint that never closed — received, dispatched, replied but the caller never reached for the follow-up,
    /// reopened — and had no step for as long as a closed one is kept (<c>ClosedComplaintDays</c>, counted from its last
    /// step, or its primary's when it was merged into one): the same texts go as for a closed one. Its state and every
    /// date stay, so the hotline's figures, and an overdue ticket on the supervision list, stay as they were; a step taken
    /// later finds a ticket with no caller's details.
    /// </summary>
    private Task<int> StalledComplaintsAsync(DateTime cutoff, int days, CancellationToken ct) => ForwardAsync(
        (after, taken) => db.Set<Complaint>().IgnoreQueryFilters()
            .Where(c => c.Status != ComplaintStatus.Closed && c.ReceivedAt <= cutoff)
            .Where(c => c.ReceivedAt >= after && (c.ReceivedAt > after || !taken.Contains(c.Id)))
            .Where(c => !db.Set<ComplaintEvent>().Any(e => (e.ComplaintId == c.Id || e.ComplaintId == c.MergedIntoId) && e.At > cutoff))
            .Where(ComplaintTextsLeft())
            .OrderBy(c => c.ReceivedAt).Select(c => new Keyed(c.Id, c.ReceivedAt)).Take(Batch).ToListAsync(ct),
        PurgeComplaintsAsync,
        nameof(Complaint), "noStep", days, ct);

    /// <summary>The complaints' personal texts, and those written about them elsewhere: the note on their overdue alerts,
    /// and the place and note of a disinfection recorded for them (plan, area, agent, date and who stay: the disinfection
    /// board's counts).</summary>
    private async Task PurgeComplaintsAsync(List<Guid> ids)
    {
        await db.Set<Complaint>().IgnoreQueryFilters().Where(c => ids.Contains(c.Id)).ExecuteUpdateAsync(u => u
            .SetProperty(c => c.ComplainantName, Anonymised)
            .SetProperty(c => c.ComplainantPhoneCipher, (string?)null)
            .SetProperty(c => c.ComplainantPhoneHash, (string?)null)
            .SetProperty(c => c.ComplainantPhoneLast4, (string?)null)
            .SetProperty(c => c.ComplainantPhoneMasked, (string?)null)
            .SetProperty(c => c.Address, (string?)null)
            .SetProperty(c => c.Concerning, (string?)null)
            .SetProperty(c => c.UpstreamNumber, (string?)null)
            .SetProperty(c => c.Content, Anonymised)
            .SetProperty(c => c.Reply, (string?)null));
        await db.Set<ComplaintEvent>().Where(e => ids.Contains(e.ComplaintId) && e.Text != null)
            .ExecuteUpdateAsync(u => u.SetProperty(e => e.Text, (string?)null));
        var keys = (await db.Set<Complaint>().IgnoreQueryFilters().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Round }).ToListAsync())
            .SelectMany(c => Enumerable.Range(1, Math.Max(1, c.Round)).Select(r => ComplaintDeadlineCheck.DedupeKey(c.Id, r))).ToList();
        await db.Set<Alert>().IgnoreQueryFilters().Where(a => keys.Contains(a.DedupeKey!) && a.Note != null)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.Note, (string?)null));
        await db.Set<DisinfectionRecord>().IgnoreQueryFilters().Where(r => r.ComplaintId != null && ids.Contains(r.ComplaintId.Value))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Place, Anonymised).SetProperty(r => r.Note, (string?)null));
    }

    /// <summary>A disinfection tied to no complaint (routine, or at someone's door), done that long ago (<c>Days</c>): its
    /// place and note go (a door names a household); plan, area, agent, date and who stay (the disinfection board).</summary>
    private Task<int> DisinfectionsAsync(DateTime cutoff, int days, CancellationToken ct) => ForwardAsync(
        (after, taken) => db.Set<DisinfectionRecord>().IgnoreQueryFilters()
            .Where(r => r.ComplaintId == null && r.DoneAt <= cutoff && (r.Place != Anonymised || r.Note != null))
            .Where(r => r.DoneAt >= after && (r.DoneAt > after || !taken.Contains(r.Id)))
            .OrderBy(r => r.DoneAt).Select(r => new Keyed(r.Id, r.DoneAt)).Take(Batch).ToListAsync(ct),
        ids => db.Set<DisinfectionRecord>().IgnoreQueryFilters().Where(r => ids.Contains(r.Id))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Place, Anonymised).SetProperty(r => r.Note, (string?)null), ct),
        nameof(DisinfectionRecord), "placeAndNote", days, ct);

    /// <summary>The remarks the statistician wrote on a daily report of that long ago (<c>Days</c>): gone, the figures stay;
    /// "零报告" (nothing new) says nothing about anyone and stays.</summary>
    private Task<int> ReportRemarksAsync(DateTime cutoff, int days, CancellationToken ct)
    {
        var last = DateOnly.FromDateTime(cutoff);
        return InBatchesAsync(
            () => db.Set<DailyReportLine>().IgnoreQueryFilters()
                .Where(l => l.Remark != "" && l.Remark != ReportLine.ZeroRemark && db.Set<DailyReport>().IgnoreQueryFilters().Any(r => r.Id == l.ReportId && r.Date <= last))
                .OrderBy(l => l.Id).Select(l => l.Id).Take(Batch).ToListAsync(ct),
            ids => db.Set<DailyReportLine>().IgnoreQueryFilters().Where(l => ids.Contains(l.Id)).ExecuteUpdateAsync(u => u.SetProperty(l => l.Remark, ""), ct),
            nameof(DailyReportLine), "remark", days, ct);
    }

    /// <summary>
    /// An inspection of that long ago (<c>InspectionDays</c>, from its date): its findings and note go (they name the
    /// shopkeeper, a customer), its photos are deleted (file, then row; a file that cannot be removed keeps its row, and
    /// the next run tries again), and the requirement of a rectification it issued, once that one is no longer open. The
    /// checklist, result, inspectors, date and the premises stay (the inspection board, the flags).
    /// </summary>
    private Task<int> InspectionsAsync(DateTime cutoff, int days, CancellationToken ct)
    {
        var last = DateOnly.FromDateTime(cutoff);
        return ForwardAsync(
            (after, taken) => db.Set<Inspection>().IgnoreQueryFilters()
                .Where(i => i.Date <= last && (i.Findings != null || i.OtherNote != null
                    || db.Set<InspectionPhoto>().IgnoreQueryFilters().Any(p => p.InspectionId == i.Id)
                    || db.Set<Rectification>().IgnoreQueryFilters().Any(r => r.InspectionId == i.Id && r.Status != RectificationStatus.Open && r.Requirement != Anonymised)))
                .Where(i => i.RecordedAt >= after && (i.RecordedAt > after || !taken.Contains(i.Id)))
                .OrderBy(i => i.RecordedAt).Select(i => new Keyed(i.Id, i.RecordedAt)).Take(Batch).ToListAsync(ct),
            async ids =>
            {
                await db.Set<Inspection>().IgnoreQueryFilters().Where(i => ids.Contains(i.Id))
                    .ExecuteUpdateAsync(u => u.SetProperty(i => i.Findings, (string?)null).SetProperty(i => i.OtherNote, (string?)null), ct);
                await db.Set<Rectification>().IgnoreQueryFilters().Where(r => ids.Contains(r.InspectionId) && r.Status != RectificationStatus.Open && r.Requirement != Anonymised)
                    .ExecuteUpdateAsync(u => u.SetProperty(r => r.Requirement, Anonymised), ct);
                var removed = new List<Guid>();
                foreach (var photo in await db.Set<InspectionPhoto>().IgnoreQueryFilters().Where(p => ids.Contains(p.InspectionId)).Select(p => new { p.Id, p.StoredName }).ToListAsync(ct))
                {
                    try
                    {
                        File.Delete(photos.PathOf(photo.StoredName));
                        removed.Add(photo.Id);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        logger.LogWarning(e, "Retention: the inspection photo {File} could not be removed; the next run tries again", photo.StoredName);
                    }
                }
                if (removed.Count > 0) await db.Set<InspectionPhoto>().IgnoreQueryFilters().Where(p => removed.Contains(p.Id)).ExecuteDeleteAsync(ct);
            },
            nameof(Inspection), "textsAndPhotos", days, ct);
    }

    /// <summary>A sign-in record of that long ago (<c>SignInDays</c>, at least the six months network logs are kept): deleted —
    /// the client address, and the name as typed (a failed attempt may carry someone's name, ID number or phone).</summary>
    private Task<int> SignInsAsync(DateTime cutoff, int days, CancellationToken ct) => InBatchesAsync(
        () => db.Set<SignInRecord>().IgnoreQueryFilters().Where(r => r.At <= cutoff).OrderBy(r => r.At).Select(r => r.Id).Take(Batch).ToListAsync(ct),
        ids => db.Set<SignInRecord>().IgnoreQueryFilters().Where(r => ids.Contains(r.Id)).ExecuteDeleteAsync(ct),
        nameof(SignInRecord), "deleted", days, ct);

    /// <summary>An encrypted import file no import names — written before a save that then failed — older than
    /// <see cref="OrphanFileAge"/> (an upload being saved right now is younger): removed. One that cannot be is logged.</summary>
    private async Task<int> OrphanImportFilesAsync(DateTime now, CancellationToken ct)
    {
        if (!Directory.Exists(files.Directory)) return 0;
        var old = Directory.EnumerateFiles(files.Directory, "*.xlsx.enc").Where(f => File.GetLastWriteTimeUtc(f) <= now - OrphanFileAge).ToList();
        if (old.Count == 0) return 0;
        var named = (await db.Set<ImportJob>().IgnoreQueryFilters().Where(i => i.StoredName != "").Select(i => i.StoredName).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var removed = 0;
        foreach (var f in old.Where(f => !named.Contains(Path.GetFileName(f))))
        {
            try
            {
                File.Delete(f);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(e, "Retention: the import file {File}, named by no import, could not be removed; the next run tries again", Path.GetFileName(f));
            }
        }
        if (removed > 0)
        {
            Platform.Audit.AuditLog.Event(db, "Retention", nameof(ImportJob), "orphanFiles", new { count = removed });
            await db.SaveChangesAsync(ct);
        }
        return removed;
    }

    /// <summary>
    /// A resident who moved out (<see cref="Resident.MovedOutAt"/>, set by the move-out and by a household's deregistration)
    /// <c>ResidentDays</c> ago, and whose move-out was recorded that long ago (a backdated one keeps its whole period): the row is deleted (households count only residents living there), and the passes made as
    /// that resident lose the link and the name. Until then the move-out can be undone.
    /// </summary>
    private Task<int> ResidentsAsync(CancellationToken ct)
    {
        var days = options.Value.Retention.ResidentDays;
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-Math.Max(0, days));
        return InBatchesAsync(
            () => db.Set<Resident>().IgnoreQueryFilters().Where(MovedOutBy(cutoff)).OrderBy(r => r.Id).Select(r => r.Id).Take(Batch).ToListAsync(ct),
            ids => DeleteMovedOutResidentsAsync(ids, cutoff, ct),
            nameof(Resident), "movedOut", days, ct);
    }

    /// <summary>
    /// An import that ended (completed or failed; a draft never started: uploaded) that long ago: its rows and row errors
    /// are deleted (in chunks), its encrypted file removed from disk and its file name (the upper level's, often naming
    /// people) replaced; the import itself stays with its counts and headings, so the imports' summaries stay. A draft
    /// becomes Failed first, only while it is still a draft (one started meanwhile is left to its own end). A file that
    /// cannot be removed is logged and its import keeps the file's name, so the next run tries again.
    /// </summary>
    private async Task<int> ImportsAsync(DateTime cutoff, int days, CancellationToken ct)
    {
        var total = 0;
        var later = new List<Guid>();
        while (true)
        {
            var job = await db.Set<ImportJob>().IgnoreQueryFilters()
                .Where(i => (i.Status == ImportStatus.Completed || i.Status == ImportStatus.Failed || i.Status == ImportStatus.Draft)
                    && (i.CompletedAt ?? i.CreatedAt) <= cutoff && (i.StoredName != "" || i.FileName != Anonymised) && !later.Contains(i.Id))
                .OrderBy(i => i.CreatedAt).Select(i => new { i.Id, i.StoredName, i.Status }).FirstOrDefaultAsync(ct);
            if (job is null) return total;
            var status = job.Status;
            if (status == ImportStatus.Draft)
            {
                var claimed = await db.Set<ImportJob>().IgnoreQueryFilters().Where(i => i.Id == job.Id && i.Status == ImportStatus.Draft)
                    .ExecuteUpdateAsync(u => u.SetProperty(i => i.Status, ImportStatus.Failed).SetProperty(i => i.FailureReason, ImportFiles.Expired), ct);
                if (claimed == 0)
                {
                    later.Add(job.Id);
                    continue;
                }
                status = ImportStatus.Failed;
            }
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
            var file = false;
            if (job.StoredName.Length > 0)
            {
                var path = Path.Combine(files.Directory, Path.GetFileName(job.StoredName));
                try
                {
                    file = File.Exists(path);
                    File.Delete(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    logger.LogWarning(e, "Retention: the file {File} of import {Import} could not be removed; the next run tries again", job.StoredName, job.Id);
                    later.Add(job.Id);
                    continue;
                }
            }
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                // Only as it was read: an import whose state moved meanwhile is left for a later run.
                var done = await db.Set<ImportJob>().IgnoreQueryFilters().Where(i => i.Id == job.Id && i.Status == status).ExecuteUpdateAsync(u => u
                    .SetProperty(i => i.StoredName, "")
                    .SetProperty(i => i.FileName, Anonymised), ct);
                if (done == 0)
                {
                    later.Add(job.Id);
                    continue;
                }
                Platform.Audit.AuditLog.Event(db, "Retention", nameof(ImportJob), job.Id.ToString(), new { rows, errors, file, days });
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            total++;
        }
    }

    /// <summary>A complaint closed that long ago (its merged duplicates close with it): the complainant's name, phone,
    /// address, whom it concerned, the 12345 platform's number and the free texts — description, reply, the timeline's
    /// notes — go; number, channel, category, urgency, area, dates, handlers, rounds, satisfaction and calls stay (the
    /// hotline's statistics). So do the texts written about it elsewhere (<see cref="PurgeComplaintsAsync"/>).</summary>
    private Task<int> ComplaintsAsync(DateTime cutoff, int days, CancellationToken ct) => ForwardAsync(
        (after, taken) => db.Set<Complaint>().IgnoreQueryFilters()
            .Where(c => c.Status == ComplaintStatus.Closed && c.ClosedAt <= cutoff)
            .Where(c => c.ClosedAt >= after && (c.ClosedAt > after || !taken.Contains(c.Id)))
            .Where(ComplaintTextsLeft())
            .OrderBy(c => c.ClosedAt).Select(c => new Keyed(c.Id, c.ClosedAt!.Value)).Take(Batch).ToListAsync(ct),
        PurgeComplaintsAsync,
        nameof(Complaint), "closed", days, ct);

    /// <summary>A household visit (screening) that long ago (<c>Days</c>, the period of a person's file): its note — who
    /// was found, who came back from where — goes; household, time, outcome, occupants and who visited stay (the
    /// coverage). The register itself (the household's note, its residents) stays while the household is registered.</summary>
    private Task<int> VisitNotesAsync(DateTime cutoff, int days, CancellationToken ct) => ForwardAsync(
        (after, taken) => db.Set<ScreeningVisit>().IgnoreQueryFilters().Where(v => v.VisitedAt <= cutoff && v.Note != null)
            .Where(v => v.VisitedAt >= after && (v.VisitedAt > after || !taken.Contains(v.Id)))
            .OrderBy(v => v.VisitedAt).Select(v => new Keyed(v.Id, v.VisitedAt)).Take(Batch).ToListAsync(ct),
        ids => db.Set<ScreeningVisit>().IgnoreQueryFilters().Where(v => ids.Contains(v.Id)).ExecuteUpdateAsync(u => u.SetProperty(v => v.Note, (string?)null), ct),
        nameof(ScreeningVisit), "note", days, ct);

    /// <summary>Moved out on a day and recorded at a moment both at or before <paramref name="cutoff"/>.</summary>
    internal static System.Linq.Expressions.Expression<Func<Resident, bool>> MovedOutBy(DateTime cutoff) =>
        r => r.MovedOut && r.MovedOutAt <= cutoff && (r.MovedOutRecordedAt ?? r.MovedOutAt) <= cutoff;

    /// <summary>Deletes those of <paramref name="ids"/> that still moved out by <paramref name="cutoff"/> as the delete runs (a
    /// move-out undone since they were read stays); returns how many went.</summary>
    internal Task<int> DeleteMovedOutResidentsAsync(List<Guid> ids, DateTime cutoff, CancellationToken ct) =>
        DeleteResidentsAsync(db.Set<Resident>().IgnoreQueryFilters().Where(r => ids.Contains(r.Id)).Where(MovedOutBy(cutoff)), ct);

    /// <summary>Deletes the residents <paramref name="which"/> names, its condition checked by the delete itself; the passes
    /// made as those deleted keep their counts, without the link and the name.</summary>
    private async Task<int> DeleteResidentsAsync(IQueryable<Resident> which, CancellationToken ct)
    {
        var found = await which.Select(r => new { r.Id, r.CompoundId }).ToListAsync(ct);
        if (found.Count == 0) return 0;
        var ids = found.Select(r => r.Id).ToList();
        var compounds = found.Select(r => r.CompoundId).Distinct().ToList();
        var deleted = await which.Where(r => ids.Contains(r.Id)).ExecuteDeleteAsync(ct);
        if (deleted == 0) return 0;
        // No index on a pass's ResidentId (one write less per pass at the gate): one scan per batch, in the compounds concerned.
        // Only the passes of residents actually deleted: one whose move-out was undone meanwhile keeps its row and its passes.
        await db.Set<GatePass>().IgnoreQueryFilters()
            .Where(g => compounds.Contains(g.CompoundId) && g.ResidentId != null && ids.Contains(g.ResidentId.Value)
                && !db.Set<Resident>().IgnoreQueryFilters().Any(r => r.Id == g.ResidentId))
            .ExecuteUpdateAsync(u => u.SetProperty(g => g.ResidentId, (Guid?)null).SetProperty(g => g.Name, Anonymised), ct);
        return deleted;
    }

    /// <summary>
    /// A household deregistered <c>ResidentDays</c> ago: its residents are deleted (as a moved-out resident is), its note,
    /// unit, room and building go, and so do the notes of its visits and the pass-card link of the passes made with its
    /// cards. The row stays (<see cref="Household.PurgedAt"/>) with its compound, dates, visits and revoked cards: the daily
    /// report's visit counts and the cards' numbers rest on it, and a deregistered household is already out of the coverage.
    /// With building null and unit and room empty, the address is free for a new household.
    /// </summary>
    private Task<int> DeregisteredHouseholdsAsync(DateTime cutoff, int days, CancellationToken ct) => InBatchesAsync(
        () => db.Set<Household>().IgnoreQueryFilters().Where(DeregisteredBy(cutoff))
            .OrderBy(h => h.Id).Select(h => h.Id).Take(Batch).ToListAsync(ct),
        read => PurgeHouseholdsAsync(read, cutoff, ct),
        nameof(Household), "deregistered", days, ct);

    /// <summary>Deregistered on a day and recorded at a moment both at or before <paramref name="cutoff"/>, not yet purged.</summary>
    internal static System.Linq.Expressions.Expression<Func<Household, bool>> DeregisteredBy(DateTime cutoff) =>
        h => h.DeregisteredAt != null && h.DeregisteredAt <= cutoff && (h.DeregisteredRecordedAt ?? h.DeregisteredAt) <= cutoff && h.PurgedAt == null;

    /// <summary>Claims those of <paramref name="read"/> still deregistered by <paramref name="cutoff"/> (setting
    /// <see cref="Household.PurgedAt"/>, so an undo committed since they were read keeps its household) and empties only
    /// those; returns how many.</summary>
    internal async Task<int> PurgeHouseholdsAsync(List<Guid> read, DateTime cutoff, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        now = now.AddTicks(-(now.Ticks % 10)); // as stored (PostgreSQL keeps microseconds), to read the claimed ones back
        var claimed = await db.Set<Household>().IgnoreQueryFilters().Where(h => read.Contains(h.Id)).Where(DeregisteredBy(cutoff))
            .ExecuteUpdateAsync(u => u.SetProperty(h => h.PurgedAt, now), ct);
        if (claimed == 0) return 0;
        var ids = await db.Set<Household>().IgnoreQueryFilters().Where(h => read.Contains(h.Id) && h.PurgedAt == now).Select(h => h.Id).ToListAsync(ct);
        await DeleteResidentsAsync(db.Set<Resident>().IgnoreQueryFilters().Where(r => ids.Contains(r.HouseholdId) && r.MovedOut), ct);
        var cards = await db.Set<PassCards.PassCard>().IgnoreQueryFilters().Where(c => ids.Contains(c.HouseholdId)).Select(c => c.Id).ToListAsync(ct);
        if (cards.Count > 0)
        {
            await db.Set<GatePass>().IgnoreQueryFilters().Where(g => g.PassCardId != null && cards.Contains(g.PassCardId.Value))
                .ExecuteUpdateAsync(u => u.SetProperty(g => g.PassCardId, (Guid?)null), ct);
        }
        await db.Set<ScreeningVisit>().IgnoreQueryFilters().Where(v => ids.Contains(v.HouseholdId) && v.Note != null)
            .ExecuteUpdateAsync(u => u.SetProperty(v => v.Note, (string?)null), ct);
        await db.Set<Household>().IgnoreQueryFilters().Where(h => ids.Contains(h.Id)).ExecuteUpdateAsync(u => u
            .SetProperty(h => h.Note, (string?)null)
            .SetProperty(h => h.BuildingId, (Guid?)null)
            .SetProperty(h => h.Unit, "")
            .SetProperty(h => h.Room, ""), ct);
        return ids.Count;
    }

    /// <summary>A pass made by a resident (not a visitor) that long ago: the name, plate, approval reason and the links to the
    /// resident and the pass card go; gate, time, direction, temperature, fever, outcome stay (and the link to a person
    /// under watch, until that person is anonymised), so the gates' counts stay.</summary>
    private Task<int> ResidentPassesAsync(DateTime cutoff, int days, CancellationToken ct) => ForwardAsync(
        (after, taken) => db.Set<GatePass>().IgnoreQueryFilters()
            .Where(g => !g.Visitor && g.TakenAt <= cutoff)
            .Where(g => g.Name != Anonymised || g.ResidentId != null || g.PassCardId != null || g.Plate != null || g.ApprovalReason != null)
            .Where(g => g.TakenAt >= after && (g.TakenAt > after || !taken.Contains(g.Id)))
            .OrderBy(g => g.TakenAt).Select(g => new Keyed(g.Id, g.TakenAt)).Take(Batch).ToListAsync(ct),
        ids => db.Set<GatePass>().IgnoreQueryFilters().Where(g => ids.Contains(g.Id)).ExecuteUpdateAsync(u => u
            .SetProperty(g => g.Name, Anonymised)
            .SetProperty(g => g.ResidentId, (Guid?)null)
            .SetProperty(g => g.PassCardId, (Guid?)null)
            .SetProperty(g => g.Plate, (string?)null)
            .SetProperty(g => g.ApprovalReason, (string?)null), ct),
        nameof(GatePass), "resident", days, ct);
}
