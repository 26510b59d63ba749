using System.Net;
using System.Text.Json.Nodes;
using EpiGrid.Features.Reports;
using EpiGrid.Tests.Complaints;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;

namespace EpiGrid.Tests.Reports;

/// <summary>
/// A fake clock; the epidemic period starts 2020-06-01 for these tests, so the demo office's February data lies before
/// it and every figure is the test's own. The dashboard computes on every call.
/// </summary>
public class ReportFactory : AppFactory
{
    protected override bool UseFakeClock => true;
    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
    [
        new("EpiGrid:TokenLifetime", "3650.00:00:00"),
        new("EpiGrid:Reports:PeriodStart", "2020-06-01"),
        new("EpiGrid:Dashboard:CacheSeconds", "0"),
    ];

    /// <summary>Moves the clock forward to an office-local time (never back).</summary>
    public void At(string local)
    {
        var t = DateTimeOffset.Parse(local + "+08:00", System.Globalization.CultureInfo.InvariantCulture);
        if (t > Clock.GetUtcNow()) Clock.SetUtcNow(t);
    }
}

internal static class ReportKit
{
    public static async Task<string> RegisterAsync(AppFactory app, string user, string compound, string category, string name = "测试人员")
    {
        var c = await app.As(user);
        var r = await c.PostJsonAsync("/api/people", new
        {
            name, gender = "Male", idNumber = RegisterPersonTests.NewIdNumber(), phone = "13612340000",
            compoundId = (await Demo.AreaAsync(app, compound)).Id, address = compound, categories = new[] { category },
        });
        await r.ExpectAsync(HttpStatusCode.Created);
        return (await r.JsonAsync())["id"]!.GetValue<string>();
    }

    public static async Task<string> OrderAsync(AppFactory app, string user, string personId, string kind)
    {
        var r = await (await app.As(user)).PostJsonAsync($"/api/people/{personId}/quarantines", new { kind });
        await r.ExpectAsync(HttpStatusCode.Created);
        return (await r.JsonAsync())["id"]!.GetValue<string>();
    }

    public static async Task FeverPassAsync(AppFactory app, string takenAtLocal)
    {
        var gate = await Demo.GateAsync(app, "春天大道东门");
        var r = await (await app.As("gate1")).PostJsonAsync($"/api/gates/{gate.Id}/passes", new
        {
            clientId = Guid.NewGuid(), direction = "In", temperature = 38.1m, takenAt = takenAtLocal + "+08:00",
            visitor = new { name = "发热访客", phone = "13912345678", idNumber = RegisterPersonTests.NewIdNumber(), from = "宝鸡", to = "春天大道" },
        });
        await r.ExpectAsync(HttpStatusCode.Created);
    }

    public static JsonNode Row(JsonNode report, string community) =>
        report["rows"]!.AsArray().First(r => r!["areaName"]!.GetValue<string>() == community)!;

    public static int N(JsonNode line, string key) => line[key]!.GetValue<int>();

    /// <summary>The 16 figures of a line, in column order.</summary>
    public static int[] Figures(JsonNode line) => [.. ReportLine.Columns.Select(c => N(line, c.Key))];
}

public sealed class DailyReportTests(ReportFactory app) : IClassFixture<ReportFactory>
{
    private static readonly string[] Communities =
        ["福临堡社区", "叉车厂社区", "工程机械厂社区", "四总队社区", "西关社区", "新福路东社区", "新福路西社区", "罗家塄村", "福临堡村", "太平堡村", "玉涧堡村", "新春村"];

    [Fact]
    public async Task SeededDay_GivesExactRowsAndTotals_ZeroDayGivesZeroReport_WindowEdgesSplitAtCutOff()
    {
        var stats = await app.As("stats");

        // A day on which nothing happened: every community and village appears, all zero, marked 零报告.
        app.At("2020-06-05T16:00:00");
        var zero = await stats.GetJsonAsync("/api/reports/daily?date=2020-06-05");
        Assert.False(zero["signed"]!.GetValue<bool>());
        Assert.Equal(Communities, zero["rows"]!.AsArray().Select(r => r!["areaName"]!.GetValue<string>()));
        foreach (var row in zero["rows"]!.AsArray())
        {
            Assert.All(ReportKit.Figures(row!), n => Assert.Equal(0, n));
            Assert.Equal("零报告", row!["remark"]!.GetValue<string>());
        }
        Assert.All(ReportKit.Figures(zero["totals"]!), n => Assert.Equal(0, n));
        Assert.Equal("2020-06-04T15:00:00+08:00", zero["from"]!.GetValue<string>());
        Assert.Equal("2020-06-05T15:00:00+08:00", zero["to"]!.GetValue<string>());

        // 2020-06-10, 10:00: the day's work in 西关社区 (春天大道) and 叉车厂社区 (叉车厂小区).
        app.At("2020-06-10T10:00:00");
        var a = await ReportKit.RegisterAsync(app, "grid1", "春天大道", "Returnee", "返回甲");
        await ReportKit.RegisterAsync(app, "grid1", "春天大道", "Returnee", "返回乙");
        await ReportKit.OrderAsync(app, "grid1", a, "Home");
        var d = await ReportKit.RegisterAsync(app, "grid1", "西关小区", "FloatingPopulation", "解除丁");
        var dOrder = await ReportKit.OrderAsync(app, "grid1", d, "Home");
        await (await (await app.As("grid1")).PostJsonAsync($"/api/quarantines/{dOrder}/close", new { status = "Released", note = "核酸阴性，提前解除" })).ExpectAsync(HttpStatusCode.OK);
        var c = await ReportKit.RegisterAsync(app, "grid2", "叉车厂小区", "CloseContact", "密接丙");
        await ReportKit.OrderAsync(app, "grid2", c, "Centralized");

        var grid1 = await app.As("grid1");
        var spring = await Demo.AreaAsync(app, "春天大道");
        var households = new List<string>();
        foreach (var room in new[] { "601", "602" })
        {
            var h = await grid1.PostJsonAsync("/api/households", new { compoundId = spring.Id, unit = "8", room });
            await h.ExpectAsync(HttpStatusCode.Created);
            households.Add((await h.JsonAsync())["id"]!.GetValue<string>());
        }
        // The first household twice (3 people found), the second once (2): 2 households, 5 people.
        await (await grid1.PostJsonAsync($"/api/households/{households[0]}/visits", new { outcome = "AllWell", occupants = 3 })).ExpectAsync(HttpStatusCode.Created);
        await (await grid1.PostJsonAsync($"/api/households/{households[0]}/visits", new { outcome = "AllWell", occupants = 3 })).ExpectAsync(HttpStatusCode.Created);
        await (await grid1.PostJsonAsync($"/api/households/{households[1]}/visits", new { outcome = "SomeoneReturned", occupants = 2 })).ExpectAsync(HttpStatusCode.Created);
        await (await app.As("hotline")).FileAsync(ComplaintTestKit.Ticket(spring.Id));

        // Fever at the gate at 14:59 (today's report) and at 15:01 (tomorrow's), uploaded at 15:05.
        app.At("2020-06-10T15:05:00");
        await ReportKit.FeverPassAsync(app, "2020-06-10T14:59:00");
        await ReportKit.FeverPassAsync(app, "2020-06-10T15:01:00");

        var report = await stats.GetJsonAsync("/api/reports/daily?date=2020-06-10");
        // 新增返回 累计排查 居家 集中 转运 解除当日 累计解除 新增密接 累计密接 卡口发热 走访户 走访人 累计户 累计人 受理 办结
        Assert.Equal([2, 3, 1, 0, 0, 1, 1, 0, 0, 1, 2, 5, 2, 5, 1, 0], ReportKit.Figures(ReportKit.Row(report, "西关社区")));
        Assert.Equal("", ReportKit.Row(report, "西关社区")["remark"]!.GetValue<string>());
        Assert.Equal([0, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0], ReportKit.Figures(ReportKit.Row(report, "叉车厂社区")));
        foreach (var other in Communities.Except(["西关社区", "叉车厂社区"]))
        {
            Assert.All(ReportKit.Figures(ReportKit.Row(report, other)), n => Assert.Equal(0, n));
        }
        Assert.Equal([2, 4, 1, 1, 0, 1, 1, 1, 1, 1, 2, 5, 2, 5, 1, 0], ReportKit.Figures(report["totals"]!));
        Assert.Equal("合计", report["totals"]!["areaName"]!.GetValue<string>());

        // The next day's window holds the 15:01 fever and nothing else new; the cumulative and in-care figures carry over.
        app.At("2020-06-11T15:30:00");
        var next = await stats.GetJsonAsync("/api/reports/daily?date=2020-06-11");
        Assert.Equal([0, 3, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 2, 5, 0, 0], ReportKit.Figures(ReportKit.Row(next, "西关社区")));

        // The dashboard's report block is the same computation: equal figures for the same window.
        var leader = await app.As("leader");
        var dashboard = await leader.GetJsonAsync("/api/dashboard?date=2020-06-10");
        var asLeader = await leader.GetJsonAsync("/api/reports/daily?date=2020-06-10");
        Assert.Equal(ReportKit.Figures(asLeader["totals"]!), ReportKit.Figures(dashboard["totals"]!));
        foreach (var name in Communities)
        {
            Assert.Equal(ReportKit.Figures(ReportKit.Row(asLeader, name)), ReportKit.Figures(ReportKit.Row(dashboard, name)));
        }
        Assert.True(dashboard["alerts"]!["feverOpen"]!.GetValue<int>() >= 2, "the two fever passes raised open Fever alerts");

        // A grid worker reads their own community's line, and totals of that line.
        var own = await (await app.As("grid2")).GetJsonAsync("/api/reports/daily?date=2020-06-10");
        Assert.Equal(["叉车厂社区"], own["rows"]!.AsArray().Select(r => r!["areaName"]!.GetValue<string>()));
        Assert.Equal(ReportKit.Figures(ReportKit.Row(report, "叉车厂社区")), ReportKit.Figures(own["totals"]!));
    }

    [Fact]
    public async Task ReportAndDashboard_RefuseRolesWithoutTheRight_AndBadDates()
    {
        await (await (await app.As("hotline")).GetAsync("/api/reports/daily")).ExpectAsync(HttpStatusCode.Forbidden);
        await (await (await app.As("gate1")).GetAsync("/api/dashboard")).ExpectAsync(HttpStatusCode.Forbidden);
        var stats = await app.As("stats");
        await (await stats.GetAsync("/api/reports/daily?date=2019-12-01")).ExpectAsync(HttpStatusCode.BadRequest);
        await (await stats.GetAsync("/api/reports/daily?date=2031-01-01")).ExpectAsync(HttpStatusCode.BadRequest);
        await (await (await app.As("grid1")).PostJsonAsync("/api/reports/daily/review", new { date = "2020-06-05" })).ExpectAsync(HttpStatusCode.Forbidden);
        await (await (await app.As("stats")).PostJsonAsync("/api/reports/daily/sign", new { date = "2020-06-05", version = 1 })).ExpectAsync(HttpStatusCode.Forbidden);
    }
}
