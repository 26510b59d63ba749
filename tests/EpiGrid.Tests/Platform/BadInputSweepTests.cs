using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using Xunit.Abstractions;

namespace EpiGrid.Tests.Platform;

/// <summary>
/// The bad-input sweep: every /api endpoint that takes a JSON body gets malformed JSON, wrong types, missing
/// fields, 1 MB strings, control characters and absurd numbers, as a user who has the right, and must answer
/// with a 4xx ProblemDetails — never a 500, never a success.
/// </summary>
public sealed class BadInputSweepTests(AppFactory app, ITestOutputHelper output) : IClassFixture<AppFactory>
{
    private static readonly string Huge = new('长', 1_000_000);

    private static IEnumerable<(string Name, string Json)> Cases(Type? body)
    {
        yield return ("malformed", "{\"a\": ");
        yield return ("not an object", "[1,2,3]");
        yield return ("a bare string", "\"hello\"");
        yield return ("empty object", "{}");
        yield return ("null", "null");
        if (body is null) yield break;
        var props = body.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        foreach (var p in props)
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(p.Name);
            var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            var wrong = t == typeof(string) ? (JsonNode)new JsonObject { ["x"] = 1 } : JsonValue.Create("not-a-" + t.Name);
            yield return ($"{name}: wrong type", new JsonObject { [name] = wrong }.ToJsonString());
            if (t == typeof(string))
            {
                yield return ($"{name}: 1 MB", new JsonObject { [name] = Huge }.ToJsonString());
                yield return ($"{name}: control characters", new JsonObject { [name] = "a\u0000b\u0007c\u001b" }.ToJsonString());
            }
            if (t == typeof(decimal) || t == typeof(int) || t == typeof(long) || t == typeof(double))
            {
                yield return ($"{name}: absurd number", $"{{\"{name}\": 1e400}}");
                yield return ($"{name}: huge negative", $"{{\"{name}\": -99999999999999999999999999999999}}");
            }
            if (t.IsArray || (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>)))
            {
                yield return ($"{name}: not an array", new JsonObject { [name] = "x" }.ToJsonString());
            }
        }
        // Every field present, every one wrong at once.
        var all = new JsonObject();
        foreach (var p in props) all[JsonNamingPolicy.CamelCase.ConvertName(p.Name)] = "\u0001";
        yield return ("all fields control characters", all.ToJsonString());
    }

    [Fact]
    public async Task EveryJsonEndpoint_RejectsBadInputWithAProblemDetails_NeverA500()
    {
        await Endpoints.EnsureVolunteerAsync(app);
        var endpoints = Endpoints.All(app).Where(e => e.IsApi && e.Method is "POST" or "PUT" or "PATCH" && e.BodyType is not null).ToList();
        Assert.Contains(endpoints, e => e.Pattern == "/api/auth/login");
        var failures = new List<string>();
        var cases = 0;
        foreach (var e in endpoints)
        {
            var role = e.AllowedRoles.FirstOrDefault();
            var client = e.Anonymous || role is null ? app.Anonymous() : await app.As(Endpoints.UserOf[role]);
            var url = e.Url();
            foreach (var (name, json) in Cases(e.BodyType))
            {
                cases++;
                var r = await client.SendAsync(new HttpRequestMessage(new HttpMethod(e.Method), url) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
                var code = (int)r.StatusCode;
                var type = r.Content.Headers.ContentType?.MediaType;
                if (code is < 400 or >= 500 || type != "application/problem+json")
                {
                    failures.Add($"{e} [{name}] → {code} {type}: {Trim(await r.Content.ReadAsStringAsync())}");
                }
            }
        }
        output.WriteLine($"Bad-input sweep: {endpoints.Count} endpoints, {cases} cases.");
        Console.WriteLine($"Bad-input sweep: {endpoints.Count} JSON endpoints, {cases} cases.");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string Trim(string s) => s.Length > 300 ? s[..300] : s;
}
