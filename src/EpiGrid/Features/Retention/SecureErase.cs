using System.Data.Common;
using EpiGrid.Data;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Retention;

/// <summary>
/// Retention's work on SQLite leaves nothing behind in the file: it runs on one connection with <c>PRAGMA secure_delete=ON</c>
/// (per connection: the deleted rows, the old versions of updated rows and their index entries are overwritten with zeros
/// on their pages, freed pages too), which is put back as it was before the connection returns to the pool, so the gate
/// writer's and every other connection's writes are unchanged; and it ends with a <c>wal_checkpoint(TRUNCATE)</c>, so the
/// old page images leave the <c>-wal</c> file. PostgreSQL: nothing to do here (a dump holds only live rows; VACUUM
/// reclaims the dead ones).
/// </summary>
internal static class SecureErase
{
    public static async Task<T> RunAsync<T>(AppDbContext db, Func<Task<T>> work, CancellationToken ct)
    {
        if (!db.Database.IsSqlite()) return await work();
        await db.Database.OpenConnectionAsync(ct);
        var conn = db.Database.GetDbConnection();
        try
        {
            var before = Convert.ToInt64(await ScalarAsync(conn, "PRAGMA secure_delete;", ct), System.Globalization.CultureInfo.InvariantCulture);
            await ScalarAsync(conn, "PRAGMA secure_delete=ON;", ct);
            try
            {
                return await work();
            }
            finally
            {
                await ScalarAsync(conn, $"PRAGMA secure_delete={(before == 2 ? "FAST" : before.ToString(System.Globalization.CultureInfo.InvariantCulture))};", CancellationToken.None);
                // Waits (busy_timeout) for a writer in progress; the gate writer's next batch waits for this copy, which
                // holds the WAL's pages since the last checkpoint (at most ~1000 with wal_autocheckpoint): milliseconds.
                await ScalarAsync(conn, "PRAGMA wal_checkpoint(TRUNCATE);", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<object?> ScalarAsync(DbConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync(ct);
    }
}
