using System.Data.Common;
using System.Text.RegularExpressions;
using EpiGrid.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace EpiGrid.Platform.Audit;

/// <summary>
/// The one-time rewrite of an audit log written before T3 (ADR-019): entries whose details hold personal text in clear,
/// chained with plain SHA-256. Runs at start, after the migrations, under the chain's own lock (PostgreSQL's advisory lock
/// that every node's appends take; SQLite's write lock), exactly once: its marker is the <see cref="Action"/> event it
/// appends, which every later start finds (no schema change). In one transaction:
/// <list type="number">
/// <item>checks the old chain with the old rule (links and SHA-256);</item>
/// <item>masks every stored entry's details by today's rules (<see cref="AuditMask"/>: change entries by their entity's
/// model, events by the event rules) and keeps only the account name in <c>UserName</c>;</item>
/// <item>recomputes the whole chain with the keyed hash;</item>
/// <item>appends <see cref="Action"/>: the old chain's head (last Seq and hash), how many entries were rewritten, whether the
/// old chain verified and where it broke. A broken old chain stays reported by every later check (<see cref="AuditChain.Result"/>):
/// the rewrite does not launder it.</item>
/// </list>
/// On a new, empty log it only appends the marker. The application otherwise never updates or deletes audit rows (the
/// interceptor refuses to); this step rewrites them with plain SQL on purpose, once.
/// </summary>
public static partial class AuditChainUpgrade
{
    public const string Action = "AuditChainRewritten";

    /// <summary>The marker event's details (its JSON keys are in <see cref="AuditMask.EventKeysInClear"/> or not text).</summary>
    public sealed record Details(string rule, long oldLastSeq, string oldLastHash, long rewritten, bool oldChainIntact, long? oldBrokenAtId,
        long? oldBrokenAtSeq, string? oldChainReason, string headFileState, long? headFileSeq, string? headFileHash);

    public sealed record Outcome(bool Ran, Details? Recorded);

    /// <summary>Actions only a build with the keyed chain appends: a log holding one was never written by an older build alone.</summary>
    private static readonly string[] KeyedOnly = [AuditHeadFile.WrittenAction, AuditHeadFile.RestoredAction, Action];

    /// <summary>The marker events, found through the (Entity, EntityId) index: the marker is the only entry on ("AuditLog", "").</summary>
    internal static IQueryable<AuditEntry> Markers(AppDbContext db) =>
        db.Set<AuditEntry>().Where(a => a.Entity == "AuditLog" && a.EntityId == "" && a.Action == Action);

    public static async Task<Outcome> RunAsync(IServiceProvider services, ILogger log, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var key = scope.ServiceProvider.GetRequiredService<AuditChainKey>().Value;
        var headFile = scope.ServiceProvider.GetRequiredService<AuditHeadFile>();
        // Every start after the first: the marker is there; found by index, without taking the chain's lock.
        if (await Markers(db).AnyAsync(ct)) return new(false, null);
        var timeout = db.Database.GetCommandTimeout();
        db.Database.SetCommandTimeout(TimeSpan.Zero);
        Details recorded;
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // The chain's lock: appends on every node wait for this, and a second node starting at the same time finds the marker.
            if (db.Database.IsNpgsql()) await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(72031)", ct);
            if (await Markers(db).AnyAsync(ct)) return new(false, null);

            var head = headFile.Read();
            if (head.State != AuditHeadFile.ReadState.Missing)
            {
                // Only a keyed chain writes a head file: with one here, a log without the marker was made to look old again
                // (the marker removed, the chain recomputed with the old unkeyed rule). Rewriting it would sign that history
                // with the key; it is left as it is, and the auditor's check reports it broken.
                log.LogCritical("The audit log has no {Marker} event, but the head file {Path} exists: the log was altered to look as " +
                    "before the keyed chain. It is not rewritten; the auditor's check reports where it breaks.", Action, headFile.Path);
                return new(false, null);
            }
            // Nor without a head file (deleted, or a new node's empty data directory): events only a keyed build appends say the
            // same. The column ChainVersion cannot: the migration gave the rows it found the keyed chain's version too.
            if (await db.Set<AuditEntry>().AnyAsync(a => KeyedOnly.Contains(a.Action), ct))
            {
                log.LogCritical("The audit log has no {Marker} event, but holds events only the keyed chain writes ({Actions}): the log was " +
                    "altered to look as before the keyed chain. It is not rewritten; the auditor's check reports where it breaks.",
                    Action, string.Join(", ", KeyedOnly));
                return new(false, null);
            }
            recorded = await RewriteAsync(db, tx, key, log, ct);
            db.Add(new AuditEntry { Action = Action, Entity = "AuditLog", EntityId = "", Details = System.Text.Json.JsonSerializer.Serialize(recorded, AuditLog.Json) });
            await db.SaveChangesAsync(ct); // the interceptor chains it (keyed) after the rewritten entries, in this transaction
            await tx.CommitAsync(ct);
        }
        finally
        {
            db.Database.SetCommandTimeout(timeout);
        }
        if (recorded.rewritten > 0)
        {
            log.LogWarning("Audit log rewritten once (T3): {Count} entries masked and rechained with the keyed hash; the old chain {Verdict}.",
                recorded.rewritten, recorded.oldChainIntact ? "verified" : $"was broken at entry {recorded.oldBrokenAtId}: {recorded.oldChainReason}");
        }
        db.ChangeTracker.Clear();
        await headFile.WriteLatestAsync(db, ct);
        return new(true, recorded);
    }

    /// <summary>Runs only with no head file and no event of the keyed chain (with either, the rewrite is refused above), so the
    /// old chain is checked by the old rule alone and the marker records <c>headFileState</c> "None".</summary>
    private static async Task<Details> RewriteAsync(AppDbContext db, IDbContextTransaction tx, byte[] key, ILogger log, CancellationToken ct)
    {
        var entities = db.Model.GetEntityTypes().GroupBy(e => e.ClrType.Name)
            .ToDictionary(g => g.Key, g => g.Count() == 1 ? g.First() : null, StringComparer.Ordinal);
        // Plain SQL: PostgreSQL one statement per page (arrays unnested: one round trip for 1,000 rows), SQLite one prepared
        // statement per row (in process, no round trips).
        var pg = db.Database.IsNpgsql();
        var conn = db.Database.GetDbConnection();
        await using var update = conn.CreateCommand();
        update.Transaction = tx.GetDbTransaction();
        update.CommandText = pg
            ? """
              UPDATE "AuditLog" AS a SET "UserName" = v.u, "Details" = v.d, "PrevHash" = v.p, "Hash" = v.h
              FROM unnest(@id, @u, @d, @p, @h) AS v(id, u, d, p, h) WHERE a."Id" = v.id
              """
            : """UPDATE "AuditLog" SET "UserName" = @u, "Details" = @d, "PrevHash" = @p, "Hash" = @h WHERE "Id" = @id""";
        var pu = Add(update, "@u");
        var pd = Add(update, "@d");
        var pp = Add(update, "@p");
        var ph = Add(update, "@h");
        var pid = Add(update, "@id");

        long lastSeq = 0, rewritten = 0;
        string oldPrev = "", oldLastHash = "", newPrev = "";
        bool intact = true;
        long? brokenId = null, brokenSeq = null;
        string? reason = null;
        while (true)
        {
            var page = await db.Set<AuditEntry>().AsNoTracking().Where(a => a.Seq > lastSeq).OrderBy(a => a.Seq).Take(1000).ToListAsync(ct);
            if (page.Count == 0) break;
            foreach (var a in page)
            {
                // 1. The old chain, by the old rule (as AuditChain.VerifyAsync checked it before T3).
                if (intact && (a.Seq != lastSeq + 1 || a.PrevHash != oldPrev))
                {
                    (intact, brokenId, brokenSeq, reason) = (false, a.Id, a.Seq, AuditChain.LinkBroken);
                }
                else if (intact && AuditChain.LegacyHashOf(a) != a.Hash)
                {
                    (intact, brokenId, brokenSeq, reason) = (false, a.Id, a.Seq, AuditChain.ContentAltered);
                }
                oldPrev = a.Hash;
                oldLastHash = a.Hash;

                // 2. Masked by today's rules; 3. rechained with the keyed hash. The values hashed are the ones the database gave
                // back (PostgreSQL's microseconds included), so the check reading them again agrees.
                a.UserName = AccountOnly(a.UserName);
                a.Details = a.Action is "Insert" or "Update" or "Delete"
                    ? AuditMask.ChangeDetails(entities.GetValueOrDefault(a.Entity), a.Details, AuditInterceptor.IsSecret)
                    : AuditMask.LegacyEventDetails(a.Action, a.Details);
                a.PrevHash = newPrev;
                a.Hash = AuditChain.HashOf(a, key);
                newPrev = a.Hash;
                if (!pg)
                {
                    (pu.Value, pd.Value, pp.Value, ph.Value, pid.Value) = (a.UserName, a.Details, a.PrevHash, a.Hash, a.Id);
                    await update.ExecuteNonQueryAsync(ct);
                }
                rewritten++;
                lastSeq = a.Seq;
            }
            if (pg)
            {
                (pu.Value, pd.Value, pp.Value, ph.Value, pid.Value) = (page.Select(a => a.UserName).ToArray(), page.Select(a => a.Details).ToArray(),
                    page.Select(a => a.PrevHash).ToArray(), page.Select(a => a.Hash).ToArray(), page.Select(a => a.Id).ToArray());
                if (await update.ExecuteNonQueryAsync(ct) != page.Count) throw new InvalidOperationException("The audit log changed while it was being rewritten.");
            }
            if (rewritten % 50_000 < page.Count) log.LogInformation("Audit log rewrite: {Count} entries so far.", rewritten);
        }

        return new("HMAC-SHA256", lastSeq, oldLastHash, rewritten, intact, brokenId, brokenSeq, reason, "None", null, null);
    }

    /// <summary>The account name alone: imports recorded "显示名（账号）" — a person's name — before T3.</summary>
    private static string AccountOnly(string userName) => DisplayAndAccount().Match(userName) is { Success: true } m ? m.Groups[1].Value : userName;

    [GeneratedRegex(@"（([^（）]+)）$", RegexOptions.CultureInvariant)]
    private static partial Regex DisplayAndAccount();

    private static DbParameter Add(DbCommand c, string name)
    {
        var p = c.CreateParameter();
        p.ParameterName = name;
        c.Parameters.Add(p);
        return p;
    }
}
