using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Platform.Validation;
using Npgsql;
using Xunit.Abstractions;

namespace EpiGrid.CrashTests;

/// <summary>Runs only when <c>EPIGRID_TEST_PG</c> names a PostgreSQL server (test.sh passes it when its PostgreSQL runs).</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("EPIGRID_TEST_PG"))) Skip = "EPIGRID_TEST_PG is not set";
    }
}

/// <summary>
/// Crash without loss: gate passes, registrations and health checks posted from many tasks at once; the server is
/// SIGKILLed mid-way and restarted on the same data. Every request that was answered 201 must be there afterwards (a
/// pass re-posted with its clientId → 200 with the same id), nothing half-written, the audit chain whole.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Workers = 24;
    /// <summary>The kill comes after this many acknowledged requests (or <see cref="MaxLoad"/>, on a busy machine), never before <see cref="MinLoad"/>.</summary>
    private const int AcknowledgedBeforeKill = 150;
    private static readonly TimeSpan MinLoad = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan MaxLoad = TimeSpan.FromSeconds(20);

    [Fact]
    public Task Sqlite_loses_nothing_acknowledged_under_sigkill() => RunAsync(5171, postgres: null);

    [PostgresFact]
    public async Task Postgres_loses_nothing_acknowledged_under_sigkill()
    {
        var db = "epigrid_crash_" + Guid.NewGuid().ToString("N")[..10];
        var baseCs = Environment.GetEnvironmentVariable("EPIGRID_TEST_PG")!;
        try
        {
            await RunAsync(5172, $"{baseCs};Database={db}");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection($"{baseCs};Database=postgres");
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = $"DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)";
            await cmd.ExecuteNonQueryAsync();
        }
    }

    private sealed record Ack(string Kind, Guid Id, Guid Key, object Body);

    private async Task RunAsync(int port, string? postgres)
    {
        var total = Stopwatch.StartNew();
        var dataDir = Path.Combine(Path.GetTempPath(), "epigrid-crash-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        try
        {
            Guid gateId, compoundId;
            Guid[] watched;
            var acks = new ConcurrentBag<Ack>();
            int attempted = 0, failed = 0;
            using (var app = new AppProcess(port, dataDir, postgres))
            {
                await app.StartAsync(TimeSpan.FromSeconds(120));
                output.WriteLine($"first start (migrate + demo seed): {total.Elapsed.TotalSeconds:N1} s");
                using var gate = await app.SignInAsync("gate1");
                using var grid = await app.SignInAsync("grid1");
                gateId = Ids(await gate.GetStringAsync("/api/gates")).First();
                compoundId = Ids(await grid.GetStringAsync("/api/areas?kind=Compound&pageSize=200")).First();

                // People to take health checks of during the load.
                var seed = new List<Guid>();
                for (var i = 0; i < 4; i++)
                {
                    var r = await grid.PostAsJsonAsync("/api/people", PersonBody(compoundId, 900_000 + i));
                    Assert.True(r.StatusCode == HttpStatusCode.Created, await r.Content.ReadAsStringAsync());
                    seed.Add(IdOf(await r.Content.ReadAsStringAsync()));
                }
                watched = [.. seed];

                using var stop = new CancellationTokenSource();
                var counter = 0;
                var tasks = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        var n = Interlocked.Increment(ref counter);
                        Interlocked.Increment(ref attempted);
                        try
                        {
                            switch (n % 3)
                            {
                                case 0:
                                {
                                    var clientId = Guid.NewGuid();
                                    var body = new { clientId, direction = "In", temperature = 36.5m, visitor = Visitor(n) };
                                    var r = await gate.PostAsJsonAsync($"/api/gates/{gateId}/passes", body);
                                    if (r.StatusCode == HttpStatusCode.Created) acks.Add(new("pass", IdOf(await r.Content.ReadAsStringAsync()), clientId, body));
                                    break;
                                }
                                case 1:
                                {
                                    var r = await grid.PostAsJsonAsync("/api/people", PersonBody(compoundId, n));
                                    if (r.StatusCode == HttpStatusCode.Created) acks.Add(new("registration", IdOf(await r.Content.ReadAsStringAsync()), Guid.Empty, n));
                                    break;
                                }
                                default:
                                {
                                    var person = watched[n % watched.Length];
                                    var r = await grid.PostAsJsonAsync($"/api/people/{person}/health-checks",
                                        new { temperature = 36.6m, symptoms = Array.Empty<string>(), method = "Visit" });
                                    if (r.StatusCode == HttpStatusCode.Created) acks.Add(new("health check", IdOf(await r.Content.ReadAsStringAsync()), person, n));
                                    break;
                                }
                            }
                        }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                        {
                            Interlocked.Increment(ref failed); // no answer: not acknowledged
                            if (stop.IsCancellationRequested) return;
                            await Task.Delay(50);
                        }
                    }
                })).ToArray();

                var load = Stopwatch.StartNew();
                while (load.Elapsed < MaxLoad && (load.Elapsed < MinLoad || acks.Count < AcknowledgedBeforeKill)) await Task.Delay(100);
                var before = acks.Count;
                app.KillHard(); // mid-way: the workers are still posting
                output.WriteLine($"SIGKILL to pid {app.ProcessId} with {before} requests acknowledged so far");
                await Task.Delay(500);
                stop.Cancel();
                await Task.WhenAll(tasks);
            }

            var acknowledged = acks.ToArray();
            Assert.True(acknowledged.Length > 30, $"too little load before the kill: {acknowledged.Length} acknowledged");
            Assert.True(failed > 0 || attempted > acknowledged.Length, "the kill should have cut requests off mid-way");

            using (var app = new AppProcess(port, dataDir, postgres))
            {
                await app.StartAsync(TimeSpan.FromSeconds(120));
                using var gate = await app.SignInAsync("gate1");
                using var grid = await app.SignInAsync("grid1");
                using var auditor = await app.SignInAsync("auditor");
                var lost = new ConcurrentBag<string>();

                // Passes: the same clientId again → 200 with the same id, stored once.
                await Parallel.ForEachAsync(acknowledged.Where(a => a.Kind == "pass"), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (a, _) =>
                {
                    var r = await gate.PostAsJsonAsync($"/api/gates/{gateId}/passes", a.Body);
                    var text = await r.Content.ReadAsStringAsync();
                    if (r.StatusCode != HttpStatusCode.OK || IdOf(text) != a.Id) lost.Add($"pass {a.Id} (clientId {a.Key}): {(int)r.StatusCode} {text}");
                });
                // Registrations: the person, whole (masked ID, phone and categories written in the same transaction).
                await Parallel.ForEachAsync(acknowledged.Where(a => a.Kind == "registration"), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (a, _) =>
                {
                    var r = await grid.GetAsync($"/api/people/{a.Id}");
                    if (r.StatusCode != HttpStatusCode.OK) { lost.Add($"person {a.Id}: {(int)r.StatusCode}"); return; }
                    var p = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
                    if (string.IsNullOrEmpty(p["idNumberMasked"]?.GetValue<string>()) || p["categories"]?.AsArray().Count != 1)
                    {
                        lost.Add($"person {a.Id} half-written: {p.ToJsonString()}");
                    }
                });
                // Health checks: each acknowledged check in its person's list.
                foreach (var person in watched)
                {
                    var list = JsonNode.Parse(await grid.GetStringAsync($"/api/people/{person}/health-checks"))!.AsArray();
                    var stored = list.Select(c => Guid.Parse(c!["id"]!.GetValue<string>())).ToHashSet();
                    foreach (var a in acknowledged.Where(a => a.Kind == "health check" && a.Key == person && !stored.Contains(a.Id)))
                    {
                        lost.Add($"health check {a.Id} of {person}");
                    }
                }

                // Nothing half-written: the audit chain (written in the same transactions) verifies end to end.
                var verify = JsonNode.Parse(await auditor.GetStringAsync("/api/audit/verify"))!;
                output.WriteLine($"audit chain after restart: {verify.ToJsonString()}");
                Assert.True(verify["intact"]?.GetValue<bool>() == true, $"audit chain broken: {verify.ToJsonString()}");

                // The app works on after the crash: a new pass is stored.
                var after = await gate.PostAsJsonAsync($"/api/gates/{gateId}/passes", new { clientId = Guid.NewGuid(), direction = "In", temperature = 36.4m, visitor = Visitor(1) });
                Assert.True(after.StatusCode == HttpStatusCode.Created, await after.Content.ReadAsStringAsync());

                foreach (var kind in new[] { "pass", "registration", "health check" })
                {
                    output.WriteLine($"{kind}: acknowledged {acknowledged.Count(a => a.Kind == kind)}, lost {lost.Count(l => l.StartsWith(kind == "registration" ? "person" : kind, StringComparison.Ordinal))}");
                }
                output.WriteLine($"{(postgres is null ? "SQLite" : "PostgreSQL")}: {attempted} requests sent, acknowledged {acknowledged.Length}, lost {lost.Count} ({failed} got no answer: cut off by the kill or refused while it was down); {total.Elapsed.TotalSeconds:N1} s in all");
                Assert.True(lost.IsEmpty, "acknowledged but lost or half-written:\n" + string.Join("\n", lost.Take(20)));
            }
        }
        finally
        {
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>A valid resident ID number per n: birth date from n, odd sequence (male), the real check character.</summary>
    private static string IdFor(int n)
    {
        var birth = new DateOnly(1950, 1, 1).AddDays(n / 400);
        var first17 = "619901" + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + ((n % 400) * 2 + 1).ToString("D3", CultureInfo.InvariantCulture)[^3..];
        return first17 + IdNumber.CheckCharacter(first17);
    }

    private static object Visitor(int n) => new { name = "访客" + n.ToString(CultureInfo.InvariantCulture), phone = "138" + (n % 100_000_000).ToString("D8", CultureInfo.InvariantCulture), idNumber = IdFor(n), from = "渭滨区", to = "3 号楼" };

    private static object PersonBody(Guid compoundId, int n)
    {
        var id = IdFor(n);
        return new
        {
            name = "压测" + n.ToString(CultureInfo.InvariantCulture),
            gender = "Male",
            idNumber = id,
            phone = "139" + (n % 100_000_000).ToString("D8", CultureInfo.InvariantCulture),
            compoundId,
            address = $"{n % 30 + 1} 号楼",
            categories = new[] { "Returnee" },
        };
    }

    private static Guid IdOf(string json) => Guid.Parse(JsonNode.Parse(json)!["id"]!.GetValue<string>());

    private static IEnumerable<Guid> Ids(string json)
    {
        var node = JsonNode.Parse(json)!;
        var items = node is JsonArray a ? a : node["items"]!.AsArray();
        return items.Select(i => Guid.Parse(i!["id"]!.GetValue<string>()));
    }
}
