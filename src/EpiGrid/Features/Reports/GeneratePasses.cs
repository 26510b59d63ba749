using System.Data.Common;
using EpiGrid.Data;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Reports;

/// <summary>
/// Gate passes at scale for the report and dashboard benchmarks (<c>-- generate-passes 10000000</c>): residents'
/// passes spread over the demo gates and the last 30 days, about 1 in 2,000 with fever. Raw prepared multi-row inserts
/// in large transactions (no EF, no audit: generated data is not a change anyone made).
/// </summary>
public static class GeneratePasses
{
    private const int Rows = 500;
    private static readonly string[] Cols = ["Id", "ClientId", "GateId", "CompoundId", "TakenAt", "Temperature", "Fever", "Direction"];

    public static async Task<int> RunAsync(AppDbContext db, int count, DateTime now, int seed = 2020, CancellationToken ct = default)
    {
        var gates = (await db.Gates.IgnoreQueryFilters().Select(g => new { g.Id, g.CompoundId }).ToListAsync(ct)).Select(g => (g.Id, g.CompoundId)).ToList();
        if (gates.Count == 0) throw new InvalidOperationException("No gates: start the app once in demo mode first.");
        var pg = db.Database.IsNpgsql();
        var table = db.Model.FindEntityType(typeof(Gates.GatePass))!.GetTableName();
        var rng = new Random(seed);
        var conn = db.Database.GetDbConnection();
        await conn.OpenAsync(ct);
        var span = TimeSpan.FromDays(30).Ticks;
        var written = 0;
        object G(Guid g) => pg ? g : g.ToString().ToUpperInvariant();
        await using var full = Command(conn, table!, Rows, pg);
        await using var single = Command(conn, table!, 1, pg);
        while (written < count)
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            full.Transaction = tx;
            single.Transaction = tx;
            for (var inTx = 0; inTx < 100_000 && written < count;)
            {
                var cmd = count - written >= Rows ? full : single;
                var n = cmd == full ? Rows : 1;
                var p = cmd.Parameters;
                for (var i = 0; i < n; i++)
                {
                    var (gate, compound) = gates[rng.Next(gates.Count)];
                    var fever = rng.Next(2000) == 0;
                    var at = i * Cols.Length;
                    // By position: a lookup by name scans every parameter of the statement.
                    p[at].Value = G(Guid.CreateVersion7());
                    p[at + 1].Value = G(Guid.NewGuid());
                    p[at + 2].Value = G(gate);
                    p[at + 3].Value = G(compound);
                    p[at + 4].Value = now.AddTicks(-(long)(rng.NextDouble() * span));
                    p[at + 5].Value = fever ? 37.3m + rng.Next(0, 20) / 10m : 35.8m + rng.Next(0, 14) / 10m;
                    p[at + 6].Value = fever;
                    p[at + 7].Value = rng.Next(2) == 0 ? "In" : "Out";
                }
                await cmd.ExecuteNonQueryAsync(ct);
                written += n;
                inTx += n;
            }
            await tx.CommitAsync(ct);
            Console.Write($"\r{written:N0} / {count:N0}");
        }
        Console.WriteLine();
        await db.Database.ExecuteSqlRawAsync(pg ? "ANALYZE \"" + table + "\";" : "ANALYZE;", ct);
        return written;
    }

    private static DbCommand Command(DbConnection conn, string table, int rows, bool pg)
    {
        var cmd = conn.CreateCommand();
        var no = pg ? "false" : "0";
        cmd.CommandText = $"INSERT INTO \"{table}\" (\"Id\",\"ClientId\",\"GateId\",\"CompoundId\",\"TakenAt\",\"Temperature\",\"Fever\",\"Direction\",\"ReceivedAt\",\"Outcome\",\"Name\",\"Visitor\",\"QuarantineBreach\") VALUES "
            + string.Join(",", Enumerable.Range(0, rows).Select(i => "(" + string.Join(",", Cols.Select(c => $"@{c}{i}")) + $",@TakenAt{i},'Admitted','居民',{no},{no})"));
        for (var i = 0; i < rows; i++)
        {
            foreach (var c in Cols)
            {
                var p = cmd.CreateParameter();
                p.ParameterName = $"@{c}{i}";
                cmd.Parameters.Add(p);
            }
        }
        return cmd;
    }
}
