// Load from a second process against a running EpiGrid: the people search of P1 (name prefix, last 4 of ID or
// phone), as a leader who sees the whole subdistrict. Prints p50 / p95 / max per kind of query.
//   dotnet run --project bench/EpiGrid.Bench -c Release -- people-search http://127.0.0.1:5099 leader Demo#2020 300
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

if (args.Length >= 6 && args[0] == "get")
{
    // get <baseUrl> <user> <password> <iterations> <path>: warm p50/p95/max of one GET (R2: dashboard, daily report, export).
    using var client = new HttpClient { BaseAddress = new Uri(args[1]), Timeout = TimeSpan.FromMinutes(5) };
    var signIn = await client.PostAsJsonAsync("/api/auth/login", new { userName = args[2], password = args[3] });
    signIn.EnsureSuccessStatusCode();
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
        (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
    var n = int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture);
    var path = args[5];
    var first = Stopwatch.StartNew();
    var r0 = await client.GetAsync(path);
    var size = (await r0.Content.ReadAsByteArrayAsync()).Length;
    first.Stop();
    r0.EnsureSuccessStatusCode();
    for (var i = 0; i < Math.Min(3, n); i++) (await client.GetAsync(path)).EnsureSuccessStatusCode(); // warm-up
    var times = new List<double>();
    for (var i = 0; i < n; i++)
    {
        var sw = Stopwatch.StartNew();
        var r = await client.GetAsync(path);
        await r.Content.ReadAsByteArrayAsync();
        sw.Stop();
        r.EnsureSuccessStatusCode();
        times.Add(sw.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    double Q(double p) => times[(int)Math.Ceiling(p * times.Count) - 1];
    Console.WriteLine($"GET {path,-48} first={first.Elapsed.TotalMilliseconds:F0} ms  n={n} p50={Q(0.50):F1} ms  p95={Q(0.95):F1} ms  max={times[^1]:F1} ms  ({size:N0} bytes)");
    return 0;
}
if (args.Length < 4 || args[0] != "people-search")
{
    Console.Error.WriteLine("usage: people-search <baseUrl> <user> <password> [iterations] | get <baseUrl> <user> <password> <iterations> <path>");
    return 2;
}
var baseUrl = args[1];
var iterations = args.Length > 4 ? int.Parse(args[4]) : 300;
using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
var login = await http.PostAsJsonAsync("/api/auth/login", new { userName = args[2], password = args[3] });
login.EnsureSuccessStatusCode();
var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

string[] surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"];
string[] given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋"];
var rng = new Random(7);
var kinds = new Dictionary<string, Func<string>>
{
    ["name prefix (1 char)"] = () => surnames[rng.Next(surnames.Length)],
    ["name prefix (2 chars)"] = () => surnames[rng.Next(surnames.Length)] + given[rng.Next(given.Length)],
    ["last 4 of ID or phone"] = () => rng.Next(0, 10000).ToString("0000"),
};
var total = await http.GetFromJsonAsync<JsonElement>("/api/people?pageSize=1");
Console.WriteLine($"people in scope: {total.GetProperty("total").GetInt32():N0}");
foreach (var (kind, q) in kinds)
{
    for (var i = 0; i < 10; i++) await http.GetAsync($"/api/people?q={Uri.EscapeDataString(q())}&pageSize=20"); // warm-up
    var times = new List<double>();
    long matches = 0;
    for (var i = 0; i < iterations; i++)
    {
        var sw = Stopwatch.StartNew();
        var r = await http.GetAsync($"/api/people?q={Uri.EscapeDataString(q())}&pageSize=20");
        var body = await r.Content.ReadFromJsonAsync<JsonElement>();
        sw.Stop();
        r.EnsureSuccessStatusCode();
        matches += body.GetProperty("total").GetInt32();
        times.Add(sw.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    double P(double p) => times[(int)Math.Ceiling(p * times.Count) - 1];
    Console.WriteLine($"{kind,-24} n={iterations} p50={P(0.50):F1} ms  p95={P(0.95):F1} ms  max={times[^1]:F1} ms  (avg matches {matches / iterations:N0})");
}
return 0;
