using System.Net;
using System.Text.Json.Nodes;
using EpiGrid.Features.Complaints;
using EpiGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Complaints;

/// <summary>An app whose clock the complaint tests move (starts 2020-02-07 10:00 Baoji time, a Friday).</summary>
public sealed class ComplaintClockFactory : AppFactory
{
    protected override bool UseFakeClock => true;
    // The tests move the clock by days and months; the sign-in tokens must outlive that.
    protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("EpiGrid:TokenLifetime", "3650.00:00:00")];
}

internal static class ComplaintTestKit
{
    public static object Ticket(Guid? areaId, string category = "Help", string urgency = "Normal", string channel = "Phone",
        string phone = "13709171234", string content = "居家隔离户家中缺米面，请求社区帮助代购。") =>
        new { channel, category, urgency, content, complainantName = "刘女士", complainantPhone = phone, areaId };

    public static async Task<JsonNode> FileAsync(this HttpClient hotline, object ticket)
    {
        var r = await hotline.PostJsonAsync("/api/complaints", ticket);
        await r.ExpectAsync(HttpStatusCode.Created);
        return await r.JsonAsync();
    }

    public static async Task<JsonNode> StepAsync(this HttpClient c, string url, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var r = await c.PostJsonAsync(url, body);
        var text = await r.ExpectAsync(expected);
        return JsonNode.Parse(text)!;
    }

    public static async Task RunDeadlineCheckAsync(AppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ComplaintDeadlineCheck>().RunAsync(CancellationToken.None);
    }

    public static DateTimeOffset Time(JsonNode? n) => DateTimeOffset.Parse(n!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
}
