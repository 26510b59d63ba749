using System.Net;
using EpiGrid.Features.Reports;
using EpiGrid.Tests.Infrastructure;
using MiniExcelLibs;

namespace EpiGrid.Tests.Reports;

public sealed class ReportVersionFactory : ReportFactory;

public sealed class ReportVersionTests(ReportVersionFactory app) : IClassFixture<ReportVersionFactory>
{
    [Fact]
    public async Task SignedReport_DoesNotChangeWithLaterData_CorrectionMakesVersion2_AndXlsxParsesBack()
    {
        app.At("2020-06-12T10:00:00");
        await ReportKit.RegisterAsync(app, "grid1", "春天大道", "Returnee", "返回戊");
        var stats = await app.As("stats");
        var leader = await app.As("leader");

        // Not before the window has ended.
        await (await stats.PostJsonAsync("/api/reports/daily/review", new { date = "2020-06-12" })).ExpectAsync(HttpStatusCode.Conflict);
        app.At("2020-06-12T15:10:00");
        // Nothing to sign before the statistician's review.
        await (await leader.PostJsonAsync("/api/reports/daily/sign", new { date = "2020-06-12", version = 1 })).ExpectAsync(HttpStatusCode.Conflict);

        var xiguan = await Demo.AreaAsync(app, "西关社区");
        var reviewed = await (await stats.PostJsonAsync("/api/reports/daily/review", new
        {
            date = "2020-06-12", remarks = new[] { new { areaId = xiguan.Id, remark = "返回人员已全部落实居家观察" } },
        })).JsonAsync();
        Assert.Equal(1, reviewed["version"]!.GetValue<int>());
        Assert.Equal("Reviewed", reviewed["status"]!.GetValue<string>());
        // Until signed, the day reads as computed now, with version 1 waiting.
        var before = await stats.GetJsonAsync("/api/reports/daily?date=2020-06-12");
        Assert.False(before["signed"]!.GetValue<bool>());
        Assert.Equal(1, before["pending"]!["version"]!.GetValue<int>());

        await (await leader.PostJsonAsync("/api/reports/daily/sign", new { date = "2020-06-12", version = 2 })).ExpectAsync(HttpStatusCode.Conflict);
        var signed = await (await leader.PostJsonAsync("/api/reports/daily/sign", new { date = "2020-06-12", version = 1 })).JsonAsync();
        Assert.Equal("Signed", signed["status"]!.GetValue<string>());

        var v1 = await stats.GetJsonAsync("/api/reports/daily?date=2020-06-12");
        Assert.True(v1["signed"]!.GetValue<bool>());
        Assert.Equal(1, v1["version"]!.GetValue<int>());
        Assert.Equal("张志强（党工委书记）", v1["signedBy"]!.GetValue<string>());
        Assert.Equal(1, ReportKit.N(ReportKit.Row(v1, "西关社区"), "newReturnees"));
        Assert.Equal(0, ReportKit.N(ReportKit.Row(v1, "西关社区"), "gateFever"));
        Assert.Equal("返回人员已全部落实居家观察", ReportKit.Row(v1, "西关社区")["remark"]!.GetValue<string>());

        // A gate phone that was offline uploads a 14:00 fever pass at 15:40: the signed report stays as it was.
        app.At("2020-06-12T15:40:00");
        await ReportKit.FeverPassAsync(app, "2020-06-12T14:00:00");
        var still = await stats.GetJsonAsync("/api/reports/daily?date=2020-06-12");
        Assert.Equal(1, still["version"]!.GetValue<int>());
        Assert.Equal(0, ReportKit.N(ReportKit.Row(still, "西关社区"), "gateFever"));
        Assert.Equal(0, ReportKit.N(still["totals"]!, "gateFever"));
        // ...while the live figures of that window (the dashboard's) show it.
        var live = await leader.GetJsonAsync("/api/dashboard?date=2020-06-12");
        Assert.Equal(1, ReportKit.N(live["totals"]!, "gateFever"));

        // Reviewing a signed day again is refused; a correction needs its reason.
        await (await stats.PostJsonAsync("/api/reports/daily/review", new { date = "2020-06-12" })).ExpectAsync(HttpStatusCode.Conflict);
        await (await stats.PostJsonAsync("/api/reports/daily/correct", new { date = "2020-06-12" })).ExpectAsync(HttpStatusCode.BadRequest);
        var corrected = await (await stats.PostJsonAsync("/api/reports/daily/correct", new { date = "2020-06-12", reason = "补录春天大道东门离线上传的发热登记" })).JsonAsync();
        Assert.Equal(2, corrected["version"]!.GetValue<int>());
        // Still version 1 until the leader signs version 2.
        Assert.Equal(1, (await stats.GetJsonAsync("/api/reports/daily?date=2020-06-12"))["version"]!.GetValue<int>());
        await (await leader.PostJsonAsync("/api/reports/daily/sign", new { date = "2020-06-12", version = 2 })).ExpectAsync(HttpStatusCode.OK);

        var v2 = await stats.GetJsonAsync("/api/reports/daily?date=2020-06-12");
        Assert.Equal(2, v2["version"]!.GetValue<int>());
        Assert.Equal("补录春天大道东门离线上传的发热登记", v2["reason"]!.GetValue<string>());
        Assert.Equal(1, ReportKit.N(ReportKit.Row(v2, "西关社区"), "gateFever"));
        var old = await stats.GetJsonAsync("/api/reports/daily?date=2020-06-12&version=1");
        Assert.Equal(0, ReportKit.N(old["totals"]!, "gateFever"));
        var versions = (await stats.GetJsonAsync("/api/reports/daily/versions?date=2020-06-12")).AsArray();
        Assert.Equal([1, 2], versions.Select(v => v!["version"]!.GetValue<int>()));

        // The .xlsx: the title, the report form's headings in order, a line per community, the totals and the signature.
        var r = await stats.GetAsync("/api/reports/daily.xlsx?date=2020-06-12");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var bytes = await r.Content.ReadAsByteArrayAsync();
        using var ms = new MemoryStream(bytes);
        var rows = ms.Query(useHeaderRow: false).Cast<IDictionary<string, object?>>().Select(d => d.Values.Select(v => v?.ToString() ?? "").ToList()).ToList();
        Assert.Equal("西关街道疫情防控日报（2020年6月12日）", rows[0][0]);
        Assert.Equal(ReportLine.Headings, rows[2].Take(18));
        Assert.Equal(["社区/村", "新增湖北返回人员", "累计排查人员", "居家医学观察(在管)", "集中隔离(在管)", "送医/转运", "解除观察(当日)", "累计解除观察",
            "新增密切接触者", "累计密切接触者", "卡口发热人数", "当日走访户数", "当日走访人数", "累计走访户数", "累计走访人数", "受理投诉", "办结投诉", "备注"], rows[2].Take(18));
        var total = rows.First(x => x[0] == "合计");
        Assert.Equal(ReportKit.Figures(v2["totals"]!).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)), total.Skip(1).Take(16));
        Assert.Equal(12, rows.SkipWhile(x => x[0] != "社区/村").Skip(1).TakeWhile(x => x[0] != "合计").Count());
        Assert.Contains(rows, x => x[0].Contains("签发：张志强（党工委书记）", StringComparison.Ordinal));

        // And a spreadsheet program opens it (when LibreOffice is installed here).
        var soffice = new[] { "/usr/bin/soffice", "/usr/bin/libreoffice" }.FirstOrDefault(File.Exists);
        if (soffice is not null)
        {
            var dir = Directory.CreateTempSubdirectory("epigrid-xlsx-").FullName;
            var file = Path.Combine(dir, "report.xlsx");
            await File.WriteAllBytesAsync(file, bytes);
            var psi = new System.Diagnostics.ProcessStartInfo(soffice, ["--headless", "--norestore", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir, file])
            { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.Environment["HOME"] = dir;
            using var p = System.Diagnostics.Process.Start(psi)!;
            await p.WaitForExitAsync();
            var csv = await File.ReadAllTextAsync(Path.Combine(dir, "report.csv"));
            Assert.Contains("西关街道疫情防控日报", csv, StringComparison.Ordinal);
            Assert.Contains("合计", csv, StringComparison.Ordinal);
        }
    }
}
