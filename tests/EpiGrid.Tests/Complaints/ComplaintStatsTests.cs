using System.Net;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using MiniExcelLibs;
using static EpiGrid.Tests.Complaints.ComplaintTestKit;

namespace EpiGrid.Tests.Complaints;

/// <summary>
/// Statistics on a seeded set of tickets in June 2020 (far from the demo's fortnight in January–February), every
/// figure computed by hand below. One test: the fake clock only goes forward.
/// </summary>
public sealed class ComplaintStatsTests(ComplaintClockFactory app) : IClassFixture<ComplaintClockFactory>
{
    private static DateTimeOffset Local(int m, int d, int h, int min = 0) => new(2020, m, d, h, min, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task Stats_GiveTheExactCountsPerDayChannelAndCategory_MedianAndP90Hours_SatisfactionRate_AndTheChange()
    {
        var hotline = await app.As("hotline");
        var stats = await app.As("stats");
        var grid1Id = await Demo.UserIdAsync(app, "grid1");
        var spring = (await Demo.AreaAsync(app, "春天大道")).Id;
        var xiguan = (await Demo.AreaAsync(app, "西关小区")).Id;
        var forklift = (await Demo.AreaAsync(app, "叉车厂小区")).Id;
        const string Url = "/api/complaints/stats?from=2020-06-01&to=2020-06-03&compareFrom=2020-05-29&compareTo=2020-05-31";

        app.Clock.SetUtcNow(Local(5, 29, 9));
        var before = await stats.GetJsonAsync(Url);

        async Task<Guid> File(int m, int d, int h, int min, Guid area, string channel, string category, string phone, string content)
        {
            app.Clock.SetUtcNow(Local(m, d, h, min));
            object body = channel == "Hotline12345"
                ? new { channel, category, urgency = "Normal", content, complainantName = "群众", complainantPhone = phone, areaId = area, upstreamNumber = "BJ12345-0601" }
                : new { channel, category, urgency = "Normal", content, complainantName = "群众", complainantPhone = phone, areaId = area };
            return (await hotline.FileAsync(body))["id"]!.GetValue<Guid>();
        }
        async Task Step(int m, int d, int h, int min, Guid id, string step, object body)
        {
            app.Clock.SetUtcNow(Local(m, d, h, min));
            await hotline.StepAsync($"/api/complaints/{id}/{step}", body);
        }
        var dispatch = new { handlerId = grid1Id, responderId = grid1Id };
        var reply = new { text = "已办理" };

        // The comparison period: two tickets in three days.
        await File(5, 29, 10, 0, xiguan, "Phone", "Help", "13700000001", "家中缺菜，请求代购");
        await File(5, 30, 10, 0, xiguan, "Phone", "Enquiry", "13700000002", "隔离期满后能否上班");

        // 1 June: T1, its repeat call T5 (merged: counted once), T2, T3, T4.
        var t1 = await File(6, 1, 9, 0, spring, "Phone", "Help", "13700000011", "居家隔离户家中缺米面，请求社区帮助代购");
        var t5 = await File(6, 1, 9, 10, spring, "Phone", "Help", "13700000011", "还是米面的事，怎么还没人来");
        await Step(6, 1, 9, 11, t5, "merge", new { intoId = t1 });
        var t2 = await File(6, 1, 9, 20, xiguan, "Phone", "Complaint", "13700000012", "楼道消杀不及时");
        var t3 = await File(6, 1, 9, 30, spring, "Hotline12345", "Enquiry", "13700000013", "外地车辆能否进入小区");
        await File(6, 1, 9, 40, spring, "WalkIn", "Help", "13700000014", "独居老人需要买药");
        await Step(6, 1, 10, 0, t1, "dispatch", dispatch);   // first response 1 h
        await Step(6, 1, 11, 20, t2, "dispatch", dispatch);  // 2 h
        await Step(6, 1, 12, 30, t3, "dispatch", dispatch);  // 3 h
        await Step(6, 1, 13, 0, t1, "reply", reply);
        await Step(6, 1, 14, 20, t2, "reply", reply);
        await Step(6, 1, 15, 0, t1, "follow-up", new { satisfaction = "Satisfied" });   // closed after 6 h
        await Step(6, 1, 15, 30, t3, "reply", reply);
        await Step(6, 1, 17, 20, t2, "follow-up", new { satisfaction = "Basic" });       // closed after 8 h
        await Step(6, 1, 18, 30, t3, "follow-up", new { satisfaction = "Unsatisfied" }); // reopened: followed up, not closed
        // 2 June: T6 and T7.
        var t6 = await File(6, 2, 9, 0, forklift, "Online", "Suggestion", "13700000016", "建议每天公布疫情通报");
        var t7 = await File(6, 2, 10, 0, forklift, "Phone", "Help", "13700000017", "孩子发烧去哪个发热门诊");
        await Step(6, 2, 10, 30, t7, "dispatch", dispatch);  // 0.5 h
        await Step(6, 2, 13, 0, t6, "dispatch", dispatch);   // 4 h
        await Step(6, 2, 14, 0, t7, "reply", reply);
        await Step(6, 2, 20, 0, t6, "reply", reply);
        await Step(6, 3, 5, 0, t6, "follow-up", new { satisfaction = "Satisfied" });   // closed after 20 h
        await Step(6, 3, 16, 0, t7, "follow-up", new { satisfaction = "Satisfied" });  // closed after 30 h

        var s = await stats.GetJsonAsync(Url);

        // Per day (office-local dates, from and to inclusive), merged T5 not counted.
        Assert.Equal([("2020-06-01", 4), ("2020-06-02", 2), ("2020-06-03", 0)],
            s["perDay"]!.AsArray().Select(d => (d!["date"]!.GetValue<string>(), d["count"]!.GetValue<int>())).ToArray());
        Assert.Equal(6, s["tickets"]!.GetValue<int>());
        Assert.Equal(7, s["calls"]!.GetValue<int>());
        Assert.Equal(new Dictionary<string, int> { ["Phone"] = 3, ["GovPlatform"] = 0, ["Hotline12345"] = 1, ["WalkIn"] = 1, ["Online"] = 1 }, Counts(s["byChannel"]));
        Assert.Equal(new Dictionary<string, int> { ["Enquiry"] = 1, ["Help"] = 3, ["Complaint"] = 1, ["Report"] = 0, ["Suggestion"] = 1 }, Counts(s["byCategory"]));
        Assert.Equal([2, 1, 0], Series(s["perDayByChannel"]!["Phone"]));
        Assert.Equal([2, 1, 0], Series(s["perDayByCategory"]!["Help"]));
        Assert.Equal([0, 1, 0], Series(s["perDayByChannel"]!["Online"]));

        // First response (received → dispatched): 0.5, 1, 2, 3, 4 h → median 2, p90 the 5th of 5 (nearest rank) = 4.
        Assert.Equal(5, s["responded"]!.GetValue<int>());
        Assert.Equal(2.0, s["medianHoursToFirstResponse"]!.GetValue<double>());
        Assert.Equal(4.0, s["p90HoursToFirstResponse"]!.GetValue<double>());
        // Close (received → closed): 6, 8, 20, 30 h → median (8 + 20) / 2 = 14, p90 the 4th of 4 = 30.
        Assert.Equal(4, s["closed"]!.GetValue<int>());
        Assert.Equal(14.0, s["medianHoursToClose"]!.GetValue<double>());
        Assert.Equal(30.0, s["p90HoursToClose"]!.GetValue<double>());
        // Satisfaction: followed up T1 satisfied, T2 basic, T3 unsatisfied, T6 and T7 satisfied → (3 + 1) / 5.
        Assert.Equal(5, s["followedUp"]!.GetValue<int>());
        Assert.Equal(0.8, s["satisfactionRate"]!.GetValue<double>());
        Assert.Equal(1, s["unsatisfied"]!.GetValue<int>());

        // Open now (whenever received): the two of May, T3 (reopened) and T4 (received) more than before; none overdue yet.
        Assert.Equal(before["openNow"]!.GetValue<int>() + 4, s["openNow"]!.GetValue<int>());
        Assert.Equal(before["overdueNow"]!.GetValue<int>(), s["overdueNow"]!.GetValue<int>());
        // The places with most tickets.
        Assert.Equal([("春天大道", 3), ("叉车厂小区", 2), ("西关小区", 1)],
            s["topPlaces"]!.AsArray().Select(p => (p!["name"]!.GetValue<string>(), p["count"]!.GetValue<int>())).ToArray());
        Assert.Equal("西关社区", s["topPlaces"]![0]!["community"]!.GetValue<string>());

        // Against 29–31 May: 2 tickets in 3 days (0.67 a day) → 6 in 3 days (2 a day): +200 %.
        Assert.Equal(2, s["comparison"]!["tickets"]!.GetValue<int>());
        Assert.Equal(0.7, s["comparison"]!["perDayAverage"]!.GetValue<double>());
        Assert.Equal(2.0, s["perDayAverage"]!.GetValue<double>());
        Assert.Equal(200.0, s["changePercent"]!.GetValue<double>());
        Assert.Equal(["2020-05-29", "2020-05-30", "2020-05-31"], s["comparison"]!["perDay"]!.AsArray().Select(d => d!["date"]!.GetValue<string>()).ToArray());

        // The hotline desk reads the same figures; a grid worker may not.
        Assert.Equal(6, (await hotline.GetJsonAsync(Url))["tickets"]!.GetValue<int>());
        await (await (await app.As("grid1")).GetAsync(Url)).ExpectAsync(HttpStatusCode.Forbidden);
        // A period that ends before it starts is a 400 naming the field.
        var bad = JsonNode.Parse(await (await stats.GetAsync("/api/complaints/stats?from=2020-06-03&to=2020-06-01")).ExpectAsync(HttpStatusCode.BadRequest))!;
        Assert.NotNull(bad["errors"]!["from"]);

        // The tickets of the period as Excel: all seven calls, the repeat naming its primary, the phone masked.
        var r = await hotline.GetAsync("/api/complaints/export.xlsx?from=2020-06-01&to=2020-06-03");
        await r.ExpectAsync(HttpStatusCode.OK);
        using var ms = new MemoryStream(await r.Content.ReadAsByteArrayAsync());
        var rows = ms.Query(useHeaderRow: false).Cast<IDictionary<string, object?>>().Select(row => row.Values.Select(v => v?.ToString() ?? "").ToList()).ToList();
        Assert.StartsWith("导出：", rows[0][0], StringComparison.Ordinal);
        Assert.Equal("工单编号", rows[1][0]);
        Assert.Equal(7, rows.Count - 2);
        var t1Number = (await hotline.GetJsonAsync($"/api/complaints/{t1}"))["number"]!.GetValue<string>();
        var t5Number = (await hotline.GetJsonAsync($"/api/complaints/{t5}"))["number"]!.GetValue<string>();
        var headings = rows[1];
        var t5Row = rows.Single(x => x[0] == t5Number);
        Assert.Equal(t1Number, t5Row[headings.IndexOf("并入工单")]);
        Assert.Equal("2", rows.Single(x => x[0] == t1Number)[headings.IndexOf("来电次数")]);
        Assert.Contains(rows, x => x.Contains("137****0011"));
        Assert.DoesNotContain(rows, x => x.Contains("13700000011"));
    }

    private static Dictionary<string, int> Counts(JsonNode? n) =>
        n!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<int>());

    private static int[] Series(JsonNode? n) => [.. n!.AsArray().Select(x => x!.GetValue<int>())];
}
