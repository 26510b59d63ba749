using System.Data.Common;
using System.Threading.Channels;
using EpiGrid.Data;
using EpiGrid.Features.Households;
using EpiGrid.Features.Observation;
using EpiGrid.Features.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace EpiGrid.Features.Gates;

/// <summary>
/// Group commit for gate passes (ADR-010). Requests hand their pass to one
/// writer; the writer takes everything that queued while it was committing, resolves it with a few set queries
/// (residents, people, active quarantine orders, already stored clientIds), inserts it with
/// <c>INSERT … ON CONFLICT ("ClientId") DO NOTHING RETURNING</c> in one transaction and completes every request only
/// after <c>Commit</c> returned — so a 201 always means the row is on disk (SQLite synchronous=FULL, PostgreSQL fsync),
/// while one fsync is shared by all the passes of the batch. A pass that needs more than a row (a person under an
/// active order: the breach alert) is sent back to the full path of <see cref="RecordPass"/>.
/// Overload (security review T2): at most <see cref="GateOptions.PassQueueLimit"/> passes wait besides the batch being
/// written — one more is answered <see cref="Outcome.QueueFull"/> at once and never stored — and a request waits for its
/// commit at most <see cref="GateOptions.PassWaitSeconds"/> (<see cref="Outcome.TimedOut"/>: the writer may still commit
/// it, and the clientId makes the phone's retry answer that pass instead of storing a second).
/// </summary>
public sealed class PassWriter : IAsyncDisposable
{
    public const int MaxBatch = 512;

    /// <summary>QueueFull and Stopping: not queued, not stored. TimedOut: queued, not committed within the wait; it may be later.</summary>
    public enum Outcome { Created, Duplicate, NoSuchResident, NeedsFullPath, QueueFull, Stopping, TimedOut }
    public sealed record Result(Outcome Outcome, GatePass? Stored);

    // The answers that are not a commit, made once: refusing a pass allocates nothing.
    private static readonly Task<Result> QueueFull = Task.FromResult(new Result(Outcome.QueueFull, null));
    private static readonly Task<Result> Stopping = Task.FromResult(new Result(Outcome.Stopping, null));
    private static readonly Result TimedOut = new(Outcome.TimedOut, null);

    /// <summary>A pass to write. <see cref="PersonId"/> is the id the gate picked (a resident or a person under watch of the
    /// gate's compound); <see cref="VisitorIdHash"/> the lookup hash of a visitor's ID number.</summary>
    public sealed record Pending(GatePass Pass, Guid? PersonId, string? VisitorIdHash)
    {
        internal TaskCompletionSource<Result> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Answers TimedOut when it fires first; stopped when the writer answers, so that a timer does not keep
        /// the pass alive for the rest of the wait.</summary>
        internal ITimer? Deadline { get; set; }

        internal void Complete(Result result)
        {
            Done.TrySetResult(result);
            Deadline?.Dispose();
        }

        internal void Fail(Exception e)
        {
            Done.TrySetException(e);
            Deadline?.Dispose();
        }
    }

    private static readonly System.Diagnostics.Metrics.Meter Meter = new("EpiGrid.Gates");
    private static readonly System.Diagnostics.Metrics.Histogram<int> BatchSize =
        Meter.CreateHistogram<int>("epigrid.gate_passes.batch_size", description: "Passes committed together by the writer");
    private static readonly System.Diagnostics.Metrics.Histogram<double> CommitTime =
        Meter.CreateHistogram<double>("epigrid.gate_passes.batch_duration", "ms", "From taking a batch to answering it");
    private static readonly System.Diagnostics.Metrics.Histogram<double> WriteTime =
        Meter.CreateHistogram<double>("epigrid.gate_passes.write_duration", "ms", "The writer's own time for a batch: insert, commit, answer");
    private static readonly System.Diagnostics.Metrics.Counter<long> Unavailable =
        Meter.CreateCounter<long>("epigrid.gate_passes.unavailable", description: "Passes answered 503: the writer's queue was full, it was stopping, or the wait for the commit ran out (tag reason)");

    // Unbounded, with the bound kept beside it in _waiting: one atomic add a pass on the request's side, one subtraction a
    // batch on the writer's. A bounded channel would take its lock on every read as well as every write.
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly int _limit;
    private readonly TimeSpan _wait;
    private readonly TimeProvider _time;
    private int _waiting;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<PassWriter> _log;
    private readonly Dashboard.LiveRefresh _refresh;
    private readonly Task _writeLoop;
    // Built from the model of this app's provider on the first batch (one writer per app, so one provider).
    private InsertStatement? _insert;

    public PassWriter(IServiceScopeFactory scopes, Dashboard.LiveRefresh refresh, Microsoft.Extensions.Options.IOptions<GateOptions> options, TimeProvider time,
        ILogger<PassWriter> log)
    {
        _limit = Math.Max(1, options.Value.PassQueueLimit);
        _wait = TimeSpan.FromSeconds(options.Value.PassWaitSeconds > 0 ? options.Value.PassWaitSeconds : 10);
        _time = time;
        _scopes = scopes;
        _refresh = refresh;
        _log = log;
        _writeLoop = WriterThread.Run(WriteLoopAsync, log);
    }

    /// <summary>True, and counted as refused, when a pass would find the queue full now: the request answers 503 without
    /// preparing the pass (encrypting its fields). <see cref="WriteAsync"/> checks the bound again when it queues.</summary>
    public bool RefusesNow()
    {
        if (Volatile.Read(ref _waiting) < _limit) return false;
        Unavailable.Add(1, new KeyValuePair<string, object?>("reason", "queueFull"));
        return true;
    }

    /// <summary>Completes after the pass is committed (or found stored already), never before; or at once with QueueFull or
    /// Stopping (not stored); or with TimedOut when the wait runs out first (the pass may still be committed).</summary>
    public Task<Result> WriteAsync(Pending pending)
    {
        if (Interlocked.Increment(ref _waiting) > _limit)
        {
            Interlocked.Decrement(ref _waiting);
            Unavailable.Add(1, new KeyValuePair<string, object?>("reason", "queueFull"));
            return QueueFull;
        }
        // Set before the pass is queued: the writer may answer it at once, and stops the timer when it does.
        pending.Deadline = _time.CreateTimer(static p =>
        {
            var pass = (Pending)p!;
            if (pass.Done.TrySetResult(TimedOut)) Unavailable.Add(1, new KeyValuePair<string, object?>("reason", "timeout"));
        }, pending, _wait, Timeout.InfiniteTimeSpan);
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref _waiting);
            pending.Deadline.Dispose();
            Unavailable.Add(1, new KeyValuePair<string, object?>("reason", "stopping"));
            return Stopping;
        }
        return pending.Done.Task;
    }

    /// <summary>The writer's long-lived context with its connection held open (made again after an error). Only untracked
    /// reads and raw commands run on it, so it does not grow. On SQLite the connection has SQLite's automatic checkpoint
    /// (set here, whatever a pooled connection was left with): a commit that leaves more than 1,000 pages in the WAL also
    /// copies the WAL back before it returns, so that batch's passes wait for it (~4 MB and an fsync of the database;
    /// after an import's batch, that batch's WAL too). Unless a reader is still on an older snapshot, the copy is complete
    /// and the next commit writes the WAL from its start again. A PASSIVE checkpoint on another connection (sessions 3–5)
    /// never caught up with a writer that commits every 1–2 ms: the WAL grew by ~80 MB/s under load (3 GB after a minute),
    /// and commits on the growing file stalled for up to 280 ms (bench/README.md, session 6).</summary>
    private sealed class Stage(AsyncServiceScope scope, AppDbContext db) : IAsyncDisposable
    {
        public AppDbContext Db { get; } = db;
        public DbCommand? Insert { get; set; }
        public SqliteStatement? Row { get; set; }

        public static async Task<Stage> OpenAsync(IServiceScopeFactory scopes)
        {
            var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Database.OpenConnectionAsync();
            if (db.Database.IsSqlite())
            {
                await using var cmd = db.Database.GetDbConnection().CreateCommand();
                cmd.CommandText = "PRAGMA wal_autocheckpoint=1000;";
                await cmd.ExecuteNonQueryAsync();
            }
            return new Stage(scope, db);
        }

        public async ValueTask DisposeAsync()
        {
            if (Insert is not null) await Insert.DisposeAsync();
            Row?.Dispose();
            await Db.Database.CloseConnectionAsync();
            await scope.DisposeAsync();
        }
    }

    /// <summary>The writer's own thread, whose awaits resume on it. On SQLite a batch runs synchronously from its lookups to
    /// its commit (Microsoft.Data.Sqlite's async calls complete inline), fsync included: on a pool thread that took one
    /// of the two cores' workers away from the requests for most of the time under load, and the pool's thread injection
    /// made the throughput swing from run to run (bench/README.md, session 6).</summary>
    private sealed class WriterThread : SynchronizationContext
    {
        private readonly System.Collections.Concurrent.BlockingCollection<(SendOrPostCallback Callback, object? State)> _work = [];

        public override void Post(SendOrPostCallback d, object? state)
        {
            try
            {
                _work.Add((d, state));
            }
            catch (InvalidOperationException)
            {
                // The loop has ended (nothing of it awaits any more): whatever still posts here runs on the pool.
                ThreadPool.UnsafeQueueUserWorkItem(s => d(s), state, preferLocal: false);
            }
        }

        public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException();

        public override SynchronizationContext CreateCopy() => this;

        public static Task Run(Func<Task> loop, ILogger log)
        {
            var context = new WriterThread();
            var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                SetSynchronizationContext(context);
                var running = loop();
                running.ContinueWith(_ => context._work.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                foreach (var (callback, state) in context._work.GetConsumingEnumerable())
                {
                    try
                    {
                        callback(state);
                    }
                    catch (Exception thrown)
                    {
                        log.LogError(thrown, "The gate pass writer's thread caught an exception");
                    }
                }
                if (running.Exception is { } e) ended.SetException(e.InnerExceptions);
                else ended.SetResult();
            })
            { IsBackground = true, Name = "Gate pass writer" };
            // UnsafeStart: the thread does not take the execution context (log scope, activity, culture) of the request
            // that happened to make the writer.
            thread.UnsafeStart();
            return ended.Task;
        }
    }

    private async Task WriteLoopAsync()
    {
        Stage? stage = null;
        try
        {
            while (await _queue.Reader.WaitToReadAsync())
            {
                // Everything that queued while the last batch was resolved, written and committed is the next batch. One
                // stage, not two: on 2 busy cores the passes' cost is CPU, most of it per batch (the lookups, the
                // transaction, the commit's WAL write), so larger batches are what makes it cheaper per pass — resolving
                // the next batch during the commit halved them and cost ~15 % more CPU a pass (bench/README.md, session 4).
                var batch = new List<Pending>(MaxBatch);
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var p)) batch.Add(p);
                if (batch.Count == 0) continue;
                Interlocked.Add(ref _waiting, -batch.Count);
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var results = new Result?[batch.Count];
                try
                {
                    stage ??= await Stage.OpenAsync(_scopes);
                    await ResolveAsync(stage.Db, batch, results);
                    var writing = System.Diagnostics.Stopwatch.GetTimestamp();
                    await WriteBatchAsync(stage, batch, results);
                    WriteTime.Record(System.Diagnostics.Stopwatch.GetElapsedTime(writing).TotalMilliseconds);
                    BatchSize.Record(batch.Count);
                    CommitTime.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (Exception e)
                {
                    _log.LogError(e, "Writing {Count} gate passes failed", batch.Count);
                    foreach (var p in batch) p.Fail(e);
                    if (stage is not null)
                    {
                        try
                        {
                            await stage.DisposeAsync();
                        }
                        catch (Exception disposing)
                        {
                            _log.LogWarning(disposing, "Closing the gate pass writer's connection after an error failed");
                        }
                    }
                    stage = null;
                }
            }
        }
        finally
        {
            if (stage is not null) await stage.DisposeAsync();
        }
    }

    private async Task WriteBatchAsync(Stage stage, List<Pending> batch, Result?[] results)
    {
        var db = stage.Db;
        var toInsert = new List<int>(batch.Count);
        for (var i = 0; i < batch.Count; i++) if (results[i] is null) toInsert.Add(i);
        var inserted = new HashSet<Guid>();
        if (toInsert.Count > 0)
        {
            var connection = db.Database.GetDbConnection();
            await using var tx = await connection.BeginTransactionAsync();
            var insert = _insert ??= InsertStatement.For(db);
            if (db.Database.IsSqlite())
            {
                // One prepared single-row statement for the life of the connection (in-process, no round trip), bound by
                // position (a many-row statement would be one bind per value too, and SqliteCommand's name lookups are O(n²)).
                var row = stage.Row ??= insert.PrepareRow((Microsoft.Data.Sqlite.SqliteConnection)connection);
                foreach (var i in toInsert)
                {
                    if (insert.InsertRow(row, batch[i].Pass)) inserted.Add(batch[i].Pass.ClientId);
                }
            }
            else
            {
                // PostgreSQL: the whole batch in one statement of one array per column (INSERT … SELECT FROM unnest): the
                // same text whatever the batch size, so it is parsed and planned once per connection, not per batch.
                var first = stage.Insert is null;
                var cmd = stage.Insert ??= insert.CreateUnnest(connection);
                cmd.Transaction = tx;
                insert.BindArrays(cmd, toInsert, batch);
                if (first) await cmd.PrepareAsync();
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync()) inserted.Add(reader.GetFieldValue<Guid>(0));
            }
            await tx.CommitAsync();
        }

        // The first pass of each inserted clientId is the one stored; any other (a retry of a pass stored before, or the
        // same clientId twice in this batch) is answered with the stored pass.
        var rest = new List<int>();
        foreach (var i in toInsert)
        {
            if (inserted.Remove(batch[i].Pass.ClientId)) results[i] = new Result(Outcome.Created, batch[i].Pass);
            else rest.Add(i);
        }
        if (rest.Count > 0)
        {
            var ids = rest.Select(i => batch[i].Pass.ClientId).Distinct().ToList();
            var stored = await db.Set<GatePass>().IgnoreQueryFilters().AsNoTracking().Where(p => ids.Contains(p.ClientId)).ToDictionaryAsync(p => p.ClientId);
            foreach (var i in rest) results[i] = new Result(Outcome.Duplicate, stored[batch[i].Pass.ClientId]);
        }
        for (var i = 0; i < batch.Count; i++) batch[i].Complete(results[i]!);
        // Raw inserts bypass the interceptor that tells dashboards about saves (R2): tell them here, once per batch.
        var changed = toInsert.Where(i => results[i]!.Outcome == Outcome.Created).Select(i => batch[i].Pass.CompoundId).Distinct().ToList();
        if (changed.Count > 0) _refresh.Changed(changed);
    }

    private sealed record ResidentRow(Guid Id, Guid CompoundId, string Name, Guid? PersonId, string? IdNumberHash);
    private sealed record PersonRow(Guid Id, Guid CompoundId, string Name, string? IdNumberHash);

    // Compiled once: a batch's lookups skip EF's per-execution work on the expression tree (funcletizing it, computing the
    // query cache key), which was most of the resolve step's CPU in G1's profile.
    private static readonly Func<AppDbContext, List<Guid>, IAsyncEnumerable<ResidentRow>> ResidentsById = EF.CompileAsyncQuery(
        (AppDbContext db, List<Guid> ids) => db.Set<Resident>().IgnoreQueryFilters().AsNoTracking().Where(r => ids.Contains(r.Id))
            .Select(r => new ResidentRow(r.Id, r.CompoundId, r.Name, r.PersonId, r.IdNumberHash)));
    private static readonly Func<AppDbContext, List<Guid>, IAsyncEnumerable<PersonRow>> PeopleById = EF.CompileAsyncQuery(
        (AppDbContext db, List<Guid> ids) => db.Set<Person>().IgnoreQueryFilters().AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new PersonRow(p.Id, p.CompoundId, p.Name, p.IdNumberHash)));
    private static readonly Func<AppDbContext, List<string>, IAsyncEnumerable<PersonRow>> PeopleByHash = EF.CompileAsyncQuery(
        (AppDbContext db, List<string> hashes) => db.Set<Person>().IgnoreQueryFilters().AsNoTracking().Where(p => p.IdNumberHash != null && hashes.Contains(p.IdNumberHash))
            .Select(p => new PersonRow(p.Id, p.CompoundId, p.Name, p.IdNumberHash)));
    private static readonly Func<AppDbContext, List<Guid>, IAsyncEnumerable<Guid>> UnderActiveOrder = EF.CompileAsyncQuery(
        (AppDbContext db, List<Guid> people) => db.Set<QuarantineOrder>().IgnoreQueryFilters().AsNoTracking()
            .Where(o => people.Contains(o.PersonId) && o.Status == QuarantineStatus.Active).Select(o => o.PersonId));

    /// <summary>Fills in who passed (the resident or person, their name, the person under watch) with one query per kind for
    /// the whole batch; marks passes that cannot be written here.</summary>
    private static async Task ResolveAsync(AppDbContext db, List<Pending> batch, Result?[] results)
    {
        var picked = batch.Where(b => b.PersonId is not null).Select(b => b.PersonId!.Value).Distinct().ToList();
        var residents = picked.Count == 0 ? [] : (await ResidentsById(db, picked).ToListAsync()).ToDictionary(r => r.Id);

        var personIds = picked.Where(id => !residents.ContainsKey(id)).Concat(residents.Values.Where(r => r.PersonId is not null).Select(r => r.PersonId!.Value)).Distinct().ToList();
        var hashes = batch.Where(b => b.VisitorIdHash is not null).Select(b => b.VisitorIdHash!)
            .Concat(residents.Values.Where(r => r.PersonId is null && r.IdNumberHash is not null).Select(r => r.IdNumberHash!)).Distinct().ToList();
        // Two plain lookups, each only when it has something to find (an OR of two IN-lists can defeat the indexes).
        var people = personIds.Count == 0 ? [] : await PeopleById(db, personIds).ToListAsync();
        if (hashes.Count > 0)
        {
            people.AddRange(await PeopleByHash(db, hashes).ToListAsync());
            people = [.. people.DistinctBy(p => p.Id)];
        }
        var byId = people.ToDictionary(p => p.Id);
        var byHash = people.Where(p => p.IdNumberHash is not null).GroupBy(p => p.IdNumberHash!).ToDictionary(g => g.Key, g => g.First());

        var underWatch = people.Select(p => p.Id).ToList();
        var ordered = underWatch.Count == 0 ? [] : (await UnderActiveOrder(db, underWatch).ToListAsync()).ToHashSet();

        for (var i = 0; i < batch.Count; i++)
        {
            var (pass, pick, visitorHash) = (batch[i].Pass, batch[i].PersonId, batch[i].VisitorIdHash);
            Guid? person = null;
            if (pick is { } id)
            {
                if (residents.TryGetValue(id, out var r) && r.CompoundId == pass.CompoundId)
                {
                    pass.ResidentId = r.Id;
                    pass.Name = r.Name;
                    person = r.PersonId is { } rp ? (byId.ContainsKey(rp) ? rp : null) : r.IdNumberHash is { } h && byHash.TryGetValue(h, out var ph) ? ph.Id : null;
                }
                else if (!residents.ContainsKey(id) && byId.TryGetValue(id, out var p) && p.CompoundId == pass.CompoundId)
                {
                    pass.Name = p.Name;
                    person = p.Id;
                }
                else
                {
                    results[i] = new Result(Outcome.NoSuchResident, null);
                    continue;
                }
            }
            else if (visitorHash is not null && byHash.TryGetValue(visitorHash, out var v)) person = v.Id;
            pass.PersonId = person;
            if (person is { } pid && ordered.Contains(pid)) results[i] = new Result(Outcome.NeedsFullPath, null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writeLoop.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    /// <summary>The multi-row insert, built once from EF's model so that column names and value conversions (enums as text,
    /// SQLite's text GUIDs and dates) are exactly EF's.</summary>
    private sealed class InsertStatement
    {
        private readonly string _head;
        private readonly string _tail;
        private readonly IProperty[] _columns;
        private readonly RelationalTypeMapping[] _mappings;
        private readonly Type[] _elementTypes;

        private InsertStatement(string head, string tail, IProperty[] columns)
        {
            _head = head;
            _tail = tail;
            _columns = columns;
            _mappings = [.. columns.Select(c => c.GetRelationalTypeMapping())];
            _elementTypes = [.. columns.Select((c, i) =>
            {
                var type = _mappings[i].Converter?.ProviderClrType ?? _mappings[i].ClrType;
                type = Nullable.GetUnderlyingType(type) ?? type;
                return type.IsValueType && c.IsNullable ? typeof(Nullable<>).MakeGenericType(type) : type;
            })];
        }

        public static InsertStatement For(AppDbContext db)
        {
            var entity = db.Model.FindEntityType(typeof(GatePass))!;
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var sql = db.GetService<ISqlGenerationHelper>();
            var columns = entity.GetProperties().Where(p => p.GetColumnName(table) is not null).ToArray();
            var names = string.Join(", ", columns.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)));
            var clientId = sql.DelimitIdentifier(entity.FindProperty(nameof(GatePass.ClientId))!.GetColumnName(table)!);
            return new InsertStatement($"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({names}) VALUES ",
                $" ON CONFLICT ({clientId}) DO NOTHING RETURNING {clientId}", columns);
        }

        /// <summary>SQLite: the single-row statement, prepared once on the connection's handle and bound by position
        /// (<see cref="SqliteStatement"/>).</summary>
        public SqliteStatement PrepareRow(Microsoft.Data.Sqlite.SqliteConnection connection)
        {
            var text = new System.Text.StringBuilder(_head).Append('(');
            for (var c = 0; c < _columns.Length; c++) text.Append(c > 0 ? ", ?" : "?");
            text.Append(')').Append(_tail[.._tail.IndexOf(" RETURNING", StringComparison.Ordinal)]);
            return SqliteStatement.Prepare(connection, text.ToString());
        }

        /// <summary>Inserts the pass (in the connection's open transaction): true when it inserted a row, false when its
        /// clientId was there (ON CONFLICT DO NOTHING). The writer is single-threaded, so one buffer serves every row.</summary>
        public bool InsertRow(SqliteStatement row, GatePass pass)
        {
            _values ??= new object?[_columns.Length];
            for (var c = 0; c < _columns.Length; c++) _values[c] = ProviderValue(c, pass);
            return row.Run(_values);
        }

        private object?[]? _values;

        /// <summary>PostgreSQL: <c>INSERT … SELECT * FROM unnest(@a0::uuid[], …) ON CONFLICT DO NOTHING RETURNING</c>.</summary>
        public DbCommand CreateUnnest(DbConnection connection)
        {
            var cmd = connection.CreateCommand();
            var arrays = string.Join(", ", _mappings.Select((m, c) => $"@a{c}::{m.StoreType}[]"));
            cmd.CommandText = _head.Replace(" VALUES ", $" SELECT * FROM unnest({arrays})", StringComparison.Ordinal) + _tail;
            for (var c = 0; c < _columns.Length; c++)
            {
                var p = cmd.CreateParameter();
                p.ParameterName = $"a{c}";
                cmd.Parameters.Add(p);
            }
            return cmd;
        }

        /// <summary>One typed array per column (Npgsql infers uuid[], text[], numeric[], … from it; the SQL casts to the
        /// column's exact type).</summary>
        public void BindArrays(DbCommand cmd, List<int> rows, List<Pending> batch)
        {
            for (var c = 0; c < _columns.Length; c++)
            {
                var array = Array.CreateInstance(_elementTypes[c], rows.Count);
                for (var r = 0; r < rows.Count; r++) array.SetValue(ProviderValue(c, batch[rows[r]].Pass), r);
                cmd.Parameters[c].Value = array;
            }
        }

        private object? ProviderValue(int c, GatePass pass)
        {
            var value = _columns[c].GetGetter().GetClrValueUsingContainingEntity(pass);
            return value is not null && _mappings[c].Converter is { } converter ? converter.ConvertToProvider(value) : value;
        }
    }
}
