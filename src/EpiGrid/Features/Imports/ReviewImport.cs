using System.Text.Json;
using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Features.People;
using EpiGrid.Features.Tasks;
using EpiGrid.Platform;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Imports;

/// <summary>
/// What the statistician does with an import once it has run: reads its state and errors, accepts (or not) what a
/// list says differently about a registered person, places the people whose address named no compound, and sends the
/// list back up as the feedback sheet (反馈表). Called by the API and the pages; everything through the scope filter.
/// </summary>
public sealed class ReviewImport(AppDbContext db, PrivacyKit kit, OfficeClock clock, AssignTasks tasks, ImportFiles files, Exporter exporter)
{
    public const int ErrorsInStatus = 1000;

    public sealed record ErrorItem(int Row, string Field, string Message);
    public sealed record View(Guid Id, string FileName, ImportStatus Status, int Total, int Imported, int Matched, int Rejected, int Unplaced,
        int Differences, double Progress, int ProcessedRows, int EstimatedRows, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? CompletedAt,
        string? FailureReason, Guid? TemplateId, IReadOnlyDictionary<string, string>? Mapping, int ErrorCount, IReadOnlyList<ErrorItem> Errors);
    public sealed record ListItem(Guid Id, string FileName, ImportStatus Status, int Total, int Imported, int Matched, int Rejected, int Unplaced, DateTimeOffset CreatedAt, string CreatedBy);
    /// <summary>A valid row; one of a person registered out of scope (<see cref="ImportRowKind.Elsewhere"/>) carries only its row,
    /// kind, the row it repeats and <paramref name="OwnerArea"/>, the community they are registered in.</summary>
    public sealed record RowItem(int Row, ImportRowKind Kind, string Name, string IdNumberMasked, string? PhoneMasked, string? Address, Guid? PersonId,
        Guid? TaskId, int? DuplicateOfRow, IReadOnlyList<RunImport.Difference> Differences, bool? DifferencesAccepted, string? OwnerArea = null);
    public sealed record PlaceInput(Guid? CompoundId);
    public sealed record AcceptInput(bool? Accept);

    public Task<ImportJob?> FindAsync(Guid id, CancellationToken ct = default) =>
        db.Set<ImportJob>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct);

    public async Task<View?> ViewAsync(Guid id, CancellationToken ct = default)
    {
        var job = await FindAsync(id, ct);
        if (job is null) return null;
        var errorCount = await db.Set<ImportRowError>().CountAsync(e => e.ImportId == id, ct);
        var errors = await db.Set<ImportRowError>().AsNoTracking().Where(e => e.ImportId == id).OrderBy(e => e.Row).ThenBy(e => e.Id).Take(ErrorsInStatus)
            .Select(e => new ErrorItem(e.Row, e.Field, e.Message)).ToListAsync(ct);
        var differences = await db.Set<ImportRow>().CountAsync(r => r.ImportId == id && r.Differences != null && r.DifferencesAccepted == null, ct);
        var processed = Math.Max(0, job.LastRow - 1);
        var progress = job.Status == ImportStatus.Completed ? 1.0
            : job.EstimatedRows > 0 ? Math.Min(0.99, processed / (double)job.EstimatedRows) : 0;
        return new View(job.Id, job.FileName, job.Status, job.Total, job.Imported, job.Matched, job.Rejected, job.Unplaced, differences,
            Math.Round(progress, 3), processed, job.EstimatedRows, clock.WithOffset(job.CreatedAt), job.CreatedByName,
            job.CompletedAt is { } c ? clock.WithOffset(c) : null, job.FailureReason, job.TemplateId,
            job.Mapping is null ? null : ImportFields.FromJson(job.Mapping), errorCount, errors);
    }

    public async Task<PageOf<ListItem>> ListAsync(int? page, int? pageSize, CancellationToken ct = default)
    {
        var p = await db.Set<ImportJob>().AsNoTracking().OrderByDescending(i => i.CreatedAt)
            .Select(i => new { i.Id, i.FileName, i.Status, i.Total, i.Imported, i.Matched, i.Rejected, i.Unplaced, i.CreatedAt, i.CreatedByName })
            .PageAsync(page, pageSize, 20, ct);
        return new PageOf<ListItem>([.. p.Items.Select(i => new ListItem(i.Id, i.FileName, i.Status, i.Total, i.Imported, i.Matched, i.Rejected,
            i.Unplaced, clock.WithOffset(i.CreatedAt), i.CreatedByName))], p.Total);
    }

    public async Task<PageOf<ErrorItem>?> ErrorsAsync(Guid id, int? page, int? pageSize, CancellationToken ct = default)
    {
        if (await FindAsync(id, ct) is null) return null;
        return await db.Set<ImportRowError>().AsNoTracking().Where(e => e.ImportId == id).OrderBy(e => e.Row).ThenBy(e => e.Id)
            .Select(e => new ErrorItem(e.Row, e.Field, e.Message)).PageAsync(page, pageSize, 50, ct);
    }

    /// <summary>Rows of the import: <paramref name="which"/> = Differences (waiting to be accepted), Unplaced, or all.</summary>
    public async Task<PageOf<RowItem>?> RowsAsync(Guid id, string? which, int? page, int? pageSize, CancellationToken ct = default)
    {
        if (await FindAsync(id, ct) is null) return null;
        var q = db.Set<ImportRow>().AsNoTracking().Where(r => r.ImportId == id);
        q = which switch
        {
            "Differences" => q.Where(r => r.Differences != null && r.DifferencesAccepted == null),
            "Unplaced" => q.Where(r => r.Kind == ImportRowKind.Unplaced),
            null or "" or "All" => q,
            _ => throw new ValidationFailedException(new Errors().Add("which", "应为 Differences、Unplaced 或 All")),
        };
        var p = await q.OrderBy(r => r.Row).PageAsync(page, pageSize, 50, ct);
        var owners = await OwnersAsync(p.Items.Where(r => r.Kind == ImportRowKind.Elsewhere).Select(r => r.IdNumberHash), ct);
        return new PageOf<RowItem>([.. p.Items.Select(r => ToItem(r, owners))], p.Total);
    }

    private static RowItem ToItem(ImportRow r, IReadOnlyDictionary<string, string>? owners = null) => r.Kind == ImportRowKind.Elsewhere
        // Only what the duplicate rule tells: the community. Not even the list's own values, which the uploader has.
        ? new(r.Row, r.Kind, "", "", null, null, null, null, r.DuplicateOfRow, [], null, owners?.GetValueOrDefault(r.IdNumberHash) ?? OtherArea)
        : new(r.Row, r.Kind, r.Name, r.IdNumberMasked, r.PhoneMasked, r.Address, r.PersonId, r.TaskId, r.DuplicateOfRow,
            r.Differences is null ? [] : JsonSerializer.Deserialize<List<RunImport.Difference>>(r.Differences) ?? [], r.DifferencesAccepted);

    /// <summary>What the duplicate rule says when the person is no longer found by their ID number (e.g. anonymised since).</summary>
    private const string OtherArea = "其他辖区";

    /// <summary>The community of each out-of-scope person, by ID hash: the duplicate rule's answer, a query per 1,000 rows.</summary>
    private async Task<Dictionary<string, string>> OwnersAsync(IEnumerable<string> hashes, CancellationToken ct)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chunk in hashes.Distinct().Chunk(1000))
        {
            foreach (var (hash, community) in await RegisterPerson.OwnerAreasAsync(db, chunk, ct)) owners[hash] = community;
        }
        return owners;
    }

    /// <summary>The feedback sheet's result for an out-of-scope person: the duplicate rule's words.</summary>
    public static string RegisteredElsewhere(string ownerArea) => $"此人已由{ownerArea}登记";

    /// <summary>
    /// Accepts (applies to the person, audited field by field) or declines what the list says differently. Null when the
    /// import, the row or the person is not found (or out of scope); 409 when there is nothing waiting.
    /// </summary>
    public async Task<RowItem?> AcceptAsync(Guid id, int row, AcceptInput input, CancellationToken ct = default)
    {
        if (await FindAsync(id, ct) is null) return null;
        var r = await db.Set<ImportRow>().FirstOrDefaultAsync(x => x.ImportId == id && x.Row == row, ct);
        if (r is null) return null;
        var accept = input.Accept;
        if (accept is null) new Errors().Add("accept", "必填（true 接受名单中的信息，false 保留登记信息）").Throw();
        if (r.Differences is null || r.DifferencesAccepted is not null || r.PersonId is null) throw new InvalidStepException("该行没有待确认的差异");
        var person = await db.Set<Person>().FirstOrDefaultAsync(p => p.Id == r.PersonId, ct);
        if (person is null) return null;
        if (accept == true)
        {
            foreach (var d in JsonSerializer.Deserialize<List<RunImport.Difference>>(r.Differences) ?? [])
            {
                switch (d.Field)
                {
                    case "name": person.Name = r.Name; break;
                    case "phone" when r.PhoneCipher is not null:
                        person.SetPhone(new ProtectedValue(r.PhoneCipher, r.PhoneHash!, r.PhoneLast4!, r.PhoneMasked!)); break;
                    case "address" when r.Address is not null: person.Address = r.Address; break;
                    case "travelFrom": person.TravelFrom = r.TravelFrom; break;
                    case "arrivedAt": person.ArrivedAt = r.ArrivedAt; break;
                    case "tripNumber": person.TripNumber = r.TripNumber; break;
                }
            }
            person.UpdatedAt = clock.UtcNow;
        }
        r.DifferencesAccepted = accept;
        await db.SaveChangesAsync(ct);
        return ToItem(r);
    }

    /// <summary>
    /// Places a row whose address named no compound: the person is registered there (or linked, if registered meanwhile)
    /// and gets their verification task; later rows naming the same person follow. Null when not found; 409 when placed.
    /// </summary>
    public async Task<RowItem?> PlaceAsync(Guid id, int row, PlaceInput input, CancellationToken ct = default)
    {
        var job = await db.Set<ImportJob>().FirstOrDefaultAsync(i => i.Id == id, ct);
        if (job is null) return null;
        var r = await db.Set<ImportRow>().FirstOrDefaultAsync(x => x.ImportId == id && x.Row == row, ct);
        if (r is null) return null;
        var errors = new Errors();
        var compoundId = errors.Required("compoundId", input.CompoundId);
        errors.Throw();
        if (r.Kind != ImportRowKind.Unplaced) throw new InvalidStepException("该行已安置");
        var compound = await db.Areas.AsNoTracking().FirstOrDefaultAsync(a => a.Id == compoundId && a.Kind == AreaKind.Compound, ct);
        if (compound is null) errors.Add("compoundId", "小区不存在或不在您的辖区内").Throw();

        var now = clock.UtcNow;
        // Registered meanwhile: linked when in the caller's scope; out of it, the row becomes Elsewhere — the community
        // and nothing more, as at the import (and no task in a compound that is not the caller's).
        var existing = await db.Set<Person>().AsNoTracking().Where(p => p.IdNumberHash == r.IdNumberHash)
            .Select(p => new { p.Id, p.CompoundId }).FirstOrDefaultAsync(ct);
        if (existing is null && await OwnersAsync([r.IdNumberHash], ct) is { Count: > 0 } owner)
        {
            r.Kind = ImportRowKind.Elsewhere;
            job.Unplaced--;
            job.Matched++;
            foreach (var dup in await db.Set<ImportRow>().Where(x => x.ImportId == id && x.DuplicateOfRow == row).ToListAsync(ct)) dup.Kind = ImportRowKind.Elsewhere;
            await db.SaveChangesAsync(ct);
            return ToItem(r, owner);
        }
        Guid personId, personCompound;
        if (existing is not null)
        {
            (personId, personCompound) = (existing.Id, existing.CompoundId);
            r.Kind = ImportRowKind.Matched;
            job.Matched++;
        }
        else
        {
            var person = new Person
            {
                Name = r.Name, Gender = r.Gender, DocumentType = DocumentType.ResidentId, CompoundId = compound!.Id, Address = r.Address ?? compound.Name,
                TravelFrom = r.TravelFrom, ArrivedAt = r.ArrivedAt, Transport = r.Transport, TripNumber = r.TripNumber,
                CreatedAt = now, UpdatedAt = now, CreatedBy = job.CreatedBy,
            };
            person.SetIdNumber(new ProtectedValue(r.IdNumberCipher, r.IdNumberHash, r.IdNumberLast4, r.IdNumberMasked));
            if (r.PhoneCipher is not null) person.SetPhone(new ProtectedValue(r.PhoneCipher, r.PhoneHash!, r.PhoneLast4!, r.PhoneMasked!));
            db.Add(person);
            db.Add(new PersonCategoryRow { PersonId = person.Id, Category = PersonCategory.Returnee });
            (personId, personCompound) = (person.Id, person.CompoundId);
            r.Kind = ImportRowKind.New;
            job.Imported++;
        }
        job.Unplaced--;
        var task = await tasks.AddAsync(TaskKind.Verification, personId, personCompound, now.AddHours(24), $"import:{id:N}:{personId:N}",
            "核查上级推送名单：" + job.FileName, ct);
        r.PersonId = personId;
        r.TaskId = task?.Id;
        foreach (var dup in await db.Set<ImportRow>().Where(x => x.ImportId == id && x.DuplicateOfRow == row).ToListAsync(ct))
        {
            dup.PersonId = personId;
            dup.TaskId = task?.Id;
        }
        await db.SaveChangesAsync(ct);
        return ToItem(r);
    }

    private sealed record FeedbackLine(int Row, object?[] Cells, string Result, string Outcome, string Date);

    /// <summary>
    /// The feedback sheet (反馈表): every row of the file in its own column order, then what the import did with it and
    /// the latest verification outcome and its date. Through the exporter (watermark, masking, audit, volume alert).
    /// </summary>
    public async Task<byte[]?> FeedbackAsync(Guid id, CancellationToken ct = default)
    {
        var job = await FindAsync(id, ct);
        if (job is null) return null;
        if (job.Status is ImportStatus.Draft or ImportStatus.Queued) throw new InvalidStepException("名单尚未导入，无法生成反馈表");
        if (job.StoredName.Length == 0) throw new InvalidStepException(ImportFiles.Expired);
        var headings = JsonSerializer.Deserialize<List<string>>(job.Headings) ?? [];
        var mapping = ImportFields.FromJson(job.Mapping);

        var rows = await db.Set<ImportRow>().AsNoTracking().Where(r => r.ImportId == id)
            .Select(r => new { r.Row, r.Kind, r.TaskId, r.DuplicateOfRow, Hash = r.Kind == ImportRowKind.Elsewhere ? r.IdNumberHash : null })
            .ToDictionaryAsync(r => r.Row, ct);
        var owners = await OwnersAsync(rows.Values.Where(r => r.Hash is not null).Select(r => r.Hash!), ct);
        var latest = new Dictionary<Guid, (DateTime At, AttemptOutcome Outcome)>();
        var attempts = db.Set<ImportRow>().AsNoTracking().Where(r => r.ImportId == id && r.TaskId != null)
            .Join(db.Set<Attempt>().AsNoTracking(), r => r.TaskId, a => a.TaskId, (r, a) => new { a.TaskId, a.At, a.Outcome }).AsAsyncEnumerable();
        await foreach (var a in attempts.WithCancellation(ct))
        {
            if (!latest.TryGetValue(a.TaskId, out var l) || a.At > l.At) latest[a.TaskId] = (a.At, a.Outcome);
        }
        var done = await db.Set<ImportRow>().AsNoTracking().Where(r => r.ImportId == id && r.TaskId != null)
            .Join(db.Set<WorkTask>().AsNoTracking().Where(t => t.Status != WorkTaskStatus.Open), r => r.TaskId, t => t.Id, (r, t) => new { t.Id, t.Status, t.DoneAt })
            .Distinct().ToDictionaryAsync(t => t.Id, ct);
        var rejected = (await db.Set<ImportRowError>().AsNoTracking().Where(e => e.ImportId == id).OrderBy(e => e.Id)
            .Select(e => new { e.Row, e.Field, e.Message }).ToListAsync(ct))
            .GroupBy(e => e.Row).ToDictionary(g => g.Key, g => string.Join("；", g.Select(e => $"{e.Field}：{e.Message}")));

        await using var stream = await files.OpenAsync(job.StoredName, db, ct);
        var lines = new List<FeedbackLine>();
        try
        {
            foreach (var (row, cells) in ImportFiles.Rows(stream, headings.Count, files.Limits))
            {
                if (row == 1) continue;
                if (row > job.LastRow && job.Status != ImportStatus.Completed) break;
                string result, outcome = "", date = "";
                if (rejected.TryGetValue(row, out var why)) result = "未导入：" + why;
                else if (rows.TryGetValue(row, out var r))
                {
                    result = r.Kind switch
                    {
                        ImportRowKind.New => "新增登记",
                        ImportRowKind.Matched when r.DuplicateOfRow is { } d => $"与第 {d} 行为同一人",
                        ImportRowKind.Matched => "已登记（已关联）",
                        ImportRowKind.Elsewhere => RegisteredElsewhere(owners.GetValueOrDefault(r.Hash!) ?? OtherArea),
                        _ => "待安置（地址未对应小区）",
                    };
                    if (r.TaskId is { } t && latest.TryGetValue(t, out var l))
                    {
                        (outcome, date) = (Attempt.OutcomeName(l.Outcome), clock.ToLocal(l.At).ToString("yyyy-MM-dd"));
                    }
                    else if (r.TaskId is { } t2 && done.TryGetValue(t2, out var dt))
                    {
                        (outcome, date) = (dt.Status == WorkTaskStatus.Done ? "已核查" : "已取消", dt.DoneAt is { } x ? clock.ToLocal(x).ToString("yyyy-MM-dd") : "");
                    }
                    else outcome = r.TaskId is null ? "" : "待核查";
                }
                else if (cells.All(c => ImportFields.CellText(c).Length == 0)) continue;
                else result = "未处理";
                lines.Add(new FeedbackLine(row, cells, result, outcome, date));
            }
        }
        catch (XlsxLimitException e)
        {
            // Read within today's limits (a lowered setting): a file past them has no feedback sheet.
            throw new InvalidStepException(e.Message);
        }

        var columns = new List<ExportColumn<FeedbackLine>>();
        for (var i = 0; i < headings.Count; i++)
        {
            var index = i;
            var heading = headings[i].Length == 0 ? $"第{i + 1}列" : headings[i];
            var kind = mapping.GetValueOrDefault("idNumber") == headings[i] ? ProtectedKind.IdNumber
                : mapping.GetValueOrDefault("phone") == headings[i] ? (ProtectedKind?)ProtectedKind.Phone : null;
            columns.Add(kind is { } k
                ? ExportColumn<FeedbackLine>.Protected(heading, k, l => Masked(k, l.Cells[index]), l => kit.Protect(k, ImportFields.CellText(l.Cells[index])).Cipher)
                : new(heading, l => l.Cells[index] is DateTime d ? ImportFields.CellText(d) : l.Cells[index]));
        }
        columns.Add(new("导入结果", l => l.Result));
        columns.Add(new("核查结果", l => l.Outcome));
        columns.Add(new("核查日期", l => l.Date));
        columns.Add(new("原表行号", l => l.Row));
        return await exporter.ExportAsync("反馈表", ExportFilter.Of().Typed("名单：", job.FileName), columns, lines, ct);
    }

    private static string Masked(ProtectedKind kind, object? cell)
    {
        var v = ImportFields.CellText(cell);
        return v.Length == 0 ? "" : PrivacyKit.Mask(kind, PrivacyKit.Normalize(kind, v));
    }
}
