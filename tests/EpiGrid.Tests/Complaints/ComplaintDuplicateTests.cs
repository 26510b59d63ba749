using System.Net;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using static EpiGrid.Tests.Complaints.ComplaintTestKit;

namespace EpiGrid.Tests.Complaints;

/// <summary>Repeat calls: offered for merging at intake, merged, handled and answered once, counted once.</summary>
public sealed class ComplaintDuplicateTests(ComplaintClockFactory app) : IClassFixture<ComplaintClockFactory>
{
    private static Guid Id(JsonNode n) => n["id"]!.GetValue<Guid>();

    private static Guid[] Candidates(JsonNode n) => [.. n["duplicateCandidates"]!.AsArray().Select(c => c!["id"]!.GetValue<Guid>())];

    [Fact]
    public async Task ADuplicate_IsOffered_Merged_FollowsItsPrimary_AndCountsOnce()
    {
        var hotline = await app.As("hotline");
        var grid1Id = await Demo.UserIdAsync(app, "grid1");
        var spring = (await Demo.AreaAsync(app, "春天大道")).Id;
        var xiguan = (await Demo.AreaAsync(app, "西关小区")).Id;
        var day = app.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd");
        var statsUrl = $"/api/complaints/stats?from={day}&to={day}";

        var first = await hotline.FileAsync(Ticket(spring, phone: "13991110001", content: "春天大道3号楼隔离户家中缺米面，请求社区帮助代购。"));
        Assert.Empty(Candidates(first));
        app.Clock.Advance(TimeSpan.FromHours(2));

        // The same caller again (another place, other words): offered, because of the phone.
        var again = await hotline.FileAsync(Ticket(xiguan, phone: "13991110001", content: "早上打过电话，到现在没有人联系我。"));
        var offered = again["duplicateCandidates"]!.AsArray().Single()!;
        Assert.Equal(Id(first), Id(offered));
        Assert.True(offered["samePhone"]!.GetValue<bool>());
        Assert.Equal("139****0001", offered["complainantPhone"]!.GetValue<string>());
        // Another caller, the same compound and nearly the same words: offered too.
        var neighbour = await hotline.FileAsync(Ticket(spring, phone: "13991110002", content: "春天大道3号楼隔离户家里缺米面，请社区帮助代购。"));
        Assert.Contains(Id(first), Candidates(neighbour));
        Assert.True(neighbour["duplicateCandidates"]![0]!["similarity"]!.GetValue<double>() >= 0.5);
        // The same compound, another matter: nothing offered.
        var other = await hotline.FileAsync(Ticket(spring, phone: "13991110003", content: "建议在菜市场门口设置测温点。"));
        Assert.Empty(Candidates(other));

        var before = await hotline.GetJsonAsync(statsUrl);

        // Merged: the repeat call links to the first ticket, which now stands for two calls.
        var merged = await hotline.StepAsync($"/api/complaints/{Id(again)}/merge", new { intoId = Id(first) });
        Assert.Equal(first["number"]!.GetValue<string>(), merged["mergedInto"]!["number"]!.GetValue<string>());
        Assert.Empty(Candidates(merged));
        var primary = await hotline.GetJsonAsync($"/api/complaints/{Id(first)}");
        Assert.Equal(2, primary["calls"]!.GetValue<int>());
        Assert.Equal(again["number"]!.GetValue<string>(), primary["mergedCalls"]!.AsArray().Single()!["number"]!.GetValue<string>());
        Assert.Contains(primary["timeline"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "Merged");

        // Counted once: one ticket fewer that day, the same number of calls.
        var after = await hotline.GetJsonAsync(statsUrl);
        Assert.Equal(before["tickets"]!.GetValue<int>() - 1, after["tickets"]!.GetValue<int>());
        Assert.Equal(before["calls"]!.GetValue<int>(), after["calls"]!.GetValue<int>());
        Assert.Equal(before["perDay"]![0]!["count"]!.GetValue<int>() - 1, after["perDay"]![0]!["count"]!.GetValue<int>());

        // One handling, one reply: the merged ticket takes no steps of its own and follows its primary.
        await hotline.StepAsync($"/api/complaints/{Id(again)}/dispatch", new { handlerId = grid1Id, responderId = grid1Id }, HttpStatusCode.Conflict);
        await hotline.StepAsync($"/api/complaints/{Id(first)}/dispatch", new { handlerId = grid1Id, responderId = grid1Id });
        var follows = await hotline.GetJsonAsync($"/api/complaints/{Id(again)}");
        Assert.Equal("Dispatched", follows["status"]!.GetValue<string>());
        Assert.Equal(grid1Id, follows["handler"]!["id"]!.GetValue<Guid>());
        await hotline.StepAsync($"/api/complaints/{Id(first)}/reply", new { text = "网格员已上门代购米面。" });
        await hotline.StepAsync($"/api/complaints/{Id(again)}/reply", new { text = "另行答复" }, HttpStatusCode.Conflict);
        // The caller of the repeat looks up their own number and reads the one reply.
        var pub = await app.Anonymous().GetJsonAsync($"/api/public/complaints/{again["number"]}?phoneLast4=0001");
        Assert.Equal("Replied", pub["status"]!.GetValue<string>());
        Assert.Equal("网格员已上门代购米面。", pub["reply"]!.GetValue<string>());
        await hotline.StepAsync($"/api/complaints/{Id(first)}/follow-up", new { satisfaction = "Satisfied" });
        Assert.Equal("Closed", (await hotline.GetJsonAsync($"/api/complaints/{Id(again)}"))["status"]!.GetValue<string>());
        // The handler's own list shows the work once.
        var mine = await (await app.As("grid1")).GetJsonAsync("/api/complaints?mine=true&pageSize=200");
        Assert.Contains(mine["items"]!.AsArray(), i => i!["id"]!.GetValue<Guid>() == Id(first));
        Assert.DoesNotContain(mine["items"]!.AsArray(), i => i!["id"]!.GetValue<Guid>() == Id(again));
    }

    [Fact]
    public async Task Merging_KeepsItsRules_AndOldTicketsAreNotOffered()
    {
        var hotline = await app.As("hotline");
        var grid1Id = await Demo.UserIdAsync(app, "grid1");
        var area = (await Demo.AreaAsync(app, "技师学院家属院")).Id;
        var a = await hotline.FileAsync(Ticket(area, phone: "13991120001", content: "技师学院家属院门口垃圾堆积"));
        var b = await hotline.FileAsync(Ticket(area, phone: "13991120001", content: "垃圾还是没人清理"));
        Assert.Contains(Id(a), Candidates(b));

        // Into itself, or into nothing: 400 on intoId, nothing changed.
        var self = JsonNode.Parse(await (await hotline.PostJsonAsync($"/api/complaints/{Id(b)}/merge", new { intoId = Id(b) })).ExpectAsync(HttpStatusCode.BadRequest))!;
        Assert.NotNull(self["errors"]!["intoId"]);
        var none = JsonNode.Parse(await (await hotline.PostJsonAsync($"/api/complaints/{Id(b)}/merge", new { intoId = Guid.NewGuid() })).ExpectAsync(HttpStatusCode.BadRequest))!;
        Assert.NotNull(none["errors"]!["intoId"]);
        await (await hotline.PostJsonAsync($"/api/complaints/{Id(b)}/merge", new { })).ExpectAsync(HttpStatusCode.BadRequest);
        // Only the desk merges.
        await (await (await app.As("leader")).PostJsonAsync($"/api/complaints/{Id(b)}/merge", new { intoId = Id(a) })).ExpectAsync(HttpStatusCode.Forbidden);

        await hotline.StepAsync($"/api/complaints/{Id(b)}/merge", new { intoId = Id(a) });
        // Not twice, not backwards, not a ticket already dispatched, not into a closed one.
        await hotline.StepAsync($"/api/complaints/{Id(b)}/merge", new { intoId = Id(a) }, HttpStatusCode.Conflict);
        await hotline.StepAsync($"/api/complaints/{Id(a)}/merge", new { intoId = Id(b) }, HttpStatusCode.Conflict);
        var c = await hotline.FileAsync(Ticket(area, phone: "13991120003"));
        await hotline.StepAsync($"/api/complaints/{Id(c)}/dispatch", new { handlerId = grid1Id, responderId = grid1Id });
        await hotline.StepAsync($"/api/complaints/{Id(c)}/merge", new { intoId = Id(a) }, HttpStatusCode.Conflict);
        await hotline.StepAsync($"/api/complaints/{Id(c)}/reply", new { text = "已处理" });
        await hotline.StepAsync($"/api/complaints/{Id(c)}/follow-up", new { satisfaction = "Satisfied" });
        var d = await hotline.FileAsync(Ticket(area, phone: "13991120003"));
        Assert.DoesNotContain(Id(c), Candidates(d)); // closed tickets are not offered
        await hotline.StepAsync($"/api/complaints/{Id(d)}/merge", new { intoId = Id(c) }, HttpStatusCode.Conflict);

        // Past 48 hours the same caller is a new matter.
        var e = await hotline.FileAsync(Ticket(area, phone: "13991120005", content: "楼下超市蔬菜涨价"));
        app.Clock.Advance(TimeSpan.FromHours(49));
        var f = await hotline.FileAsync(Ticket(area, phone: "13991120005", content: "楼下超市蔬菜涨价"));
        Assert.DoesNotContain(Id(e), Candidates(f));
    }

    [Fact]
    public void Similarity_IsTheJaccardIndexOfCharacterBigrams()
    {
        var a = EpiGrid.Features.Complaints.FindDuplicates.Bigrams("缺米面");          // 缺米, 米面
        var b = EpiGrid.Features.Complaints.FindDuplicates.Bigrams("缺米面，请代购"); // 缺米, 米面, 面请, 请代, 代购
        Assert.Equal(2.0 / 5, EpiGrid.Features.Complaints.FindDuplicates.Jaccard(a, b), 6);
        Assert.Equal(1.0, EpiGrid.Features.Complaints.FindDuplicates.Jaccard(a, a));
        Assert.Equal(0.0, EpiGrid.Features.Complaints.FindDuplicates.Jaccard(a, EpiGrid.Features.Complaints.FindDuplicates.Bigrams("建议")));
    }
}
