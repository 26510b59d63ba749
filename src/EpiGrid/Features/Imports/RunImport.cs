using System.Data.Common;
using System.Text;
using System.Text.Json;
using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Features.People;
using EpiGrid.Features.Tasks;
using EpiGrid.Platform;
using EpiGrid.Platform.Audit;
using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Imports;

/// <summary>
/// Runs one import (in the background worker): reads the file a row at a time, checks every row, and in one
/// transaction per <see cref="BatchRows"/> rows writes what the batch made — new people (placed in the compound their
/// address names), links to people already registered (found by the keyed hash of the ID number, loaded for the whole
/// batch at once), a verification task per person for the grid worker of their compound, the rows' outcomes and the
/// bad rows' errors — together with the import's counts and last committed row. A restart resumes after that row.
/// <para>
/// The bulk path writes with batched raw INSERTs, not through EF's change tracker, so the per-row audit interceptor does
/// not see it: the import writes ONE audit entry (who uploaded it, the file, the counts) when it completes. What it created
/// is in ImportRows (row → person, task), so every person it made is traceable to the import and its uploader.
/// </para>
/// </summary>
public sealed class RunImport(AppDbContext db, PrivacyKit kit, OfficeClock clock, ImportFiles files, IOptions<ObservationOptions> observation)
{
    public const int BatchRows = 4000;

    private sealed record Seen(int Row, Guid? PersonId, Guid? TaskId);
    private sealed record Existing(Guid Id, string Hash, Guid CompoundId, string Name, string? PhoneHash, string? PhoneMasked, string Address,
        string? TravelFrom, DateTime? ArrivedAt, string? TripNumber);
    public sealed record Difference(string Field, string Label, string Current, string Incoming);

    private ImportJob _job = null!;
    private List<string> _headings = [];
    private Dictionary<string, string> _mapping = [];
    private Dictionary<string, int> _column = [];
    private Dictionary<Guid, Guid?> _workers = [];
    private AddressPlacer _placer = null!;
    private readonly Dictionary<string, Seen> _seen = new(StringComparer.Ordinal);
    private bool _pg;

    public async Task RunAsync(Guid importId, CancellationToken ct = default)
    {
        _job = await db.Set<ImportJob>().AsNoTracking().FirstAsync(i => i.Id == importId, ct);
        _pg = db.Database.IsNpgsql();
        _headings = JsonSerializer.Deserialize<List<string>>(_job.Headings) ?? [];
        _mapping = ImportFields.FromJson(_job.Mapping);
        _column = _mapping.ToDictionary(kv => kv.Key, kv => _headings.IndexOf(kv.Value));
        var root = await db.Areas.AsNoTracking().FirstAsync(a => a.Id == _job.AreaId, ct);
        var compounds = await db.Areas.AsNoTracking().Where(a => a.Kind == AreaKind.Compound && a.Path.StartsWith(root.Path))
            .Select(a => new AddressPlacer.Compound(a.Id, a.Name, a.Address)).ToListAsync(ct);
        _placer = new AddressPlacer(compounds);
        _workers = await db.Areas.AsNoTracking().Where(a => a.Kind == AreaKind.Compound && a.GridId != null)
            .Join(db.Grids.AsNoTracking(), a => a.GridId, g => g.Id, (a, g) => new { a.Id, g.WorkerId })
            .ToDictionaryAsync(x => x.Id, x => x.WorkerId, ct);
        // Resumed: the rows already committed count as "earlier rows of the same file".
        foreach (var r in await db.Set<ImportRow>().AsNoTracking().Where(r => r.ImportId == importId).OrderBy(r => r.Row)
                     .Select(r => new { r.IdNumberHash, r.Row, r.PersonId, r.TaskId }).ToListAsync(ct))
        {
            _seen.TryAdd(r.IdNumberHash, new Seen(r.Row, r.PersonId, r.TaskId));
        }

        await using var stream = await files.OpenAsync(_job.StoredName, ct);
        var conn = db.Database.GetDbConnection();
        if (conn.State != System.Data.ConnectionState.Open) await conn.OpenAsync(ct);
        if (!_pg)
        {
            // The batch's random inserts into the People/Tasks indexes touch many pages: a larger page cache for this
            // connection (64 MB, used only as needed) saves re-reading them; set back afterwards (the connection is pooled).
            await using var pragma = conn.CreateCommand();
            pragma.CommandText = "PRAGMA cache_size=-65536;";
            await pragma.ExecuteNonQueryAsync(ct);
        }
        try
        {
            await ReadAndWriteAsync(conn, stream, ct);
        }
        finally
        {
            if (!_pg)
            {
                await using var pragma = conn.CreateCommand();
                pragma.CommandText = "PRAGMA cache_size=-2000;";
                await pragma.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
        await CompleteAsync(ct);
    }

    private async Task ReadAndWriteAsync(DbConnection conn, Stream stream, CancellationToken ct)
    {
        var batch = new List<(int Row, object?[] Cells)>(BatchRows);
        foreach (var (row, cells) in ImportFiles.Rows(stream, _headings.Count))
        {
            if (row == 1 || row <= _job.LastRow) continue;
            if (row - 1 > ImportFiles.MaxRows) throw new ImportFailedException($"超过 {ImportFiles.MaxRows:N0} 行，请分批导入");
            batch.Add((row, cells));
            if (batch.Count == BatchRows)
            {
                await WriteBatchAsync(conn, batch, ct);
                batch.Clear();
            }
        }
        if (batch.Count > 0) await WriteBatchAsync(conn, batch, ct);
    }

    private async Task WriteBatchAsync(DbConnection conn, List<(int Row, object?[] Cells)> batch, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var today = clock.Today;
        var errors = new List<ImportFields.RowError>();
        var valid = new List<(ImportFields.Parsed P, ProtectedValue Id, ProtectedValue Phone)>();
        int total = 0, rejected = 0;
        foreach (var (row, cells) in batch)
        {
            if (cells.All(c => ImportFields.CellText(c).Length == 0)) continue; // a blank line
            total++;
            var p = ImportFields.Check(row, key => _column.TryGetValue(key, out var i) && i >= 0 && i < cells.Length ? cells[i] : null,
                _mapping, today, local => TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), clock.Zone), now, errors);
            if (p is null) { rejected++; continue; }
            valid.Add((p, kit.Protect(ProtectedKind.IdNumber, p.IdNumber), kit.Protect(ProtectedKind.Phone, p.Phone)));
        }

        // One query for the batch: which of these ID numbers are registered (anywhere: a list names people wherever they are).
        var lookup = valid.Select(v => v.Id.Hash).Where(h => !_seen.ContainsKey(h)).Distinct().ToList();
        var existing = lookup.Count == 0 ? [] : await db.Set<Person>().IgnoreQueryFilters().AsNoTracking().Where(p => lookup.Contains(p.IdNumberHash))
            .Select(p => new Existing(p.Id, p.IdNumberHash, p.CompoundId, p.Name, p.PhoneHash, p.PhoneMasked, p.Address, p.TravelFrom, p.ArrivedAt, p.TripNumber))
            .ToDictionaryAsync(p => p.Hash, StringComparer.Ordinal, ct);

        var people = new List<object?[]>();
        var categories = new List<object?[]>();
        var tasks = new List<object?[]>();
        var rows = new List<object?[]>();
        int imported = 0, matched = 0, unplaced = 0;
        var due = now.AddHours(observation.Value.VerificationHours);
        var note = Trim($"核查上级推送名单：{_job.FileName}", 500);
        foreach (var (p, id, phone) in valid)
        {
            ImportRowKind kind;
            Guid? personId = null, taskId = null, compoundId = null;
            int? duplicateOf = null;
            string? differences = null;
            if (_seen.TryGetValue(id.Hash, out var earlier))
            {
                kind = ImportRowKind.Matched;
                (personId, taskId, duplicateOf) = (earlier.PersonId, earlier.TaskId, earlier.Row);
                matched++;
            }
            else if (existing.TryGetValue(id.Hash, out var e))
            {
                kind = ImportRowKind.Matched;
                personId = e.Id;
                compoundId = e.CompoundId;
                differences = Differences(e, p, phone);
                matched++;
            }
            else if (_placer.Find(p.Address) is { } compound)
            {
                kind = ImportRowKind.New;
                personId = Guid.CreateVersion7();
                compoundId = compound;
                people.Add([G(personId), p.Name, p.Gender.ToString(), "ResidentId", id.Cipher, id.Hash, id.Last4, id.Masked,
                    N(phone.Cipher), N(phone.Hash), N(phone.Last4), N(phone.Masked), G(compound), p.Address ?? "", "Active",
                    p.TravelFrom, p.ArrivedAtUtc, p.Transport?.ToString(), p.TripNumber, G(_job.CreatedBy), now, now]);
                categories.Add([G(personId), nameof(PersonCategory.Returnee)]);
                imported++;
            }
            else
            {
                kind = ImportRowKind.Unplaced;
                unplaced++;
            }
            if (compoundId is { } c && personId is { } pid)
            {
                taskId = Guid.CreateVersion7();
                tasks.Add([G(taskId), nameof(TaskKind.Verification), G(pid), G(c), G(_workers.GetValueOrDefault(c)), due, nameof(WorkTaskStatus.Open), now, note,
                    $"import:{_job.Id:N}:{pid:N}"]);
            }
            _seen.TryAdd(id.Hash, new Seen(p.Row, personId, taskId));
            rows.Add([G(Guid.CreateVersion7()), G(_job.Id), G(_job.AreaId), p.Row, kind.ToString(), G(personId), G(taskId), duplicateOf,
                p.Name, p.Gender.ToString(), id.Cipher, id.Hash, id.Last4, id.Masked, N(phone.Cipher), N(phone.Hash), N(phone.Last4), N(phone.Masked),
                p.Address, p.TravelFrom, p.ArrivedAtUtc, p.Transport?.ToString(), p.TripNumber, differences]);
        }

        await using var tx = await conn.BeginTransactionAsync(ct);
        await InsertAsync(conn, tx, "People", ["Id", "Name", "Gender", "DocumentType", "IdNumberCipher", "IdNumberHash", "IdNumberLast4", "IdNumberMasked",
            "PhoneCipher", "PhoneHash", "PhoneLast4", "PhoneMasked", "CompoundId", "Address", "Status",
            "TravelFrom", "ArrivedAt", "Transport", "TripNumber", "CreatedBy", "CreatedAt", "UpdatedAt"], people, ct);
        await InsertAsync(conn, tx, "PersonCategories", ["PersonId", "Category"], categories, ct);
        await InsertAsync(conn, tx, "Tasks", ["Id", "Kind", "PersonId", "CompoundId", "AssigneeId", "DueAt", "Status", "CreatedAt", "Note", "DedupeKey"], tasks, ct);
        await InsertAsync(conn, tx, "ImportRows", ["Id", "ImportId", "AreaId", "Row", "Kind", "PersonId", "TaskId", "DuplicateOfRow",
            "Name", "Gender", "IdNumberCipher", "IdNumberHash", "IdNumberLast4", "IdNumberMasked", "PhoneCipher", "PhoneHash", "PhoneLast4", "PhoneMasked",
            "Address", "TravelFrom", "ArrivedAt", "Transport", "TripNumber", "Differences"], rows, ct);
        await InsertAsync(conn, tx, "ImportRowErrors", ["ImportId", "Row", "Field", "Message"],
            [.. errors.Select(e => new object?[] { G(_job.Id), e.Row, Trim(e.Field, 50), Trim(e.Message, 200) })], ct);
        var lastRow = batch[^1].Row;
        await using (var update = conn.CreateCommand())
        {
            update.Transaction = tx;
            update.CommandText = """
                UPDATE "Imports" SET "LastRow" = @last, "Total" = "Total" + @total, "Imported" = "Imported" + @imported,
                  "Matched" = "Matched" + @matched, "Rejected" = "Rejected" + @rejected, "Unplaced" = "Unplaced" + @unplaced, "HeartbeatAt" = @now
                WHERE "Id" = @id
                """;
            Add(update, "@last", lastRow); Add(update, "@total", total); Add(update, "@imported", imported); Add(update, "@matched", matched);
            Add(update, "@rejected", rejected); Add(update, "@unplaced", unplaced); Add(update, "@now", now); Add(update, "@id", G(_job.Id));
            await update.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        _job.LastRow = lastRow;
        _job.Total += total; _job.Imported += imported; _job.Matched += matched; _job.Rejected += rejected; _job.Unplaced += unplaced;
    }

    private async Task CompleteAsync(CancellationToken ct)
    {
        var now = clock.UtcNow;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Set<ImportJob>().Where(i => i.Id == _job.Id).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Status, ImportStatus.Completed).SetProperty(i => i.CompletedAt, now).SetProperty(i => i.HeartbeatAt, now), ct);
        // The one audit entry of the bulk write: who, which file, what it made.
        db.Add(new AuditEntry
        {
            Action = "Import", Entity = nameof(ImportJob), EntityId = _job.Id.ToString(), UserId = _job.CreatedBy, UserName = _job.CreatedByName,
            Details = JsonSerializer.Serialize(new
            {
                file = _job.FileName, total = _job.Total, imported = _job.Imported, matched = _job.Matched, rejected = _job.Rejected,
                unplaced = _job.Unplaced, tasks = "每个有效行一项核查任务", resumes = _job.Resumes,
            }, EpiGrid.Platform.Audit.AuditLog.Json),
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private static readonly (string Field, string Label)[] Compared =
        [("name", "姓名"), ("phone", "联系电话"), ("address", "现住址"), ("travelFrom", "从何地返回"), ("arrivedAt", "返回日期"), ("tripNumber", "车次/航班号")];

    /// <summary>What the list says that differs from the registered person (never applied without the statistician).</summary>
    private string? Differences(Existing e, ImportFields.Parsed p, ProtectedValue phone)
    {
        var list = new List<Difference>();
        foreach (var (field, label) in Compared)
        {
            if (!_mapping.ContainsKey(field)) continue;
            switch (field)
            {
                case "name" when p.Name != e.Name: list.Add(new(field, label, e.Name, p.Name)); break;
                case "phone" when !phone.IsEmpty && phone.Hash != e.PhoneHash: list.Add(new(field, label, e.PhoneMasked ?? "", phone.Masked)); break;
                case "address" when p.Address is not null && p.Address != e.Address: list.Add(new(field, label, e.Address, p.Address)); break;
                case "travelFrom" when p.TravelFrom is not null && p.TravelFrom != e.TravelFrom: list.Add(new(field, label, e.TravelFrom ?? "", p.TravelFrom)); break;
                case "arrivedAt" when p.ArrivedAtUtc is { } a && (e.ArrivedAt is null || DateOnly.FromDateTime(clock.ToLocal(e.ArrivedAt.Value)) != DateOnly.FromDateTime(clock.ToLocal(a))):
                    list.Add(new(field, label, e.ArrivedAt is { } ea ? clock.ToLocal(ea).ToString("yyyy-MM-dd") : "", clock.ToLocal(a).ToString("yyyy-MM-dd"))); break;
                case "tripNumber" when p.TripNumber is not null && p.TripNumber != e.TripNumber: list.Add(new(field, label, e.TripNumber ?? "", p.TripNumber)); break;
            }
        }
        if (list.Count == 0) return null;
        var json = JsonSerializer.Serialize(list, EpiGrid.Platform.Audit.AuditLog.Json);
        return json.Length <= 4000 ? json : null;
    }

    private object G(Guid? g) => g is null ? DBNull.Value : _pg ? g.Value : g.Value.ToString().ToUpperInvariant();
    private static object? N(string s) => s.Length == 0 ? null : s;
    private static string Trim(string s, int max) => s.Length <= max ? s : s[..max];

    private static void Add(DbCommand c, string name, object? value)
    {
        var p = c.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        c.Parameters.Add(p);
    }

    /// <summary>
    /// Batched INSERTs in the batch's transaction. SQLite: one prepared statement run per row (an in-process call, no
    /// round trip; Microsoft.Data.Sqlite looks parameters up by name one by one, so a statement with thousands of them
    /// is quadratic). PostgreSQL: multi-row statements of a few hundred rows (one round trip each).
    /// </summary>
    private async Task InsertAsync(DbConnection conn, DbTransaction tx, string table, string[] columns, List<object?[]> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        var head = $"INSERT INTO \"{table}\" ({string.Join(",", columns.Select(c => "\"" + c + "\""))}) VALUES ";
        if (!_pg)
        {
            await using var one = conn.CreateCommand();
            one.Transaction = tx;
            one.CommandText = head + "(" + string.Join(",", columns.Select((_, i) => "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))) + ")";
            var ps = new DbParameter[columns.Length];
            for (var c = 0; c < columns.Length; c++)
            {
                ps[c] = one.CreateParameter();
                ps[c].ParameterName = "@p" + c.ToString(System.Globalization.CultureInfo.InvariantCulture);
                one.Parameters.Add(ps[c]);
            }
            await one.PrepareAsync(ct);
            foreach (var values in rows)
            {
                for (var c = 0; c < columns.Length; c++) ps[c].Value = values[c] ?? DBNull.Value;
                await one.ExecuteNonQueryAsync(ct);
            }
            return;
        }
        var perStatement = Math.Max(1, Math.Min(500, 30_000 / columns.Length));
        for (var start = 0; start < rows.Count; start += perStatement)
        {
            var n = Math.Min(perStatement, rows.Count - start);
            await using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            var sql = new StringBuilder(head, head.Length + n * columns.Length * 8);
            var k = 0;
            for (var r = 0; r < n; r++)
            {
                sql.Append(r == 0 ? "(" : ",(");
                var values = rows[start + r];
                for (var c = 0; c < columns.Length; c++, k++)
                {
                    if (c > 0) sql.Append(',');
                    var name = "@p" + k.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    sql.Append(name);
                    Add(cmd, name, values[c]);
                }
                sql.Append(')');
            }
            cmd.CommandText = sql.ToString();
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }
}

/// <summary>An import that cannot go on (too many rows, file gone): it ends Failed with this reason.</summary>
public sealed class ImportFailedException(string reason) : Exception(reason);

/// <summary>
/// Places a person by the address on the list: the compound whose name (or street address) the address contains,
/// the longest such name winning (春天大道 before 春天). None → the statistician places the person.
/// </summary>
public sealed class AddressPlacer(IReadOnlyList<AddressPlacer.Compound> compounds)
{
    public sealed record Compound(Guid Id, string Name, string? Address);

    private readonly List<(string Key, Guid Id)> _keys = [.. compounds
        .SelectMany(c => new[] { (c.Name, c.Id), (c.Address ?? "", c.Id) })
        .Where(k => k.Item1.Length >= 2)
        .OrderByDescending(k => k.Item1.Length)];

    public Guid? Find(string? address)
    {
        if (string.IsNullOrEmpty(address)) return null;
        foreach (var (key, id) in _keys)
        {
            if (address.Contains(key, StringComparison.Ordinal)) return id;
        }
        return null;
    }
}
