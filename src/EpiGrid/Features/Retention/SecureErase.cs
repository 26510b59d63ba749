using System.Data.Common;
using System.Globalization;
using EpiGrid.Data;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Retention;

/// <summary>
/// Retention's work on SQLite leaves nothing behind in the file: it runs on one connection with <c>PRAGMA secure_delete=ON</c>
/// (per connection: the deleted rows, the old versions of updated rows and their index entries are overwritten with zeros
/// on their pages, freed pages too), which is put back as it was before the connection returns to the pool, so the gate
/// writer's and every other connection's writes are unchanged; and it ends with a checkpoint, so the old page images
/// leave the <c>-wal</c> file: <c>PASSIVE</c> first (copies what it can, waits for nobody), then <c>TRUNCATE</c> with a
/// short busy timeout (<see cref="TruncateWait"/>; while it waits it holds back writers, the gate's among them). One that
/// did not finish — a reader holding an old snapshot, a long export or a backup — is logged with its result; the next run
/// tries again. PostgreSQL: nothing to do here (a dump holds only live rows; VACUUM reclaims the dead ones).
/// </summary>
internal static class SecureErase
{
    /// <summary>How long the <c>TRUNCATE</c> checkpoint may wait for readers and writers.</summary>
    public static readonly TimeSpan TruncateWait = TimeSpan.FromMilliseconds(250);

    public static async Task<T> RunAsync<T>(AppDbContext db, ILogger logger, Func<Task<T>> work, CancellationToken ct)
    {
        if (!db.Database.IsSqlite()) return await work();
        await db.Database.OpenConnectionAsync(ct);
        var conn = db.Database.GetDbConnection();
        try
        {
            var before = Convert.ToInt64(await ScalarAsync(conn, "PRAGMA secure_delete;", ct), CultureInfo.InvariantCulture);
            await ScalarAsync(conn, "PRAGMA secure_delete=ON;", ct);
            try
            {
                return await work();
            }
            finally
            {
                await ScalarAsync(conn, $"PRAGMA secure_delete={(before == 2 ? "FAST" : before.ToString(CultureInfo.InvariantCulture))};", CancellationToken.None);
                await CheckpointAsync(conn, logger);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The row <c>PRAGMA wal_checkpoint</c> answers: blocked (1) or not, frames in the WAL, frames copied back.</summary>
    public sealed record Checkpoint(long Busy, long LogFrames, long CheckpointedFrames)
    {
        public bool Finished => Busy == 0 && LogFrames == CheckpointedFrames;
    }

    private static async Task CheckpointAsync(DbConnection conn, ILogger logger)
    {
        await RunCheckpointAsync(conn, "PASSIVE");
        var timeout = Convert.ToInt64(await ScalarAsync(conn, "PRAGMA busy_timeout;", CancellationToken.None), CultureInfo.InvariantCulture);
        Checkpoint truncate;
        await ScalarAsync(conn, $"PRAGMA busy_timeout={(long)TruncateWait.TotalMilliseconds};", CancellationToken.None);
        try
        {
            truncate = await RunCheckpointAsync(conn, "TRUNCATE");
        }
        finally
        {
            await ScalarAsync(conn, $"PRAGMA busy_timeout={timeout};", CancellationToken.None);
        }
        if (!truncate.Finished)
        {
            logger.LogWarning("Retention: the WAL checkpoint did not finish (busy {Busy}, log frames {LogFrames}, checkpointed frames {CheckpointedFrames}): " +
                "a reader holds an old snapshot; removed values may stay in the -wal file until a later checkpoint (the next run tries again)",
                truncate.Busy, truncate.LogFrames, truncate.CheckpointedFrames);
        }
    }

    private static async Task<Checkpoint> RunCheckpointAsync(DbConnection conn, string mode)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"PRAGMA wal_checkpoint({mode});";
        await using var r = await cmd.ExecuteReaderAsync(CancellationToken.None);
        return await r.ReadAsync(CancellationToken.None)
            ? new Checkpoint(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2))
            : new Checkpoint(0, -1, -1);
    }

    private static async Task<object?> ScalarAsync(DbConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync(ct);
    }
}
