using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
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
/// <para>
/// It runs restricted to its uploader's scope (<see cref="ImportWorker"/> sets the scope's <see cref="DataScope"/> before it
/// runs): a listed person registered outside that scope is not linked, compared or given a task — the row is
/// <see cref="ImportRowKind.Elsewhere"/>, and the review says only the community they are registered in.
/// </para>
public sealed class RunImport(AppDbContext db, DataScope scope, PrivacyKit kit, OfficeClock clock, ImportFiles files, IOptions<ObservationOptions> observation, ILogger<RunImport> log)
{
    /// <summary>Rows the reading thread hands over at a time (small: the rows in flight stay a few megabytes).</summary>
    public const int ChunkRows = 2000;
    /// <summary>
    /// Rows per committed batch: each commit writes every index page its rows touched, and the People indexes keyed by
    /// hashes are random, so fewer, larger commits write far less (ADR-013). The progress bar moves at each commit.
    /// </summary>
    public static readonly int BatchRows = int.TryParse(Environment.GetEnvironmentVariable("EPIGRID_IMPORT_BATCH"), out var b) && b > 0 ? b : 25_000;
    /// <summary>
    /// The bulk connection's SQLite page cache (KiB) while an import runs. R1-speed2 set 16 MB (on a registry grown to
    /// 2.5 M people, 128 MB was no faster, and the reader then left no room for it under 500 MB). R1-speed3, on the fresh
    /// 1 M registry of the target with the import's own sheet reader (peak ~355 MB at 16 MB): 96 MB keeps most of the
    /// random People index pages (ID hash 86 MB, both last-4s 29 MB, name 63 MB) between rows and batches — People
    /// inserts 5.3–6.7 s → 4.4–4.5 s, peak RSS ~440 MB (128 MB: about as fast, ~475 MB, too close to the target).
    /// </summary>
    private static readonly int BulkCacheKiB = int.TryParse(Environment.GetEnvironmentVariable("EPIGRID_IMPORT_CACHE_KIB"), out var k) && k > 0 ? k : 98_304;

    private sealed record Seen(int Row, Guid? PersonId, Guid? TaskId, ImportRowKind Kind);
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
    private object _jobId = DBNull.Value, _areaId = DBNull.Value;

    public async Task RunAsync(Guid importId, CancellationToken ct = default)
    {
        _job = await db.Set<ImportJob>().AsNoTracking().FirstAsync(i => i.Id == importId, ct);
        _pg = db.Database.IsNpgsql();
        (_jobId, _areaId) = (_job.Id, _job.AreaId);
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
                     .Select(r => new { r.IdNumberHash, r.Row, r.PersonId, r.TaskId, r.Kind }).ToListAsync(ct))
        {
            _seen.TryAdd(r.IdNumberHash, new Seen(r.Row, r.PersonId, r.TaskId, r.Kind));
        }

        var conn = db.Database.GetDbConnection();
        // Through EF, so that a new physical connection gets the app's SQLite settings too (SqlitePragmas).
        if (conn.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        if (!_pg) await PragmaAsync(conn, $"PRAGMA cache_size=-{BulkCacheKiB}; PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=0;", ct);
        var total = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await using (var stream = await files.OpenAsync(_job.StoredName, db, ct))
            {
                _timing.Open = total.Elapsed;
                await ReadAndWriteAsync(conn, stream, ct);
            }
        }
        finally
        {
            DisposeStatements();
            // The connection goes back to the pool: the usual page cache again (the bulk one is freed with it).
            // A failed import leaves the connection as SQLite's default too. With wal_autocheckpoint back on, the completion's
            // commit checkpoints the WAL itself, right after the commit is in the WAL: Completed is visible to a reader before
            // that checkpoint (~0.85 s per 100,000 rows) ends, which is why the worker's total runs past upload → Completed.
            _timing.Written = total.Elapsed;
            if (!_pg)
            {
                await PragmaAsync(conn, "PRAGMA cache_size=-2000; PRAGMA temp_store=DEFAULT; PRAGMA wal_autocheckpoint=1000;", CancellationToken.None);
                // SQLite frees the bulk cache's pages as the cache shrinks, but glibc keeps freed heap memory for the next
                // malloc: without this the process stayed ~90 MB larger after an import (the feedback sheet then peaked at
                // ~530 MB instead of ~445 MB).
                var released = FreedMemory.Release();
                log.LogDebug("Import {Id}: freed C heap memory given back to the system: {Released}", _job.Id, released);
            }
            _timing.Reset = total.Elapsed;
        }
        try
        {
            await CompleteAsync(ct);
            _timing.Completed = total.Elapsed;
        }
        finally
        {
            if (!_pg)
            {
                // The batches' commits did not copy the WAL into the database (each would have rewritten the same hot
                // index pages): once, now that the import is Completed and durable in the WAL. (Usually the completion's
                // commit has already done it, wal_autocheckpoint being on again; this one then finds nothing to copy.)
                var cp = System.Diagnostics.Stopwatch.StartNew();
                await PragmaAsync(conn, "PRAGMA wal_autocheckpoint=1000; PRAGMA wal_checkpoint(PASSIVE);", CancellationToken.None);
                log.LogDebug("Import {Id}: WAL checkpoint after completion {Ms:N0} ms", _job.Id, cp.Elapsed.TotalMilliseconds);
            }
        }
        log.LogDebug("Import {Id}: {Rows} rows in {Total:N0} ms — open {Open:N0} ms, read+check+protect+lookup {Read:N0} ms (other thread), waited for rows {Wait:N0} ms, " +
            "lookup {Lookup:N0} ms, build {Build:N0} ms, insert {Insert:N0} ms (people {People:N0}, tasks {Tasks:N0}, rows {RowsMs:N0}), commit {Commit:N0} ms, GC at commits {Collect:N0} ms, {Batches} batches; " +
            "last batch written at {Written:N0} ms, connection reset at {Reset:N0} ms, Completed at {Completed:N0} ms",
            _job.Id, _job.Total, total.Elapsed.TotalMilliseconds, _timing.Open.TotalMilliseconds, _timing.Read.TotalMilliseconds, _timing.Wait.TotalMilliseconds,
            _timing.Lookup.TotalMilliseconds, _timing.Build.TotalMilliseconds, _timing.Insert.TotalMilliseconds, _timing.People.TotalMilliseconds,
            _timing.Tasks.TotalMilliseconds, _timing.Rows.TotalMilliseconds, _timing.Commit.TotalMilliseconds, _timing.Collect.TotalMilliseconds, _timing.Batches,
            _timing.Written.TotalMilliseconds, _timing.Reset.TotalMilliseconds, _timing.Completed.TotalMilliseconds);
    }

    private static async Task PragmaAsync(DbConnection conn, string sql, CancellationToken ct)
    {
        await using var pragma = conn.CreateCommand();
        pragma.CommandText = sql;
        await pragma.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Where the time went (logged at Debug when the import completes).</summary>
    private sealed class Timing
    {
        public TimeSpan Open, Read, Wait, Lookup, Build, Insert, People, Tasks, Rows, Commit, Collect, Written, Reset, Completed;
        public int Batches;
    }
    private readonly Timing _timing = new();

    /// <summary>A batch read and checked, its personal values protected: what the writer needs, nothing more.</summary>
    private sealed class Prepared
    {
        public readonly List<(ImportFields.Parsed P, ProtectedValue Id, ProtectedValue Phone)> Valid = new(ChunkRows);
        public readonly List<ImportFields.RowError> Errors = [];
        public int Total, Rejected, LastRow, Read;
        public DateTime Now;
        /// <summary>The registered people among the chunk's ID hashes, looked up by the reading thread.</summary>
        public Dictionary<string, Existing>? Existing;
    }

    /// <summary>
    /// Two threads: one reads the sheet, checks each row and protects its ID number and phone (the CPU work); the other
    /// looks the rows up and writes them (the database work). A bounded channel of a few chunks between them keeps memory flat.
    /// </summary>
    private async Task ReadAndWriteAsync(DbConnection conn, Stream stream, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var channel = Channel.CreateBounded<Prepared>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var reader = Task.Run(() => ReadAsync(stream, channel.Writer, stop.Token), stop.Token);
        try
        {
            var wait = System.Diagnostics.Stopwatch.StartNew();
            await foreach (var chunk in channel.Reader.ReadAllAsync(ct))
            {
                _timing.Wait += wait.Elapsed;
                await WriteChunkAsync(conn, chunk, ct);
                if (_pending.Read >= BatchRows) await CommitAsync(ct);
                wait.Restart();
            }
            await CommitAsync(ct);
        }
        catch
        {
            await stop.CancelAsync();
            try { await reader; } catch { /* the writer's exception is the one to report */ }
            if (_tx is not null) await _tx.DisposeAsync(); // rolled back: the import resumes after the last commit
            _tx = null;
            throw;
        }
        await reader; // the reader's own failure (too many rows, a damaged file) after the batches before it are written
    }

    private async Task ReadAsync(Stream stream, ChannelWriter<Prepared> writer, CancellationToken ct)
    {
        // The reading thread also looks each chunk up in People, on a connection of its own (readers do not wait for the
        // writer: WAL on SQLite, MVCC on PostgreSQL), taking that work off the one writing thread. It sees only committed
        // people; people this import made are found in _seen first, by the writer.
        var cs = db.Database.GetConnectionString();
        await using DbConnection? lookupConn = cs is null ? null : _pg ? new Npgsql.NpgsqlConnection(cs) : new Microsoft.Data.Sqlite.SqliteConnection(cs);
        try
        {
            if (lookupConn is not null) await lookupConn.OpenAsync(ct);
            var busy = System.Diagnostics.Stopwatch.StartNew();
            var b = NewBatch();
            foreach (var (row, cells) in Limited(ImportFiles.Rows(stream, _headings.Count, files.Limits)))
            {
                if (row == 1 || row <= _job.LastRow) continue;
                if (row - 1 > ImportFiles.MaxRows) throw new ImportFailedException($"超过 {ImportFiles.MaxRows:N0} 行，请分批导入");
                Take(b, row, cells);
                if (b.Read == ChunkRows)
                {
                    if (lookupConn is not null) b.Existing = await ExistingAsync(lookupConn, null, [.. b.Valid.Select(v => v.Id.Hash).Distinct()], ct);
                    _timing.Read += busy.Elapsed;
                    await writer.WriteAsync(b, ct);
                    busy.Restart();
                    b = NewBatch();
                }
            }
            if (b.Read > 0 && lookupConn is not null) b.Existing = await ExistingAsync(lookupConn, null, [.. b.Valid.Select(v => v.Id.Hash).Distinct()], ct);
            _timing.Read += busy.Elapsed;
            if (b.Read > 0) await writer.WriteAsync(b, ct);
        }
        finally
        {
            writer.TryComplete();
        }
    }

    private Prepared NewBatch() => new() { Now = clock.UtcNow };

    /// <summary>
    /// A workbook past the upload limits (a zip bomb, a gigantic cell further down than the upload's check read) ends the
    /// import Failed with the reason, like too many rows: a resume would only meet it again. The batches before it stay.
    /// </summary>
    private static IEnumerable<(int Row, object?[] Cells)> Limited(IEnumerable<(int Row, object?[] Cells)> rows)
    {
        using var e = rows.GetEnumerator();
        while (true)
        {
            try
            {
                if (!e.MoveNext()) yield break;
            }
            catch (XlsxLimitException x)
            {
                throw new ImportFailedException(x.Message);
            }
            yield return e.Current;
        }
    }

    /// <summary>
    /// One row of the sheet into the chunk: checked, its ID number and phone protected. This and the other per-row methods
    /// of the import are compiled optimized at their first call (<see cref="MethodImplOptions.AggressiveOptimization"/>):
    /// the first import after a start ran them as tier-0 code for seconds while the JIT recompiled them on the second of two
    /// busy cores (R1-speed4: the JIT had 14 % of the machine's samples during that import). Not in the async loop's body,
    /// which an attribute cannot reach.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Take(Prepared b, int row, object?[] cells)
    {
        b.Read++;
        b.LastRow = row;
        var blank = true;
        foreach (var c in cells)
        {
            if (ImportFields.CellText(c).Length > 0) { blank = false; break; }
        }
        if (blank) return;
        b.Total++;
        var p = ImportFields.Check(row,
            [MethodImpl(MethodImplOptions.AggressiveOptimization)] (key) => _column.TryGetValue(key, out var i) && i >= 0 && i < cells.Length ? cells[i] : null,
            _mapping, clock.Today,
            [MethodImpl(MethodImplOptions.AggressiveOptimization)] (local) => TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), clock.Zone),
            b.Now, b.Errors);
        if (p is null) b.Rejected++;
        else b.Valid.Add((p, kit.Protect(ProtectedKind.IdNumber, p.IdNumber), kit.Protect(ProtectedKind.Phone, p.Phone)));
    }

    private async Task WriteChunkAsync(DbConnection conn, Prepared batch, CancellationToken ct)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var now = batch.Now;
        var valid = batch.Valid;
        int total = batch.Total, rejected = batch.Rejected;

        _tx ??= await conn.BeginTransactionAsync(ct);
        var tx = _tx;
        // One query for the chunk: which of these ID numbers are registered (anywhere: a list names people wherever they are).
        var existing = batch.Existing ?? await ExistingAsync(conn, tx, [.. valid.Select(v => v.Id.Hash).Where(h => !_seen.ContainsKey(h)).Distinct()], ct);
        _timing.Lookup += sw.Elapsed;
        sw.Restart();

        var built = Build(valid, existing, now);
        _timing.Build += sw.Elapsed;
        sw.Restart();

        var part = System.Diagnostics.Stopwatch.StartNew();
        await InsertAsync(conn, tx, PeopleTable, built.People, ct);
        await InsertAsync(conn, tx, CategoriesTable, built.Categories, ct);
        _timing.People += part.Elapsed;
        part.Restart();
        await InsertAsync(conn, tx, TasksTable, built.Tasks, ct);
        _timing.Tasks += part.Elapsed;
        part.Restart();
        await InsertAsync(conn, tx, RowsTable, built.Rows, ct);
        _timing.Rows += part.Elapsed;
        await InsertAsync(conn, tx, ErrorsTable, [.. batch.Errors.Select(e => new object?[] { _jobId, e.Row, Trim(e.Field, 50), Trim(e.Message, 200) })], ct);
        _timing.Insert += sw.Elapsed;
        _pending.Read += batch.Read;
        _pending.LastRow = batch.LastRow;
        _pending.Total += total; _pending.Rejected += rejected; _pending.Imported += built.Imported; _pending.Matched += built.Matched; _pending.Unplaced += built.Unplaced;
    }

    /// <summary>What a chunk's valid rows make: the rows of each table, and the counts.</summary>
    private sealed class Built(int capacity)
    {
        public readonly List<object?[]> People = new(capacity), Categories = new(capacity), Tasks = new(capacity), Rows = new(capacity);
        public int Imported, Matched, Unplaced;
    }

    /// <summary>The writer's per-row work for a chunk: matched, new or unplaced, and the values of each insert.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Built Build(List<(ImportFields.Parsed P, ProtectedValue Id, ProtectedValue Phone)> valid, Dictionary<string, Existing> existing, DateTime now)
    {
        var b = new Built(valid.Count);
        var (people, categories, tasks, rows) = (b.People, b.Categories, b.Tasks, b.Rows);
        var due = now.AddHours(observation.Value.VerificationHours);
        var note = Trim($"核查上级推送名单：{_job.FileName}", 500);
        var dedupe = $"import:{_job.Id:N}:";
        foreach (var (p, id, phone) in valid)
        {
            ImportRowKind kind;
            Guid? personId = null, taskId = null, compoundId = null;
            int? duplicateOf = null;
            string? differences = null;
            if (_seen.TryGetValue(id.Hash, out var earlier))
            {
                kind = earlier.Kind == ImportRowKind.Elsewhere ? ImportRowKind.Elsewhere : ImportRowKind.Matched;
                (personId, taskId, duplicateOf) = (earlier.PersonId, earlier.TaskId, earlier.Row);
                b.Matched++;
            }
            else if (existing.TryGetValue(id.Hash, out var e) && !scope.Covers(e.CompoundId))
            {
                // Registered outside the uploader's scope (the list names people wherever they are): as for a duplicate
                // registration, the uploader learns only the community — no link, no differences (they would carry the
                // registered name, phone, address and travel), no task in a compound that is not theirs.
                kind = ImportRowKind.Elsewhere;
                b.Matched++;
            }
            else if (existing.TryGetValue(id.Hash, out e))
            {
                kind = ImportRowKind.Matched;
                personId = e.Id;
                compoundId = e.CompoundId;
                differences = Differences(e, p, phone);
                b.Matched++;
            }
            else if (_placer.Find(p.Address) is { } compound)
            {
                kind = ImportRowKind.New;
                personId = Guid.CreateVersion7();
                compoundId = compound;
                people.Add([V(personId), p.Name, Name(p.Gender), "ResidentId", id.Cipher, id.Hash, id.Last4, id.Masked,
                    N(phone.Cipher), N(phone.Hash), N(phone.Last4), N(phone.Masked), V(compound), p.Address ?? "", "Active",
                    p.TravelFrom, p.ArrivedAtUtc, Name(p.Transport), p.TripNumber, V(_job.CreatedBy), now, now, ReturneeBit]);
                categories.Add([V(personId), nameof(PersonCategory.Returnee)]);
                b.Imported++;
            }
            else
            {
                kind = ImportRowKind.Unplaced;
                b.Unplaced++;
            }
            if (compoundId is { } c && personId is { } pid)
            {
                taskId = Guid.CreateVersion7();
                tasks.Add([V(taskId), nameof(TaskKind.Verification), V(pid), V(c), V(_workers.GetValueOrDefault(c)), due, nameof(WorkTaskStatus.Open), now, note,
                    dedupe + pid.ToString("N")]);
            }
            _seen.TryAdd(id.Hash, new Seen(p.Row, personId, taskId, kind));
            rows.Add([Guid.CreateVersion7(), _jobId, _areaId, p.Row, Name(kind), V(personId), V(taskId), duplicateOf,
                p.Name, Name(p.Gender), id.Cipher, id.Hash, id.Last4, id.Masked, N(phone.Cipher), N(phone.Hash), N(phone.Last4), N(phone.Masked),
                p.Address, p.TravelFrom, p.ArrivedAtUtc, Name(p.Transport), p.TripNumber, differences]);
        }
        return b;
    }

    // Values for the statements and COPY: GUIDs as Guid (SqliteStatement binds them as EF stores them, upper-case text;
    // COPY as uuid), without a string made per value.
    private static object V(Guid? g) => g is null ? DBNull.Value : g.Value;
    // Enum names from the runtime's cache (generic: no boxing, no string made per value).
    private static string Name<T>(T value) where T : struct, Enum => Enum.GetName(value) ?? value.ToString();
    private static string? Name<T>(T? value) where T : struct, Enum => value is { } v ? Name(v) : null;

    /// <summary>What the open transaction holds, to be added to the import's counters when it commits.</summary>
    private sealed class Pending
    {
        public int Read, LastRow, Total, Imported, Matched, Rejected, Unplaced;
    }
    private Pending _pending = new();
    private DbTransaction? _tx;

    /// <summary>Commits the open transaction with the import's counters and last row: what it holds is done, for good.</summary>
    private async Task CommitAsync(CancellationToken ct)
    {
        if (_tx is null) return;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var p = _pending;
        await using (var update = _tx.Connection!.CreateCommand())
        {
            update.Transaction = _tx;
            update.CommandText = """
                UPDATE "Imports" SET "LastRow" = @last, "Total" = "Total" + @total, "Imported" = "Imported" + @imported,
                  "Matched" = "Matched" + @matched, "Rejected" = "Rejected" + @rejected, "Unplaced" = "Unplaced" + @unplaced, "HeartbeatAt" = @now
                WHERE "Id" = @id
                """;
            Add(update, "@last", p.LastRow); Add(update, "@total", p.Total); Add(update, "@imported", p.Imported); Add(update, "@matched", p.Matched);
            Add(update, "@rejected", p.Rejected); Add(update, "@unplaced", p.Unplaced); Add(update, "@now", clock.UtcNow); Add(update, "@id", G(_job.Id));
            await update.ExecuteNonQueryAsync(ct);
        }
        await _tx.CommitAsync(ct);
        await _tx.DisposeAsync();
        _tx = null;
        _timing.Commit += sw.Elapsed;
        _timing.Batches++;
        _job.LastRow = p.LastRow;
        _job.Total += p.Total; _job.Imported += p.Imported; _job.Matched += p.Matched; _job.Rejected += p.Rejected; _job.Unplaced += p.Unplaced;
        _pending = new Pending();
        // A batch is a phase end: what the reader made for it (the rows, the protected values, the statements' values) has
        // been promoted past gen0 by the chunks in flight and would pile up until the import ends. One blocking collection
        // per batch (4 per 100,000 rows, ~60 ms each) keeps the peak lower (~60-90 MB when measured under server GC, R1-speed2;
        // under workstation GC, R1-speed4: 490-491 MB without it against ~435 MB with it, for ~0.2 s of the writer).
        var collect = System.Diagnostics.Stopwatch.StartNew();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        _timing.Collect += collect.Elapsed;
        if (log.IsEnabled(LogLevel.Debug))
        {
            var gc = GC.GetGCMemoryInfo();
            log.LogDebug("Import {Id}: committed to row {Row} — lookup {Lookup:N0} ms, build {Build:N0} ms, insert {Insert:N0} ms, commit {Commit:N0} ms so far; " +
                "working set {Rss:N0} MB, GC heap {Heap:N0} MB ({Committed:N0} MB committed)",
                _job.Id, p.LastRow, _timing.Lookup.TotalMilliseconds, _timing.Build.TotalMilliseconds, _timing.Insert.TotalMilliseconds, _timing.Commit.TotalMilliseconds,
                Environment.WorkingSet >> 20, gc.HeapSizeBytes >> 20, gc.TotalCommittedBytes >> 20);
        }
    }

    /// <summary>
    /// The registered people among these ID hashes, in the open transaction. SQLite: the hashes as a JSON array walked
    /// FIRST (CROSS JOIN fixes the order), each probing the People hash index — left to itself the planner may scan a
    /// million people instead. PostgreSQL: <c>= ANY(array)</c> on the same index.
    /// </summary>
    private async Task<Dictionary<string, Existing>> ExistingAsync(DbConnection conn, DbTransaction? tx, List<string> hashes, CancellationToken ct)
    {
        var found = new Dictionary<string, Existing>(StringComparer.Ordinal);
        if (hashes.Count == 0) return found;
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        const string Columns = """p."Id", p."IdNumberHash", p."CompoundId", p."Name", p."PhoneHash", p."PhoneMasked", p."Address", p."TravelFrom", p."ArrivedAt", p."TripNumber" """;
        if (_pg)
        {
            cmd.CommandText = $"""SELECT {Columns} FROM "People" p WHERE p."IdNumberHash" = ANY(@h)""";
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter("h", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = hashes.ToArray() });
        }
        else
        {
            cmd.CommandText = $"""SELECT {Columns} FROM json_each(@h) AS j CROSS JOIN "People" AS p ON p."IdNumberHash" = j.value""";
            Add(cmd, "@h", JsonSerializer.Serialize(hashes));
        }
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            var e = new Existing(r.GetGuid(0), r.GetString(1), r.GetGuid(2), r.GetString(3), S(4), S(5), r.GetString(6), S(7),
                r.IsDBNull(8) ? null : DateTime.SpecifyKind(r.GetDateTime(8), DateTimeKind.Utc), S(9));
            found.TryAdd(e.Hash, e);
        }
        return found;
    }

    private async Task CompleteAsync(CancellationToken ct)
    {
        var now = clock.UtcNow;
        // The audit entry names the account that uploaded (ADR-019), not CreatedByName ("display name (account)": a person's name).
        var account = _job.CreatedBy is { } by ? await db.Users.Where(u => u.Id == by).Select(u => u.UserName).FirstOrDefaultAsync(ct) : null;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var begun = sw.Elapsed;
        await db.Set<ImportJob>().Where(i => i.Id == _job.Id).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Status, ImportStatus.Completed).SetProperty(i => i.CompletedAt, now).SetProperty(i => i.HeartbeatAt, now), ct);
        // The one audit entry of the bulk write: who, which file (masked by the interceptor: a file name may name people), what it made.
        db.Add(new AuditEntry
        {
            Action = "Import", Entity = nameof(ImportJob), EntityId = _job.Id.ToString(), UserId = _job.CreatedBy, UserName = account ?? "system",
            Details = JsonSerializer.Serialize(new
            {
                file = _job.FileName, total = _job.Total, imported = _job.Imported, matched = _job.Matched, rejected = _job.Rejected,
                unplaced = _job.Unplaced, tasks = "每个有效行一项核查任务", resumes = _job.Resumes,
            }, EpiGrid.Platform.Audit.AuditLog.Json),
        });
        var updated = sw.Elapsed;
        await db.SaveChangesAsync(ct);
        var saved = sw.Elapsed;
        await tx.CommitAsync(ct);
        log.LogDebug("Import {Id}: completion — begin {Begin:N0} ms, update {Update:N0} ms, audit entry {Save:N0} ms, commit (and SQLite's WAL checkpoint after it) {Commit:N0} ms", _job.Id,
            begun.TotalMilliseconds, (updated - begun).TotalMilliseconds, (saved - updated).TotalMilliseconds, (sw.Elapsed - saved).TotalMilliseconds);
    }

    private static readonly (string Field, string Label)[] Compared =
        [("name", "姓名"), ("phone", "联系电话"), ("address", "现住址"), ("travelFrom", "从何地返回"), ("arrivedAt", "返回日期"), ("tripNumber", "车次/航班号")];

    /// <summary>What the list says that differs from the registered person (never applied without the statistician).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    private sealed record Table(string Name, string[] Columns);

    private static readonly Table PeopleTable = new("People", ["Id", "Name", "Gender", "DocumentType", "IdNumberCipher", "IdNumberHash", "IdNumberLast4",
        "IdNumberMasked", "PhoneCipher", "PhoneHash", "PhoneLast4", "PhoneMasked", "CompoundId", "Address", "Status",
        "TravelFrom", "ArrivedAt", "Transport", "TripNumber", "CreatedBy", "CreatedAt", "UpdatedAt", "CategoryFlags"]);
    /// <summary>
    /// A new person is written with the bit of the category inserted with them (the same value the category trigger would
    /// set): the trigger, guarded since ImportsSpeed2Flags, then leaves the row alone instead of rewriting it and the two
    /// CategoryFlags indexes once more per person.
    /// </summary>
    private static readonly int ReturneeBit = PersonCategoryFlags.Bit(PersonCategory.Returnee);
    private static readonly Table CategoriesTable = new("PersonCategories", ["PersonId", "Category"]);
    private static readonly Table TasksTable = new("Tasks", ["Id", "Kind", "PersonId", "CompoundId", "AssigneeId", "DueAt", "Status", "CreatedAt", "Note", "DedupeKey"]);
    private static readonly Table RowsTable = new("ImportRows", ["Id", "ImportId", "AreaId", "Row", "Kind", "PersonId", "TaskId", "DuplicateOfRow",
        "Name", "Gender", "IdNumberCipher", "IdNumberHash", "IdNumberLast4", "IdNumberMasked", "PhoneCipher", "PhoneHash", "PhoneLast4", "PhoneMasked",
        "Address", "TravelFrom", "ArrivedAt", "Transport", "TripNumber", "Differences"]);
    private static readonly Table ErrorsTable = new("ImportRowErrors", ["ImportId", "Row", "Field", "Message"]);

    private static string Quoted(Table t) => $"\"{t.Name}\" ({string.Join(",", t.Columns.Select(c => "\"" + c + "\""))})";

    /// <summary>
    /// SQLite: one prepared INSERT per table, made once per import and run once per row, its values bound by position
    /// straight through SQLitePCL on the connection's handle (inside the connection's open transaction). SqliteCommand
    /// looked each of the ~24 parameters up by name and made a data reader on every run: 1.8–2.2 s more of the writing
    /// thread per 100,000 rows (R1-speed2, same database and list). Values are bound as Microsoft.Data.Sqlite binds them
    /// (text; DateTime as <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c>; integers), so EF reads them back unchanged.
    /// </summary>
    private readonly Dictionary<Table, SqliteStatement> _raw = [];

    private void DisposeStatements()
    {
        foreach (var stmt in _raw.Values) stmt.Dispose();
        _raw.Clear();
    }

    /// <summary>
    /// Writes a batch's rows of one table in the batch's transaction, bypassing EF (no change tracking, no per-row audit).
    /// SQLite: a prepared statement run per row — an in-process call, no round trip (a multi-row statement with thousands
    /// of parameters was quadratic in Microsoft.Data.Sqlite, which binds them by name one by one).
    /// PostgreSQL: binary COPY, one stream per table and batch.
    /// </summary>
    private async Task InsertAsync(DbConnection conn, DbTransaction tx, Table table, List<object?[]> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        if (_pg)
        {
            await using var copy = await ((Npgsql.NpgsqlConnection)conn).BeginBinaryImportAsync($"COPY {Quoted(table)} FROM STDIN (FORMAT BINARY)", ct);
            foreach (var values in rows)
            {
                await copy.StartRowAsync(ct);
                foreach (var v in values)
                {
                    switch (v)
                    {
                        case null or DBNull: await copy.WriteNullAsync(ct); break;
                        case string x: await copy.WriteAsync(x, NpgsqlTypes.NpgsqlDbType.Text, ct); break;
                        case Guid x: await copy.WriteAsync(x, NpgsqlTypes.NpgsqlDbType.Uuid, ct); break;
                        case int x: await copy.WriteAsync(x, NpgsqlTypes.NpgsqlDbType.Integer, ct); break;
                        case DateTime x: await copy.WriteAsync(DateTime.SpecifyKind(x, DateTimeKind.Utc), NpgsqlTypes.NpgsqlDbType.TimestampTz, ct); break;
                        case bool x: await copy.WriteAsync(x, NpgsqlTypes.NpgsqlDbType.Boolean, ct); break;
                        default: throw new InvalidOperationException($"No COPY type for {v.GetType().Name}");
                    }
                }
            }
            await copy.CompleteAsync(ct);
            return;
        }
        if (!_raw.TryGetValue(table, out var stmt))
        {
            stmt = SqliteStatement.Prepare((Microsoft.Data.Sqlite.SqliteConnection)conn,
                $"INSERT INTO {Quoted(table)} VALUES (" + string.Join(",", table.Columns.Select(_ => "?")) + ")");
            _raw[table] = stmt;
        }
        RunAll(stmt, rows);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunAll(SqliteStatement stmt, List<object?[]> rows)
    {
        foreach (var values in rows) stmt.Run(values);
    }
}

/// <summary>Gives the C heap's free memory back to the system (glibc's <c>malloc_trim</c>); nothing elsewhere.</summary>
internal static class FreedMemory
{
#pragma warning disable SYSLIB1054 // LibraryImport needs AllowUnsafeBlocks for the whole project; one blittable call does not
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);
#pragma warning restore SYSLIB1054

    /// <summary>True when some memory was given back.</summary>
    public static bool Release()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return MallocTrim(0) == 1;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false; // not glibc (musl has no malloc_trim): nothing to give back this way
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
