using EpiGrid.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace EpiGrid.Features.Reports;

/// <summary>
/// Gate passes at scale for the report and dashboard benchmarks (<c>-- generate-passes 10000000</c>): residents'
/// passes spread over the demo gates and the last 30 days, about 1 in 2,000 with fever. No EF, no audit (generated
/// data is not a change anyone made). Passes are written in time order, as gates send them, so every index on
/// <c>TakenAt</c> grows at its end. SQLite: one small prepared single-row statement reused in transactions of
/// 500,000 rows (Microsoft.Data.Sqlite binds parameters by name, linearly: small statements bind fastest) with a
/// large page cache; PostgreSQL: binary COPY.
/// </summary>
public static class GeneratePasses
{
    private const int PerTransaction = 500_000;

    public static async Task<int> RunAsync(AppDbContext db, int count, DateTime now, int seed = 2020, CancellationToken ct = default)
    {
        var gates = (await db.Gates.IgnoreQueryFilters().Select(g => new { g.Id, g.CompoundId }).ToListAsync(ct)).Select(g => (g.Id, g.CompoundId)).ToList();
        if (gates.Count == 0) throw new InvalidOperationException("No gates: start the app once in demo mode first.");
        var table = db.Model.FindEntityType(typeof(Gates.GatePass))!.GetTableName()!;
        var rng = new Random(seed);
        var span = TimeSpan.FromDays(30).Ticks;
        var first = now.AddTicks(-span);
        // The i-th pass of the run: evenly over the 30 days, in order, jittered within its own slot.
        DateTime At(int i) => first.AddTicks((long)((i + rng.NextDouble()) * span / count));
        var written = db.Database.IsNpgsql()
            ? await PostgresAsync(db, table, count, gates, rng, At, ct)
            : await SqliteAsync(db, table, count, gates, rng, At, ct);
        Console.WriteLine();
        await db.Database.ExecuteSqlRawAsync(db.Database.IsNpgsql() ? "ANALYZE \"" + table + "\";" : "ANALYZE;", ct);
        return written;
    }

    private static async Task<int> SqliteAsync(AppDbContext db, string table, int count, List<(Guid Id, Guid CompoundId)> gates, Random rng, Func<int, DateTime> at, CancellationToken ct)
    {
        var conn = db.Database.GetDbConnection();
        await conn.OpenAsync(ct);
        await using (var pragma = conn.CreateCommand())
        {
            // 2 GB of page cache: the indexes of 10 million passes stay in memory while they grow.
            pragma.CommandText = "PRAGMA cache_size = -2000000; PRAGMA temp_store = MEMORY;";
            await pragma.ExecuteNonQueryAsync(ct);
        }
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"INSERT INTO \"{table}\" (\"Id\",\"ClientId\",\"GateId\",\"CompoundId\",\"TakenAt\",\"Temperature\",\"Fever\",\"Direction\",\"ReceivedAt\",\"Outcome\",\"Name\",\"Visitor\",\"QuarantineBreach\") "
            + "VALUES ($i,$c,$g,$k,$t,$m,$f,$d,$t,'Admitted','居民',0,0)";
        var p = new System.Data.Common.DbParameter[8];
        foreach (var (name, i) in new[] { "$i", "$c", "$g", "$k", "$t", "$m", "$f", "$d" }.Select((n, i) => (n, i)))
        {
            p[i] = cmd.CreateParameter();
            p[i].ParameterName = name;
            cmd.Parameters.Add(p[i]);
        }
        var gateText = gates.Select(g => (Id: g.Id.ToString().ToUpperInvariant(), Compound: g.CompoundId.ToString().ToUpperInvariant())).ToList();
        var written = 0;
        while (written < count)
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            cmd.Transaction = tx;
            if (written == 0) cmd.Prepare();
            for (var inTx = 0; inTx < PerTransaction && written < count; inTx++, written++)
            {
                var (gate, compound) = gateText[rng.Next(gateText.Count)];
                var fever = rng.Next(2000) == 0;
                p[0].Value = Guid.CreateVersion7().ToString().ToUpperInvariant();
                p[1].Value = Guid.CreateVersion7().ToString().ToUpperInvariant();
                p[2].Value = gate;
                p[3].Value = compound;
                p[4].Value = at(written);
                p[5].Value = Temperature(rng, fever);
                p[6].Value = fever;
                p[7].Value = rng.Next(2) == 0 ? "In" : "Out";
                await cmd.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            Console.Write($"\r{written:N0} / {count:N0}");
        }
        return written;
    }

    private static async Task<int> PostgresAsync(AppDbContext db, string table, int count, List<(Guid Id, Guid CompoundId)> gates, Random rng, Func<int, DateTime> at, CancellationToken ct)
    {
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await conn.OpenAsync(ct);
        var written = 0;
        while (written < count)
        {
            // A COPY per 500,000 rows: progress shows, and an interrupted run keeps what it committed.
            await using (var copy = await conn.BeginBinaryImportAsync(
                $"COPY \"{table}\" (\"Id\",\"ClientId\",\"GateId\",\"CompoundId\",\"TakenAt\",\"Temperature\",\"Fever\",\"Direction\",\"ReceivedAt\",\"Outcome\",\"Name\",\"Visitor\",\"QuarantineBreach\") FROM STDIN (FORMAT BINARY)", ct))
            {
                for (var inCopy = 0; inCopy < PerTransaction && written < count; inCopy++, written++)
                {
                    var (gate, compound) = gates[rng.Next(gates.Count)];
                    var fever = rng.Next(2000) == 0;
                    var t = DateTime.SpecifyKind(at(written), DateTimeKind.Utc);
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(gate, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(compound, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(t, NpgsqlDbType.TimestampTz, ct);
                    await copy.WriteAsync(Temperature(rng, fever), NpgsqlDbType.Numeric, ct);
                    await copy.WriteAsync(fever, NpgsqlDbType.Boolean, ct);
                    await copy.WriteAsync(rng.Next(2) == 0 ? "In" : "Out", NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(t, NpgsqlDbType.TimestampTz, ct);
                    await copy.WriteAsync("Admitted", NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync("居民", NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                    await copy.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                }
                await copy.CompleteAsync(ct);
            }
            Console.Write($"\r{written:N0} / {count:N0}");
        }
        return written;
    }

    private static decimal Temperature(Random rng, bool fever) => fever ? 37.3m + rng.Next(0, 20) / 10m : 35.8m + rng.Next(0, 14) / 10m;
}
