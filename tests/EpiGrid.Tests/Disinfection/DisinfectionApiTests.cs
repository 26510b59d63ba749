using System.Net;
using System.Text.Json.Nodes;
using EpiGrid.Features.Disinfection;
using EpiGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Tests.Disinfection;

public sealed class DisinfectionApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static async Task<JsonNode> CreatedAsync(HttpResponseMessage r) => JsonNode.Parse(await r.ExpectAsync(HttpStatusCode.Created))!;

    private async Task<JsonNode> NewPlanAsync(HttpClient client, string area = "西关社区", int timesPerDay = 2)
    {
        var a = await Demo.AreaAsync(app, area);
        return await CreatedAsync(await client.PostJsonAsync("/api/disinfection/plans", new
        {
            name = "公共区域消杀" + Guid.NewGuid().ToString("N")[..6], areaId = a.Id, places = new[] { "春天大道", "垃圾站、楼道", "电梯" },
            agent = "含氯消毒液（84消毒液 1:100）", timesPerDay,
        }));
    }

    [Fact]
    public async Task Plan_TwiceDaily_ShowsOnTodaysBoard_AndTwoRecordsFillItsSlots()
    {
        var grid1 = await app.As("grid1");
        var plan = await NewPlanAsync(grid1);
        var planId = plan["id"]!.GetValue<string>();
        Assert.Equal(["春天大道", "垃圾站", "楼道", "电梯"], plan["places"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(["12:00", "20:00"], plan["slotDeadlines"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Contains((await grid1.GetJsonAsync("/api/disinfection/plans?pageSize=200"))["items"]!.AsArray(), p => p!["id"]!.GetValue<string>() == planId);

        // One tap: the plan fills in where and with what, the caller who and when.
        var first = await CreatedAsync(await grid1.PostJsonAsync("/api/disinfection/records", new { planId }));
        Assert.Equal(planId, first["planId"]!.GetValue<string>());
        Assert.Contains("垃圾站", first["place"]!.GetValue<string>());
        Assert.Equal("含氯消毒液（84消毒液 1:100）", first["agent"]!.GetValue<string>());
        Assert.Contains("王芳", first["doneBy"]!.GetValue<string>());
        var firstSlot = first["slot"]!.GetValue<int>();
        var second = await CreatedAsync(await grid1.PostJsonAsync("/api/disinfection/records", new { planId }));
        Assert.NotEqual(firstSlot, second["slot"]!.GetValue<int>());
        // Both slots recorded: a third is a conflict, and so is a slot recorded twice.
        await (await grid1.PostJsonAsync("/api/disinfection/records", new { planId })).ExpectAsync(HttpStatusCode.Conflict);
        await (await grid1.PostJsonAsync("/api/disinfection/records", new { planId, slot = firstSlot })).ExpectAsync(HttpStatusCode.Conflict);

        // Today's board counts them per community: all of this plan's slots are done.
        var board = await grid1.GetJsonAsync("/api/disinfection/today");
        var community = board["items"]!.AsArray().Single(c => c!["communityName"]!.GetValue<string>() == "西关社区")!;
        var slots = community["slots"]!.AsArray().Where(s => s!["planId"]!.GetValue<string>() == planId).ToList();
        Assert.Equal(2, slots.Count);
        Assert.All(slots, s => Assert.Equal("Done", s!["state"]!.GetValue<string>()));
        // grid1 sees only its own community on the board.
        Assert.All(board["items"]!.AsArray(), c => Assert.Equal("西关社区", c!["communityName"]!.GetValue<string>()));

        var records = await grid1.GetJsonAsync($"/api/disinfection/records?planId={planId}");
        Assert.Equal(2, records["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task AHouseholdDisinfectedAfterAComplaint_CarriesTheTicket()
    {
        var grid1 = await app.As("grid1");
        var compound = await Demo.AreaAsync(app, "春天大道");
        // The hotline takes the call and dispatches it to 西关's grid worker, who disinfects the home.
        var hotline = await app.As("hotline");
        var ticket = await (await hotline.PostJsonAsync("/api/complaints", new
        {
            channel = "Phone", category = "Complaint", urgency = "Normal", content = "楼道有人咳嗽，请求消杀", complainantName = "刘女士",
            complainantPhone = "13709171234", areaId = compound.Id,
        })).JsonAsync();
        var complaintId = ticket["id"]!.GetValue<string>();
        var number = ticket["number"]!.GetValue<string>();
        var grid1Id = await Demo.UserIdAsync(app, "grid1");
        await (await hotline.PostJsonAsync($"/api/complaints/{complaintId}/dispatch", new { handlerId = grid1Id, responderId = grid1Id })).ExpectAsync(HttpStatusCode.OK);

        var rec = await CreatedAsync(await grid1.PostJsonAsync("/api/disinfection/records", new
        {
            areaId = compound.Id, place = "春天大道3号楼2单元401室（住户）", agent = "75%酒精、含氯消毒液", doneBy = "王芳、物业张师傅",
            complaintId, note = "居民投诉楼道有人咳嗽，入户消杀",
        }));
        Assert.Null(rec["planId"]);
        // The ticket's number comes from the ticket itself.
        Assert.Equal(number, rec["complaintNumber"]!.GetValue<string>());
        Assert.Equal(complaintId, rec["complaintId"]!.GetValue<string>());
        var found = await grid1.GetJsonAsync($"/api/disinfection/records?complaintNumber={number}");
        Assert.Contains(found["items"]!.AsArray(), r => r!["id"]!.GetValue<string>() == rec["id"]!.GetValue<string>());
        // Given by its number alone, the record is linked to the ticket too.
        var byNumber = await CreatedAsync(await grid1.PostJsonAsync("/api/disinfection/records", new
        {
            areaId = compound.Id, place = "春天大道3号楼楼道", agent = "含氯消毒液", complaintNumber = number,
        }));
        Assert.Equal(complaintId, byNumber["complaintId"]!.GetValue<string>());
        var export = await grid1.GetAsync("/api/disinfection/records/export.xlsx");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal(EpiGrid.Platform.Privacy.Exporter.ContentType, export.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AComplaintThatDoesNotExist_OrIsNotTheirs_IsRefused_AndNothingIsStored()
    {
        var grid1 = await app.As("grid1");
        var compound = await Demo.AreaAsync(app, "春天大道");
        var hotline = await app.As("hotline");
        // A ticket about 西关 that was not dispatched to grid1: grid1 does not see it (ADR-007), so it does not exist for them.
        var notTheirs = (await (await hotline.PostJsonAsync("/api/complaints", new
        {
            channel = "Phone", category = "Help", urgency = "Normal", content = "代购米面", complainantName = "王先生", complainantPhone = "13709171235", areaId = compound.Id,
        })).JsonAsync())["id"]!.GetValue<string>();
        async Task<int> CountAsync() => await app.WithDbAsync(db => db.Set<DisinfectionRecord>().CountAsync());
        var before = await CountAsync();
        foreach (var complaintId in new[] { Guid.NewGuid().ToString(), notTheirs })
        {
            var body = await (await grid1.PostJsonAsync("/api/disinfection/records", new { areaId = compound.Id, place = "楼道", agent = "84", complaintId }))
                .ExpectAsync(HttpStatusCode.BadRequest);
            Assert.Contains("\"complaintId\"", body);
        }
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task InvalidInput_Is400WithTheFields_AndNothingIsStored()
    {
        var grid1 = await app.As("grid1");
        async Task<(int, int)> CountAsync() => await app.WithDbAsync(async db =>
            (await db.Set<DisinfectionPlan>().CountAsync(), await db.Set<DisinfectionRecord>().CountAsync()));
        var plan = await NewPlanAsync(grid1);
        var before = await CountAsync();
        var xiguan = await Demo.AreaAsync(app, "西关社区");
        var other = await Demo.AreaAsync(app, "叉车厂社区");

        var body = await (await grid1.PostJsonAsync("/api/disinfection/plans", new { name = "", places = Array.Empty<string>(), timesPerDay = 9 })).ExpectAsync(HttpStatusCode.BadRequest);
        foreach (var f in new[] { "name", "areaId", "places", "agent", "timesPerDay" }) Assert.Contains($"\"{f}\"", body);
        body = await (await grid1.PostJsonAsync("/api/disinfection/plans", new { name = "叉车厂消杀", areaId = other.Id, places = new[] { "垃圾站" }, agent = "84", timesPerDay = 1 })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("\"areaId\"", body);
        body = await (await grid1.PostJsonAsync("/api/disinfection/plans", new { name = "x", areaId = xiguan.Id, places = new[] { "垃圾站" }, agent = "84", timesPerDay = 1, everyDays = 0, startDate = "2020-02-10", endDate = "2020-02-01" })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("\"everyDays\"", body);
        Assert.Contains("\"endDate\"", body);

        body = await (await grid1.PostJsonAsync("/api/disinfection/records", new { place = "楼道" })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("\"areaId\"", body);
        Assert.Contains("\"agent\"", body);
        body = await (await grid1.PostJsonAsync("/api/disinfection/records", new { areaId = xiguan.Id, place = "楼道", agent = "84", complaintNumber = "XG 2020/02/07" })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("\"complaintNumber\"", body);
        body = await (await grid1.PostJsonAsync("/api/disinfection/records", new { areaId = other.Id, place = "楼道", agent = "84" })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("\"areaId\"", body);
        body = await (await grid1.PostJsonAsync("/api/disinfection/records", new { planId = plan["id"]!.GetValue<string>(), slot = 3 })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("\"slot\"", body);
        body = await (await grid1.PostJsonAsync("/api/disinfection/records", new { areaId = xiguan.Id, place = "楼道", agent = "84", doneAt = DateTimeOffset.UtcNow.AddDays(2) })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("\"doneAt\"", body);
        body = await (await grid1.PostJsonAsync("/api/disinfection/records", new { planId = Guid.NewGuid() })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("\"planId\"", body);

        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task AnotherCommunitysGridWorker_Gets404()
    {
        var grid1 = await app.As("grid1");
        var grid2 = await app.As("grid2");
        var plan = await NewPlanAsync(grid1);
        var planId = plan["id"]!.GetValue<string>();
        var rec = await CreatedAsync(await grid1.PostJsonAsync("/api/disinfection/records", new { planId }));
        await (await grid2.GetAsync($"/api/disinfection/plans/{planId}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await grid2.PutAsync($"/api/disinfection/plans/{planId}", System.Net.Http.Json.JsonContent.Create(new { name = "x" }))).ExpectAsync(HttpStatusCode.NotFound);
        await (await grid2.GetAsync($"/api/disinfection/records/{rec["id"]!.GetValue<string>()}")).ExpectAsync(HttpStatusCode.NotFound);
        // Recording against a plan one cannot see is an unknown plan.
        var body = await (await grid2.PostJsonAsync("/api/disinfection/records", new { planId })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("\"planId\"", body);
        Assert.DoesNotContain((await grid2.GetJsonAsync("/api/disinfection/plans?pageSize=200"))["items"]!.AsArray(), p => p!["id"]!.GetValue<string>() == planId);
        Assert.DoesNotContain((await grid2.GetJsonAsync("/api/disinfection/today"))["items"]!.AsArray(), c => c!["communityName"]!.GetValue<string>() == "西关社区");
    }
}
