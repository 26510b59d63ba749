using System.Net;
using System.Text.Json.Nodes;
using EpiGrid.Features.Duty;
using EpiGrid.Platform;
using EpiGrid.Tests.FieldWork2;
using EpiGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Duty;

/// <summary>People on duty, model posts, shock teams and shifts, and the roster's warnings.</summary>
public sealed class DutyApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static async Task<JsonNode> CreatedAsync(HttpResponseMessage r) => JsonNode.Parse(await r.ExpectAsync(HttpStatusCode.Created))!;
    private static string Id(JsonNode n) => n["id"]!.GetValue<string>();
    private static string[] Codes(JsonNode shift) => [.. shift["warnings"]!.AsArray().Select(w => w!["code"]!.GetValue<string>())];

    private async Task<string> MemberAsync(HttpClient client, string name, string kind = "PartyMember")
    {
        var xiguan = await Demo.AreaAsync(app, "西关社区");
        return Id(await CreatedAsync(await client.PostJsonAsync("/api/duty/members", new { name, kind, branch = "西关社区党支部", phone = "13991701234", skills = "驾驶", areaId = xiguan.Id })));
    }

    /// <summary>Monday of a week well ahead (office time), so that the tests' shifts meet nobody else's.</summary>
    private DateOnly MondayAhead(int weeks)
    {
        var today = app.With(sp => sp.GetRequiredService<OfficeClock>().Today);
        return today.AddDays(7 * weeks - ((int)today.DayOfWeek + 6) % 7);
    }

    private static DateTimeOffset At(DateOnly d, int hour) => new(d.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.FromHours(8));

    [Fact]
    public async Task MembersPostsTeamsAndShifts_AreCreatedThroughTheApi()
    {
        var pub = await app.As("publicity");
        var xiguan = await Demo.AreaAsync(app, "西关社区");
        var m = await CreatedAsync(await pub.PostJsonAsync("/api/duty/members", new { name = "赵党员", kind = "PartyMember", branch = "西关社区党支部", phone = "13991705678", skills = "医护", areaId = xiguan.Id }));
        Assert.Equal("139****5678", m["phoneMasked"]!.GetValue<string>());
        Assert.DoesNotContain("13991705678", m.ToJsonString());
        var cadre = await MemberAsync(pub, "钱干部", "Cadre");
        var gate = await Demo.GateAsync(app, "西关小区正门");
        var post = await CreatedAsync(await pub.PostJsonAsync("/api/duty/posts", new { name = "西关小区正门党员示范岗", areaId = gate.CompoundId, location = "西关小区正门", gateId = gate.Id, memberIds = new[] { Id(m), cadre } }));
        Assert.Equal(2, post["members"]!.AsArray().Count);
        var team = await CreatedAsync(await pub.PostJsonAsync("/api/duty/teams", new { name = "西关社区党员突击队", areaId = xiguan.Id, leaderId = Id(m), task = "物资转运", memberIds = new[] { cadre } }));
        Assert.Equal("赵党员", team["leaderName"]!.GetValue<string>());
        Assert.Equal(2, team["members"]!.AsArray().Count); // the leader is a member

        var shift = await CreatedAsync(await pub.PostJsonAsync("/api/duty/shifts", new { memberId = Id(m), gateId = gate.Id, startsAt = At(MondayAhead(2), 8), endsAt = At(MondayAhead(2), 16) }));
        Assert.Equal("西关小区正门", shift["place"]!.GetValue<string>());
        Assert.Equal(8, shift["hours"]!.GetValue<double>());
        Assert.False(shift["night"]!.GetValue<bool>());
        Assert.Empty(shift["warnings"]!.AsArray());

        // A shift done (yesterday) is in the person's record.
        var yesterday = app.With(sp => sp.GetRequiredService<OfficeClock>().Today).AddDays(-1);
        await CreatedAsync(await pub.PostJsonAsync("/api/duty/shifts", new { memberId = Id(m), postId = Id(post), startsAt = At(yesterday, 8), endsAt = At(yesterday, 12) }));
        var record = await pub.GetJsonAsync($"/api/duty/members/{Id(m)}");
        Assert.Single(record["done"]!.AsArray());
        Assert.Equal(4, record["hoursDone"]!.GetValue<double>());
        Assert.Single(record["upcoming"]!.AsArray());
        Assert.Equal("西关小区正门党员示范岗", record["posts"]![0]!["name"]!.GetValue<string>());
        Assert.True(record["teams"]![0]!["isLeader"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, (await pub.GetAsync("/api/duty/shifts/export.xlsx")).StatusCode);
    }

    [Fact]
    public async Task TwoNightShiftsInARow_GiveTheWarning_ButAreKept()
    {
        var pub = await app.As("publicity");
        var id = await MemberAsync(pub, "孙夜班");
        var monday = MondayAhead(3);
        var first = await CreatedAsync(await pub.PostJsonAsync("/api/duty/shifts", new { memberId = id, areaId = (await Demo.AreaAsync(app, "西关社区")).Id, place = "社区值班室", startsAt = At(monday, 20), endsAt = At(monday.AddDays(1), 8) }));
        Assert.True(first["night"]!.GetValue<bool>());
        Assert.Empty(first["warnings"]!.AsArray());
        var gate = await Demo.GateAsync(app, "春天大道东门");
        var second = await CreatedAsync(await pub.PostJsonAsync("/api/duty/shifts", new { memberId = id, gateId = gate.Id, startsAt = At(monday.AddDays(1), 22), endsAt = At(monday.AddDays(2), 6) }));
        Assert.Contains("ConsecutiveNights", Codes(second));
        Assert.Contains("连续两晚夜班", second["warnings"]![0]!["message"]!.GetValue<string>());
        // Stored all the same, and the roster shows the warning on both nights.
        var week = (await pub.GetJsonAsync($"/api/duty/shifts?memberId={id}&from={monday:yyyy-MM-dd}&to={monday.AddDays(6):yyyy-MM-dd}"))["items"]!.AsArray();
        Assert.Equal(2, week.Count);
        Assert.All(week, s => Assert.Contains("ConsecutiveNights", Codes(s!)));
        var page = await (await pub.GetAsync($"/Duty/Roster?week={monday:yyyy-MM-dd}")).Content.ReadAsStringAsync();
        Assert.Contains("shift-warning", page);
        Assert.Contains("连续两晚夜班", page);

        // A night with a free night between is no warning; a day shift the next day is none either.
        var other = await MemberAsync(pub, "周隔夜");
        await CreatedAsync(await pub.PostJsonAsync("/api/duty/shifts", new { memberId = other, gateId = gate.Id, startsAt = At(monday, 22), endsAt = At(monday.AddDays(1), 6) }));
        var day = await CreatedAsync(await pub.PostJsonAsync("/api/duty/shifts", new { memberId = other, gateId = gate.Id, startsAt = At(monday.AddDays(1), 9), endsAt = At(monday.AddDays(1), 17) }));
        Assert.Empty(day["warnings"]!.AsArray());
        var skip = await CreatedAsync(await pub.PostJsonAsync("/api/duty/shifts", new { memberId = other, gateId = gate.Id, startsAt = At(monday.AddDays(2), 22), endsAt = At(monday.AddDays(3), 6) }));
        Assert.DoesNotContain("ConsecutiveNights", Codes(skip));
    }

    [Fact]
    public async Task SixtyHoursInAWeek_WithA48HourLimit_GiveTheWarning()
    {
        Assert.Equal(48, app.With(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DutyOptions>>().Value.MaxHoursPerWeek));
        var pub = await app.As("publicity");
        var id = await MemberAsync(pub, "吴加班");
        var gate = await Demo.GateAsync(app, "西关小区正门");
        var monday = MondayAhead(4);
        JsonNode? last = null;
        for (var d = 0; d < 5; d++)
        {
            // Five 12-hour day shifts, 08:00–20:00: 48 hours after the fourth (no warning), 60 after the fifth.
            last = await CreatedAsync(await pub.PostJsonAsync("/api/duty/shifts", new { memberId = id, gateId = gate.Id, startsAt = At(monday.AddDays(d), 8), endsAt = At(monday.AddDays(d), 20) }));
            if (d < 4) Assert.Empty(last["warnings"]!.AsArray());
        }
        Assert.Equal(["WeeklyHours"], Codes(last!));
        Assert.Contains("60", last!["warnings"]![0]!["message"]!.GetValue<string>());
        Assert.Contains("48", last["warnings"]![0]!["message"]!.GetValue<string>());
        // The next week starts afresh.
        var next = await CreatedAsync(await pub.PostJsonAsync("/api/duty/shifts", new { memberId = id, gateId = gate.Id, startsAt = At(monday.AddDays(7), 8), endsAt = At(monday.AddDays(7), 20) }));
        Assert.Empty(next["warnings"]!.AsArray());
    }

    [Fact]
    public async Task InvalidInput_Gives400_AndStoresNothing()
    {
        var pub = await app.As("publicity");
        var id = await MemberAsync(pub, "郑无效");
        var members = await FieldWork2Data.CountAsync<DutyMember>(app);
        var shifts = await FieldWork2Data.CountAsync<DutyShift>(app);
        var posts = await FieldWork2Data.CountAsync<ModelPost>(app);
        var teams = await FieldWork2Data.CountAsync<ShockTeam>(app);
        var xiguan = await Demo.AreaAsync(app, "西关社区");
        await (await pub.PostJsonAsync("/api/duty/members", new { name = "无类别", areaId = xiguan.Id })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await pub.PostJsonAsync("/api/duty/members", new { name = "坏电话", kind = "Volunteer", phone = "12345", areaId = xiguan.Id })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await pub.PostJsonAsync("/api/duty/posts", new { name = "无位置", areaId = xiguan.Id })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await pub.PostJsonAsync("/api/duty/posts", new { name = "假成员", areaId = xiguan.Id, location = "门口", memberIds = new[] { Guid.NewGuid() } })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await pub.PostJsonAsync("/api/duty/teams", new { name = "无队长", areaId = xiguan.Id })).ExpectAsync(HttpStatusCode.BadRequest);
        var monday = MondayAhead(5);
        await (await pub.PostJsonAsync("/api/duty/shifts", new { memberId = id, areaId = xiguan.Id, place = "值班室", startsAt = At(monday, 10), endsAt = At(monday, 8) })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await pub.PostJsonAsync("/api/duty/shifts", new { memberId = id, areaId = xiguan.Id, place = "值班室", startsAt = At(monday, 8), endsAt = At(monday.AddDays(2), 8) })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await pub.PostJsonAsync("/api/duty/shifts", new { memberId = id, startsAt = At(monday, 8), endsAt = At(monday, 12) })).ExpectAsync(HttpStatusCode.BadRequest); // nowhere
        await (await pub.PostJsonAsync("/api/duty/shifts", new { memberId = Guid.NewGuid(), areaId = xiguan.Id, place = "值班室", startsAt = At(monday, 8), endsAt = At(monday, 12) })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(members, await FieldWork2Data.CountAsync<DutyMember>(app));
        Assert.Equal(shifts, await FieldWork2Data.CountAsync<DutyShift>(app));
        Assert.Equal(posts, await FieldWork2Data.CountAsync<ModelPost>(app));
        Assert.Equal(teams, await FieldWork2Data.CountAsync<ShockTeam>(app));
    }

    [Fact]
    public async Task OutsideTheCallersScope_IsNotFound()
    {
        await Endpoints.EnsureVolunteerAsync(app); // creates leaderx, a leader of 西关社区
        var set = await FieldWork2Data.InCompoundAsync(app, "叉车厂小区");
        var leaderx = await app.As("leaderx");
        await (await leaderx.GetAsync($"/api/duty/members/{set.MemberId}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await leaderx.GetAsync($"/api/duty/posts/{set.PostId}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await leaderx.GetAsync($"/api/duty/teams/{set.TeamId}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await leaderx.GetAsync($"/api/duty/shifts/{set.ShiftId}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await leaderx.DeleteAsync($"/api/duty/shifts/{set.ShiftId}")).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await (await app.As("leader")).GetAsync($"/api/duty/shifts/{set.ShiftId}")).StatusCode);
        // A shift for someone out of scope cannot be made.
        var xiguan = await Demo.AreaAsync(app, "西关社区");
        var monday = MondayAhead(6);
        await (await leaderx.PostJsonAsync("/api/duty/shifts", new { memberId = set.MemberId, areaId = xiguan.Id, place = "值班室", startsAt = At(monday, 8), endsAt = At(monday, 12) })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.DoesNotContain((await leaderx.GetJsonAsync("/api/duty/members?pageSize=200"))["items"]!.AsArray(), m => m!["id"]!.GetValue<string>() == set.MemberId.ToString());
    }
}
