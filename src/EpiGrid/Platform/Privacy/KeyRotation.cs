using System.Data.Common;
using EpiGrid.Data;
using EpiGrid.Platform.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace EpiGrid.Platform.Privacy;

/// <summary>
/// Rotation of the data key without downtime: a new key becomes active (new values use it at once; every node
/// picks it up within a minute), old values stay readable, and every protected column is re-encrypted under the
/// new key in small batches, in the background or by the <c>rotate-key</c> command.
/// </summary>
public static class KeyRotation
{
    /// <summary>Every (table, key column, cipher column, field kind) in the model.</summary>
    public static IEnumerable<(string Table, string Key, string Column, ProtectedKind Kind)> ProtectedColumns(AppDbContext db)
    {
        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = entity.GetTableName();
            var pk = entity.FindPrimaryKey();
            if (table is null || pk is null || pk.Properties.Count != 1) continue;
            var id = StoreObjectIdentifier.Table(table, entity.GetSchema());
            foreach (var p in entity.GetProperties().Where(p => ProtectedFields.IsHidden(p) && p.Name.EndsWith("Cipher", StringComparison.Ordinal)))
            {
                var field = p.Name[..^"Cipher".Length];
                var kind = field.EndsWith("Phone", StringComparison.Ordinal) ? ProtectedKind.Phone : ProtectedKind.IdNumber;
                yield return (table, pk.Properties[0].GetColumnName(id)!, p.GetColumnName(id)!, kind);
            }
        }
    }

    /// <summary>Re-encrypts up to <paramref name="batch"/> values per column that are not under the active key. Returns how many.</summary>
    public static async Task<int> RewrapBatchAsync(AppDbContext db, KeyRing keys, int batch, CancellationToken ct = default)
    {
        var active = keys.ActiveKeyId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":";
        var conn = db.Database.GetDbConnection();
        if (conn.State != System.Data.ConnectionState.Open) await conn.OpenAsync(ct);
        var done = 0;
        foreach (var (table, key, column, kind) in ProtectedColumns(db).ToList())
        {
            var rows = new List<(object Id, string Cipher)>();
            await using (var select = conn.CreateCommand())
            {
                select.CommandText = $"SELECT \"{key}\", \"{column}\" FROM \"{table}\" WHERE \"{column}\" IS NOT NULL AND \"{column}\" <> '' AND \"{column}\" NOT LIKE @active LIMIT {batch}";
                Add(select, "@active", active + "%");
                await using var reader = await select.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct)) rows.Add((reader.GetValue(0), reader.GetString(1)));
            }
            if (rows.Count == 0) continue;
            await using var tx = await conn.BeginTransactionAsync(ct);
            foreach (var (id, cipher) in rows)
            {
                var plain = keys.Decrypt(cipher, kind.ToString(), db);
                await using var update = conn.CreateCommand();
                update.Transaction = tx;
                // Only if unchanged meanwhile: a concurrent edit already wrote it under the new key.
                update.CommandText = $"UPDATE \"{table}\" SET \"{column}\" = @new WHERE \"{key}\" = @id AND \"{column}\" = @old";
                Add(update, "@new", keys.Encrypt(plain, kind.ToString()));
                Add(update, "@id", id);
                Add(update, "@old", cipher);
                done += await update.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        return done;
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    /// <summary>The command: a new key, then everything re-encrypted under it; old keys stay for reading.</summary>
    public static async Task<(int KeyId, int Rewrapped)> RotateAsync(AppDbContext db, KeyRing keys, TimeProvider time, CancellationToken ct = default)
    {
        var id = await keys.RotateAsync(db, time, ct);
        var total = 0;
        int n;
        while ((n = await RewrapBatchAsync(db, keys, 500, ct)) > 0) total += n;
        AuditLog.Event(db, "KeyRotation", "DataKey", id.ToString(System.Globalization.CultureInfo.InvariantCulture), new { rewrapped = total });
        await db.SaveChangesAsync(ct);
        return (id, total);
    }
}

/// <summary>Every minute: adopt a key rotated by another process, and re-encrypt a batch left under an old key.</summary>
public sealed class KeyMaintenance(AppDbContext db, KeyRing keys) : Jobs.IPeriodicCheck
{
    public async Task RunAsync(CancellationToken ct)
    {
        await keys.RefreshAsync(db, ct);
        await KeyRotation.RewrapBatchAsync(db, keys, 500, ct);
    }
}
