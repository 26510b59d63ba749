using System.Net;
using System.Text.Json.Nodes;
using EpiGrid.Features.Alerts;
using EpiGrid.Features.Disinfection;
using EpiGrid.Features.Inspections;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.Inspections;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Disinfection;

public sealed class FieldWorkClockFactory : AppFactory
{
    protected override bool UseFakeClock => true;
}

/// <summary>The overdue rules of field work, with the app's clock moved by hand (it starts 2020-02-07 10:00 in Baoji).</summary>
public sealed class OverdueRulesTests(FieldWorkClockFactory app) : IClassFixture<FieldWorkClockFactory>
{
    private async Task RunAsync<T>() where T : class, EpiGrid.Platform.Jobs.IPeriodicCheck
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<T>().RunAsync(CancellationToken.None);
    }

    private Task<List<Alert>> AlertsAsync(string keyPrefix) =>
        app.WithDbAsync(db => db.Set<Alert>().AsNoTracking().Where(a => a.DedupeKey!.StartsWith(keyPrefix)).ToListAsync());

    /// <summary>The tests share the clock and it only moves forward: each starts at the next 10:00 office time.</summary>
    private void MoveToNextTenAm()
    {
        var clock = app.Services.GetRequiredService<EpiGrid.Platform.OfficeClock>();
        var today = clock.Today;
        var ten = clock.StartOfDayUtc(today).AddHours(10);
        if (ten < clock.UtcNow) ten = clock.StartOfDayUtc(today.AddDays(1)).AddHours(10);
        app.Clock.SetUtcNow(new DateTimeOffset(ten, TimeSpan.Zero));
    }

    private async Task<HttpClient> FreshAsync(string user)
    {
        app.ForgetToken(user); // tokens expire as the clock moves
        return await app.As(user);
    }

    [Fact]
    public async Task ARectificationPastItsDeadline_RaisesOneOverdueAlert_AndAReinspectionInTimeRaisesNone()
    {
        _ = app.Services;
        MoveToNextTenAm();
        var grid1 = await FreshAsync("grid1");
        var compound = await Demo.AreaAsync(app, "西关小区");
        var p = JsonNode.Parse(await (await grid1.PostJsonAsync("/api/premises", new { kind = "Restaurant", name = "西关小区面馆" + Guid.NewGuid().ToString("N")[..4], compoundId = compound.Id })).ExpectAsync(HttpStatusCode.Created))!;
        var today = FieldWorkData.Today(app);
        var failed = new
        {
            date = today.ToString("yyyy-MM-dd"), inspectors = "王芳", wildAnimals = "Pass", feverMedicineRegister = "NotApplicable", staffMasks = "Fail",
            disinfection = "Pass", other = "NotApplicable", findings = "后厨人员未戴口罩", rectificationRequirement = "从业人员全程佩戴口罩", rectificationDeadline = today.ToString("yyyy-MM-dd"),
        };
        var inspection = JsonNode.Parse(await (await grid1.PostJsonAsync($"/api/premises/{p["id"]}/inspections", failed)).ExpectAsync(HttpStatusCode.Created))!;
        var orderId = Guid.Parse(inspection["rectification"]!["id"]!.GetValue<string>());
        var key = RectificationOverdueCheck.DedupeKey(orderId);

        // On the deadline day it is not overdue.
        app.Clock.Advance(TimeSpan.FromHours(13)); // 23:00
        await RunAsync<RectificationOverdueCheck>();
        Assert.Empty(await AlertsAsync(key));

        // The next morning it is — once, however often the check runs.
        app.Clock.Advance(TimeSpan.FromHours(2));
        await RunAsync<RectificationOverdueCheck>();
        await RunAsync<RectificationOverdueCheck>();
        var alerts = await AlertsAsync(key);
        var alert = Assert.Single(alerts);
        Assert.Equal(AlertKind.Overdue, alert.Kind);
        Assert.Equal(compound.Id, alert.AreaId);
        Assert.Contains("整改", alert.Subject);
        // And the alert reaches the API (scope: grid1's community).
        grid1 = await FreshAsync("grid1");
        var open = (await grid1.GetJsonAsync("/api/alerts?status=Open&pageSize=200"))["items"]!.AsArray();
        Assert.Contains(open, a => a!["id"]!.GetValue<string>() == alert.Id.ToString());
        var order = await grid1.GetJsonAsync($"/api/rectifications/{orderId}");
        Assert.True(order["overdue"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AMissedDisinfectionSlot_RaisesOneOverdueAlert_ADoneSlotNone()
    {
        _ = app.Services;
        MoveToNextTenAm();
        var grid2 = await FreshAsync("grid2");
        var community = await Demo.AreaAsync(app, "叉车厂社区");
        var plan = JsonNode.Parse(await (await grid2.PostJsonAsync("/api/disinfection/plans", new
        {
            name = "叉车厂社区楼道消杀" + Guid.NewGuid().ToString("N")[..4], areaId = community.Id, places = new[] { "楼道", "电梯", "垃圾站" }, agent = "84消毒液 1:100", timesPerDay = 2,
        })).ExpectAsync(HttpStatusCode.Created))!;
        var planId = Guid.Parse(plan["id"]!.GetValue<string>());
        var prefix = $"disinfection-missed:{planId}:";
        var today = FieldWorkData.Today(app);

        // 10:00: the 12:00 slot is still pending.
        await RunAsync<DisinfectionMissedCheck>();
        Assert.Empty(await AlertsAsync(prefix));
        var board = await grid2.GetJsonAsync("/api/disinfection/today");
        var slots = board["items"]!.AsArray().SelectMany(c => c!["slots"]!.AsArray()).Where(s => s!["planId"]!.GetValue<string>() == planId.ToString()).ToList();
        Assert.Equal(["Pending", "Pending"], slots.Select(s => s!["state"]!.GetValue<string>()));

        // 12:01: slot 1 was missed — one alert, not two.
        app.Clock.Advance(TimeSpan.FromMinutes(121));
        await RunAsync<DisinfectionMissedCheck>();
        await RunAsync<DisinfectionMissedCheck>();
        var alert = Assert.Single(await AlertsAsync(prefix));
        Assert.Equal(DisinfectionMissedCheck.DedupeKey(planId, today, 1), alert.DedupeKey);
        Assert.Equal(AlertKind.Overdue, alert.Kind);
        Assert.Equal(community.Id, alert.AreaId);

        // 13:00: slot 2 done; at 20:01 nothing more is missed.
        app.Clock.Advance(TimeSpan.FromMinutes(59));
        await (await grid2.PostJsonAsync("/api/disinfection/records", new { planId, slot = 2 })).ExpectAsync(HttpStatusCode.Created);
        app.Clock.Advance(TimeSpan.FromHours(7) + TimeSpan.FromMinutes(1));
        await RunAsync<DisinfectionMissedCheck>();
        Assert.Single(await AlertsAsync(prefix));
        grid2 = await FreshAsync("grid2");
        board = await grid2.GetJsonAsync("/api/disinfection/today");
        var mine = board["items"]!.AsArray().Single(c => c!["communityName"]!.GetValue<string>() == "叉车厂社区")!;
        slots = [.. mine["slots"]!.AsArray().Where(s => s!["planId"]!.GetValue<string>() == planId.ToString())];
        Assert.Equal(["Missed", "Done"], slots.Select(s => s!["state"]!.GetValue<string>()));
        Assert.True(mine["missed"]!.GetValue<int>() >= 1);
    }
}
