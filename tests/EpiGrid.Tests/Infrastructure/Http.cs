using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EpiGrid.Tests.Infrastructure;

public static class Http
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage r) =>
        JsonNode.Parse(await r.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");

    public static async Task<JsonNode> GetJsonAsync(this HttpClient c, string url)
    {
        var r = await c.GetAsync(url);
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"GET {url} → {(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
        return await r.JsonAsync();
    }

    public static async Task<HttpResponseMessage> PostJsonAsync(this HttpClient c, string url, object body) =>
        await c.PostAsJsonAsync(url, body, Json);

    /// <summary>Asserts a status and, for errors, that the body is a ProblemDetails.</summary>
    public static async Task<string> ExpectAsync(this HttpResponseMessage r, HttpStatusCode status)
    {
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == status, $"{r.RequestMessage?.Method} {r.RequestMessage?.RequestUri} → {(int)r.StatusCode}, expected {(int)status}: {body}");
        if ((int)status >= 400) Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        return body;
    }
}
