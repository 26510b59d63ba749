using System.Net;
using System.Text.Json.Nodes;
using EpiGrid.Features.Alerts;
using EpiGrid.Features.Supplies;
using EpiGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Supplies;

public sealed class SuppliesClockFactory : AppFactory
{
    protected override bool UseFakeClock => true;
}

/// <summary>A request not delivered 12 hours (the default setting) after it was made raises one Overdue alert, on a clock moved by hand.</summary>
public sealed class SuppliesOverdueTests(SuppliesClockFactory app) : IClassFixture<SuppliesClockFactory>
{
    private async Task RunCheckAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SuppliesOverdueCheck>().RunAsync(CancellationToken.None);
    }

    private Task<List<Alert>> AlertsAsync(Guid requestId) =>
        app.WithDbAsync(db => db.Set<Alert>().AsNoTracking().Where(a => a.DedupeKey == SuppliesOverdueCheck.DedupeKey(requestId)).ToListAsync());

    [Fact]
    public async Task AnOpenRequestOlderThanTwelveHours_RaisesOneOverdueAlert_ADeliveredOneNone()
    {
        _ = app.Services;
        app.ForgetToken("grid1");
        var grid1 = await app.As("grid1");
        var personId = await SuppliesApiTests.QuarantinedPersonAsync(app, grid1, "西关小区", "孙某");
        var open = JsonNode.Parse(await (await grid1.PostJsonAsync("/api/supplies", new { personId, items = new[] { "大米" } })).ExpectAsync(HttpStatusCode.Created))!;
        var delivered = JsonNode.Parse(await (await grid1.PostJsonAsync("/api/supplies", new { personId, items = new[] { "蔬菜" } })).ExpectAsync(HttpStatusCode.Created))!;
        var openId = Guid.Parse(open["id"]!.GetValue<string>());
        var deliveredId = Guid.Parse(delivered["id"]!.GetValue<string>());

        app.Clock.Advance(TimeSpan.FromHours(11));
        app.ForgetToken("grid1");
        grid1 = await app.As("grid1");
        await (await grid1.PostJsonAsync($"/api/supplies/{deliveredId}/delivered", new { deliveredBy = "王芳" })).ExpectAsync(HttpStatusCode.OK);
        await RunCheckAsync();
        Assert.Empty(await AlertsAsync(openId));

        // Past 12 hours: one alert, however often the check runs; none for the delivered one.
        app.Clock.Advance(TimeSpan.FromHours(1.5));
        await RunCheckAsync();
        await RunCheckAsync();
        var alert = Assert.Single(await AlertsAsync(openId));
        Assert.Equal(AlertKind.Overdue, alert.Kind);
        Assert.Equal((await Demo.AreaAsync(app, "西关小区")).Id, alert.AreaId);
        Assert.Equal(Guid.Parse(personId), alert.PersonId);
        Assert.Contains("12 小时未送达", alert.Subject);
        Assert.Empty(await AlertsAsync(deliveredId));
        app.Clock.Advance(TimeSpan.FromHours(5));
        await RunCheckAsync();
        Assert.Single(await AlertsAsync(openId));

        // The list marks it overdue.
        app.ForgetToken("grid1");
        grid1 = await app.As("grid1");
        var item = await grid1.GetJsonAsync($"/api/supplies/{openId}");
        Assert.True(item["overdue"]!.GetValue<bool>());
        var overdue = (await grid1.GetJsonAsync("/api/supplies?overdue=true&pageSize=200"))["items"]!.AsArray();
        Assert.Contains(overdue, r => r!["id"]!.GetValue<string>() == openId.ToString());
        Assert.DoesNotContain(overdue, r => r!["id"]!.GetValue<string>() == deliveredId.ToString());
    }
}
