using System.Data.Common;
using System.Net;
using EpiGrid.Data;
using EpiGrid.Features.Gates;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Gates;

/// <summary>A writer queue of two passes and a wait of half a second, so that overload is reached with a handful of requests.</summary>
public sealed class PassOverloadFactory : AppFactory
{
    public const int QueueLimit = 2;

    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
        [new("EpiGrid:Gates:PassQueueLimit", QueueLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("EpiGrid:Gates:PassWaitSeconds", "0.5")];
}

/// <summary>
/// The gate writer under overload (security review T2): its queue is bounded and a request waits for its commit only so
/// long; both answer 503 problem+json with Retry-After. The writer is held by another transaction's lock on the passes'
/// table (as a long import or a stalled disk would hold it), so the outcome does not depend on timing. What must hold:
/// a pass refused at the full queue is not stored; a pass whose wait ran out may be stored later, and its retry with the
/// same clientId answers that pass; in the end every clientId is one row and no clientId was answered 201 twice.
/// </summary>
public sealed class PassOverloadTests(PassOverloadFactory app) : IClassFixture<PassOverloadFactory>
{
    private static object Visitor() => new { name = "钱访客", phone = "13800138000", idNumber = RegisterPersonTests.NewIdNumber(), from = "宝鸡", to = "春天大道" };

    private static object Pass(Guid clientId, object visitor) => new { clientId, direction = "In", temperature = 36.5m, visitor };

    private sealed record Answer(Guid ClientId, HttpStatusCode Status, string? Id, string? Reason, string? RetryAfter, string? ContentType);

    private static async Task<Answer> PostAsync(HttpClient client, Guid gate, Guid clientId, object body)
    {
        var r = await client.PostJsonAsync($"/api/gates/{gate}/passes", body);
        var json = await r.JsonAsync();
        return new Answer(clientId, r.StatusCode, json["id"]?.GetValue<string>(), json["reason"]?.GetValue<string>(),
            r.Headers.RetryAfter?.Delta is { } d ? ((int)d.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
            r.Content.Headers.ContentType?.MediaType);
    }

    private Task<Dictionary<Guid, List<Guid>>> StoredAsync(IEnumerable<Guid> clientIds)
    {
        var ids = clientIds.Distinct().ToList();
        return app.WithDbAsync(async db => (await db.Set<GatePass>().IgnoreQueryFilters().AsNoTracking().Where(p => ids.Contains(p.ClientId))
            .Select(p => new { p.ClientId, p.Id }).ToListAsync()).GroupBy(p => p.ClientId).ToDictionary(g => g.Key, g => g.Select(p => p.Id).ToList()));
    }

    /// <summary>Another transaction holding the lock a pass insert needs: SQLite's write lock (BEGIN IMMEDIATE; the writer waits up
    /// to its busy timeout of 10 s), PostgreSQL's SHARE lock on the passes' table (reads go on, inserts wait).</summary>
    private sealed class WriteLock(AsyncServiceScope scope, DbTransaction tx) : IAsyncDisposable
    {
        public static async Task<WriteLock> TakeAsync(AppFactory app)
        {
            var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            // Microsoft.Data.Sqlite begins with BEGIN IMMEDIATE: the write lock is taken here.
            var tx = await connection.BeginTransactionAsync();
            if (!db.Database.IsSqlite())
            {
                await using var cmd = connection.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = $"LOCK TABLE \"{db.Model.FindEntityType(typeof(GatePass))!.GetTableName()}\" IN SHARE MODE";
                await cmd.ExecuteNonQueryAsync();
            }
            return new WriteLock(scope, tx);
        }

        public async ValueTask DisposeAsync()
        {
            await tx.RollbackAsync();
            await tx.DisposeAsync();
            await scope.DisposeAsync();
        }
    }

    /// <summary>Posts a new pass until it is answered 201/200 (503 → the same clientId again, as the phone's queue does). The
    /// writer takes its queue in order, so when this answers, every pass queued before it has been committed.</summary>
    private static async Task DrainAsync(HttpClient client, Guid gate)
    {
        var clientId = Guid.NewGuid();
        var body = Pass(clientId, Visitor());
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var a = await PostAsync(client, gate, clientId, body);
            if (a.Status is HttpStatusCode.Created or HttpStatusCode.OK) return;
            Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Status);
            await Task.Delay(20);
        }
        Assert.Fail("the writer never took a pass again after its lock was released");
    }

    private static void AssertUnavailable(Answer a)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Status);
        Assert.Equal("application/problem+json", a.ContentType);
        Assert.True(int.TryParse(a.RetryAfter, out var seconds) && seconds >= 1, $"Retry-After: {a.RetryAfter}");
        Assert.Null(a.Id);
    }

    [Fact]
    public async Task ABurstBeyondTheQueueBound_WhileTheWriterIsHeld_Gets503WithRetryAfter_TheRefusedAreNotStored_AndRetriesStoreEachClientIdOnce()
    {
        var gate1 = await app.As("gate1");
        var gate = (await Demo.GateAsync(app, "春天大道东门")).Id;
        await DrainAsync(gate1, gate); // the writer's connection and statements are made before the lock

        // Twenty clientIds, each posted twice at once (a phone retrying while its first request still waits).
        var passes = Enumerable.Range(0, 20).Select(_ => (ClientId: Guid.NewGuid(), Visitor: Visitor())).ToList();
        Answer[] first;
        await using (await WriteLock.TakeAsync(app))
        {
            // Every request is answered while the lock is held: none can be committed, so each is refused (queue full) or
            // waits its half second (timeout).
            // (A writer without a deadline would keep them waiting as long as the lock is held: the guard ends the test then.)
            first = await Task.WhenAll(passes.Concat(passes).Select(p => PostAsync(gate1, gate, p.ClientId, Pass(p.ClientId, p.Visitor))))
                .WaitAsync(TimeSpan.FromSeconds(60));
        }
        foreach (var a in first) AssertUnavailable(a);
        var full = first.Where(a => a.Reason == "queueFull").ToList();
        var late = first.Where(a => a.Reason == "timeout").ToList();
        Assert.Equal(first.Length, full.Count + late.Count);
        // The writer took at most one batch (≤ the bound) before it blocked, and at most the bound waited behind it.
        Assert.True(late.Count is >= 1 and <= 2 * PassOverloadFactory.QueueLimit, $"{late.Count} timed out");
        Assert.True(full.Count >= first.Length - 2 * PassOverloadFactory.QueueLimit, $"{full.Count} refused at the full queue");

        await DrainAsync(gate1, gate);
        var stored = await StoredAsync(passes.Select(p => p.ClientId));
        // Refused at the full queue (both of its requests): not stored at all.
        var neverQueued = passes.Select(p => p.ClientId).Where(id => late.All(a => a.ClientId != id)).ToList();
        Assert.NotEmpty(neverQueued);
        foreach (var id in neverQueued) Assert.False(stored.ContainsKey(id), $"{id} was refused at the full queue but stored");
        // Timed out: perhaps stored (the writer commits what it took), never twice.
        foreach (var (id, rows) in stored) Assert.Single(rows);

        // The phones retry, all at once, with the same clientIds, round after round until each is answered.
        var answers = new List<Answer>(first);
        var open = passes.ToList();
        for (var round = 0; open.Count > 0; round++)
        {
            Assert.True(round < 200, $"{open.Count} passes still unanswered");
            var retries = await Task.WhenAll(open.Select(p => PostAsync(gate1, gate, p.ClientId, Pass(p.ClientId, p.Visitor))));
            answers.AddRange(retries);
            foreach (var a in retries.Where(a => a.Status == HttpStatusCode.ServiceUnavailable)) AssertUnavailable(a);
            Assert.All(retries, a => Assert.Contains(a.Status, new[] { HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
            var answered = retries.Where(a => a.Status != HttpStatusCode.ServiceUnavailable).Select(a => a.ClientId).ToHashSet();
            open = [.. open.Where(p => !answered.Contains(p.ClientId))];
            if (open.Count > 0) await Task.Delay(20);
        }

        stored = await StoredAsync(passes.Select(p => p.ClientId));
        Assert.Equal(passes.Count, stored.Count);
        foreach (var p in passes)
        {
            var row = Assert.Single(stored[p.ClientId]);
            // Every 201/200 names the one stored pass; at most one 201 per clientId; a clientId refused only at the full
            // queue was stored by its retry (201), one that timed out was answered 201 or, stored already, 200.
            var ok = answers.Where(a => a.ClientId == p.ClientId && a.Status != HttpStatusCode.ServiceUnavailable).ToList();
            Assert.NotEmpty(ok);
            Assert.All(ok, a => Assert.Equal(row.ToString(), a.Id));
            Assert.True(ok.Count(a => a.Status == HttpStatusCode.Created) <= 1, $"{p.ClientId} answered 201 twice");
            // Refused at the full queue and never timed out since: its retry stored it and said so (201). A retry that
            // itself timed out may have been stored while nobody waited, and the next retry then answers 200.
            var timedOut = answers.Any(a => a.ClientId == p.ClientId && a.Reason == "timeout");
            if (neverQueued.Contains(p.ClientId) && !timedOut) Assert.Contains(ok, a => a.Status == HttpStatusCode.Created);
        }
    }

    [Fact]
    public async Task APassWhoseWaitRunsOut_Gets503Timeout_IsCommittedWhenTheWriterGoesOn_AndItsRetryAnswers200WithTheSameIdAndOneRow()
    {
        var gate1 = await app.As("gate1");
        var gate = (await Demo.GateAsync(app, "春天大道东门")).Id;
        await DrainAsync(gate1, gate);
        var clientId = Guid.NewGuid();
        var body = Pass(clientId, Visitor());

        Answer first;
        await using (await WriteLock.TakeAsync(app)) first = await PostAsync(gate1, gate, clientId, body).WaitAsync(TimeSpan.FromSeconds(60));
        AssertUnavailable(first);
        Assert.Equal("timeout", first.Reason);

        // It was queued before its wait ran out, so the writer commits it once the lock is gone; the retry is queued behind it.
        var retry = await PostAsync(gate1, gate, clientId, body);
        Assert.Equal(HttpStatusCode.OK, retry.Status);
        var rows = (await StoredAsync([clientId]))[clientId];
        Assert.Equal(rows.Single().ToString(), retry.Id);
    }
}
