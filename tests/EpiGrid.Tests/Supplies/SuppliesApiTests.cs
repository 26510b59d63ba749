using System.Net;
using System.Text.Json.Nodes;
using EpiGrid.Features.People;
using EpiGrid.Features.Supplies;
using EpiGrid.Platform.Auth;
using EpiGrid.Tests.FieldWork2;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Tests.Supplies;

/// <summary>Supplies for quarantined households: requests, the household's own link, assignment, contactless delivery, scope.</summary>
public sealed class SuppliesApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static async Task<JsonNode> CreatedAsync(HttpResponseMessage r) => JsonNode.Parse(await r.ExpectAsync(HttpStatusCode.Created))!;
    private static string Id(JsonNode n) => n["id"]!.GetValue<string>();

    /// <summary>A person under home observation in a compound of grid1's (西关社区), registered through the API.</summary>
    public static async Task<string> QuarantinedPersonAsync(AppFactory app, HttpClient grid1, string compound = "春天大道", string name = "居家观察者")
    {
        var c = await Demo.AreaAsync(app, compound);
        var r = await grid1.PostJsonAsync("/api/people", new
        {
            name, gender = "Female", idNumber = RegisterPersonTests.NewIdNumber(male: false), phone = "13612340000", compoundId = c.Id,
            address = $"{compound}3号楼2单元501", categories = new[] { "Returnee", "HomeObservation" },
        });
        return Id(await CreatedAsync(r));
    }

    /// <summary>A volunteer account (the Volunteer role), scoped to 西关社区.</summary>
    public static async Task<Guid> VolunteerAsync(AppFactory app, string userName)
    {
        var existing = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => (Guid?)u.Id).FirstOrDefaultAsync());
        if (existing is { } id) return id;
        var xiguan = await Demo.AreaAsync(app, "西关社区");
        var r = await (await app.As("admin")).PostJsonAsync("/api/users", new
        {
            userName, displayName = "志愿者" + userName, roles = new[] { Roles.Volunteer }, areaIds = new[] { xiguan.Id }, password = AppFactory.NewPassword,
        });
        return Guid.Parse(Id(await CreatedAsync(r)));
    }

    [Fact]
    public async Task GridWorker_RequestsSupplies_AssignsAVolunteer_WhoSeesOnlyTheirOwnAndMarksItDelivered()
    {
        var grid1 = await app.As("grid1");
        var personId = await QuarantinedPersonAsync(app, grid1);
        var a = await VolunteerAsync(app, "va1");
        var b = await VolunteerAsync(app, "vb1");

        var mine = await CreatedAsync(await grid1.PostJsonAsync("/api/supplies", new { personId, items = new[] { "大米、蔬菜", "鸡蛋" }, note = "老人在家", preferredTime = "今天 18:00 前" }));
        Assert.Equal(["大米", "蔬菜", "鸡蛋"], mine["items"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal("Open", mine["status"]!.GetValue<string>());
        Assert.Contains("春天大道", mine["deliveryAddress"]!.GetValue<string>());
        var other = await CreatedAsync(await grid1.PostJsonAsync("/api/supplies", new { personId, items = new[] { "牛奶" } }));

        // The volunteers the grid worker may choose include both; each gets one delivery.
        var volunteers = (await grid1.GetJsonAsync("/api/supplies/volunteers"))["items"]!.AsArray().Select(v => v!["id"]!.GetValue<string>()).ToList();
        Assert.Contains(a.ToString(), volunteers);
        var assigned = await grid1.PostJsonAsync($"/api/supplies/{Id(mine)}/assign", new { volunteerId = a });
        Assert.Equal("Assigned", (await assigned.JsonAsync())["status"]!.GetValue<string>());
        await (await grid1.PostJsonAsync($"/api/supplies/{Id(other)}/assign", new { volunteerId = b })).ExpectAsync(HttpStatusCode.OK);
        // Both at once, or neither: 400.
        await (await grid1.PostJsonAsync($"/api/supplies/{Id(other)}/assign", new { })).ExpectAsync(HttpStatusCode.BadRequest);

        // Volunteer A sees only the delivery assigned to them — with a masked name — and never the grid worker's list.
        var va = await app.As("va1");
        var list = (await va.GetJsonAsync("/api/supplies/mine"))["items"]!.AsArray();
        var only = Assert.Single(list);
        Assert.Equal(Id(mine), only!["id"]!.GetValue<string>());
        Assert.Equal("居**", only["recipient"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await va.GetAsync("/api/supplies")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await va.GetAsync($"/api/supplies/{Id(mine)}")).StatusCode);
        // Someone else's delivery does not exist for them.
        await (await va.PostJsonAsync($"/api/supplies/mine/{Id(other)}/delivered", new { })).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal("Assigned", (await grid1.GetJsonAsync($"/api/supplies/{Id(other)}"))["status"]!.GetValue<string>());

        var done = await va.PostJsonAsync($"/api/supplies/mine/{Id(mine)}/delivered", new { note = "放门口，已电话告知" });
        Assert.Equal("Delivered", (await done.JsonAsync())["status"]!.GetValue<string>());
        var after = await grid1.GetJsonAsync($"/api/supplies/{Id(mine)}");
        Assert.Equal("Delivered", after["status"]!.GetValue<string>());
        Assert.Equal("志愿者va1", after["deliveredBy"]!.GetValue<string>());
        Assert.True(after["contactless"]!.GetValue<bool>());
        Assert.NotNull(after["deliveredAt"]);
        // Twice is a step out of order.
        await (await va.PostJsonAsync($"/api/supplies/mine/{Id(mine)}/delivered", new { })).ExpectAsync(HttpStatusCode.Conflict);
        await (await grid1.PostJsonAsync($"/api/supplies/{Id(mine)}/assign", new { volunteerId = b })).ExpectAsync(HttpStatusCode.Conflict);

        // The person's page shows the history.
        var page = await (await grid1.GetAsync($"/People/Detail/{personId}")).Content.ReadAsStringAsync();
        Assert.Contains("person-supplies", page);
        Assert.Contains("大米、蔬菜、鸡蛋", page);
        Assert.Contains("已送达", page);
        var history = await grid1.GetJsonAsync($"/api/supplies?personId={personId}");
        Assert.Equal(2, history["total"]!.GetValue<int>());
        var export = await grid1.GetAsync("/api/supplies/export.xlsx");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
    }

    [Fact]
    public async Task SomeoneOnTheRosterWithoutAnAccount_DeliversAndTheGridWorkerMarksIt()
    {
        var grid1 = await app.As("grid1");
        var personId = await QuarantinedPersonAsync(app, grid1, "西关小区", "周某");
        var xiguan = await Demo.AreaAsync(app, "西关社区");
        var member = await CreatedAsync(await (await app.As("publicity")).PostJsonAsync("/api/duty/members", new
        {
            name = "刘志愿", kind = "Volunteer", branch = "西关社区志愿服务队", phone = "13991700999", skills = "物资配送", areaId = xiguan.Id,
        }));
        var r = await CreatedAsync(await grid1.PostJsonAsync("/api/supplies", new { personId, items = new[] { "口罩", "消毒液" } }));
        var assigned = await (await grid1.PostJsonAsync($"/api/supplies/{Id(r)}/assign", new { memberId = Id(member) })).JsonAsync();
        Assert.Equal("刘志愿", assigned["assigneeName"]!.GetValue<string>());
        Assert.Equal(Id(member), assigned["memberId"]!.GetValue<string>());

        Assert.Null(assigned["volunteerId"]); // no account: the grid worker records the delivery

        // A delivery time in the future is refused, and nothing changes.
        var bad = await grid1.PostJsonAsync($"/api/supplies/{Id(r)}/delivered", new { deliveredAt = DateTimeOffset.UtcNow.AddDays(2) });
        await bad.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Assigned", (await grid1.GetJsonAsync($"/api/supplies/{Id(r)}"))["status"]!.GetValue<string>());

        var delivered = await (await grid1.PostJsonAsync($"/api/supplies/{Id(r)}/delivered", new { contactless = true })).JsonAsync();
        Assert.Equal("Delivered", delivered["status"]!.GetValue<string>());
        Assert.Equal("刘志愿", delivered["deliveredBy"]!.GetValue<string>());
        await (await grid1.PostJsonAsync($"/api/supplies/{Id(r)}/cancel", new { reason = "不需要了" })).ExpectAsync(HttpStatusCode.Conflict);

        // Someone on the roster who has a volunteer account gets the delivery on their phone.
        var account = await VolunteerAsync(app, "vroster");
        var withAccount = await CreatedAsync(await (await app.As("publicity")).PostJsonAsync("/api/duty/members", new
        {
            name = "陈有号", kind = "Volunteer", areaId = xiguan.Id, userId = account,
        }));
        var second = await CreatedAsync(await grid1.PostJsonAsync("/api/supplies", new { personId, items = new[] { "蔬菜" } }));
        var routed = await (await grid1.PostJsonAsync($"/api/supplies/{Id(second)}/assign", new { memberId = Id(withAccount) })).JsonAsync();
        Assert.Equal(account.ToString(), routed["volunteerId"]!.GetValue<string>());
        Assert.Contains((await (await app.As("vroster")).GetJsonAsync("/api/supplies/mine"))["items"]!.AsArray(), m => m!["id"]!.GetValue<string>() == Id(second));
    }

    [Fact]
    public async Task InvalidRequests_Give400_AndStoreNothing()
    {
        var grid1 = await app.As("grid1");
        var personId = await QuarantinedPersonAsync(app, grid1, "春天大道", "吴某");
        var before = await FieldWork2Data.CountAsync<SupplyRequest>(app);
        await (await grid1.PostJsonAsync("/api/supplies", new { personId })).ExpectAsync(HttpStatusCode.BadRequest); // no items
        await (await grid1.PostJsonAsync("/api/supplies", new { items = new[] { "大米" } })).ExpectAsync(HttpStatusCode.BadRequest); // no person
        await (await grid1.PostJsonAsync("/api/supplies", new { personId, items = new[] { new string('米', 51) } })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await grid1.PostJsonAsync("/api/supplies", new { personId, items = Enumerable.Range(0, 31).Select(i => "物品" + i).ToArray() })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await grid1.PostJsonAsync("/api/supplies", new { personId, items = new[] { "大米" }, preferredTime = "a\u0001b" })).ExpectAsync(HttpStatusCode.BadRequest);
        // Someone no longer under watch and not quarantined gets nothing brought.
        var released = await CreatedAsync(await grid1.PostJsonAsync("/api/people", new
        {
            name = "已解除", gender = "Male", idNumber = RegisterPersonTests.NewIdNumber(), phone = "13612340001", compoundId = (await Demo.AreaAsync(app, "春天大道")).Id,
            address = "春天大道1号楼", categories = new[] { "Returnee" },
        }));
        await app.WithDbAsync(async db =>
        {
            var p = await db.Set<Person>().FirstAsync(x => x.Id == Guid.Parse(Id(released)));
            p.Status = PersonStatus.Released;
            await db.SaveChangesAsync();
        });
        var body = await (await grid1.PostJsonAsync("/api/supplies", new { personId = Id(released), items = new[] { "大米" } })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("personId", body);
        Assert.Equal(before, await FieldWork2Data.CountAsync<SupplyRequest>(app));
    }

    [Fact]
    public async Task OutsideTheCallersScope_IsNotFound()
    {
        var set = await FieldWork2Data.InCompoundAsync(app, "叉车厂小区");
        var grid1 = await app.As("grid1");
        await (await grid1.GetAsync($"/api/supplies/{set.RequestId}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await grid1.PostJsonAsync($"/api/supplies/{set.RequestId}/delivered", new { })).ExpectAsync(HttpStatusCode.NotFound);
        await (await grid1.PostJsonAsync($"/api/supplies/{set.RequestId}/cancel", new { reason = "测试" })).ExpectAsync(HttpStatusCode.NotFound);
        // A person of another community cannot be given a request either (400 on the field, nothing stored).
        var before = await FieldWork2Data.CountAsync<SupplyRequest>(app);
        await (await grid1.PostJsonAsync("/api/supplies", new { personId = set.PersonId, items = new[] { "大米" } })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await grid1.PostJsonAsync("/api/supplies/links", new { personId = set.PersonId })).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(before, await FieldWork2Data.CountAsync<SupplyRequest>(app));
        Assert.DoesNotContain((await grid1.GetJsonAsync("/api/supplies?pageSize=200"))["items"]!.AsArray(), r => r!["id"]!.GetValue<string>() == set.RequestId.ToString());
        // grid2 (叉车厂社区) sees it.
        Assert.Equal(HttpStatusCode.OK, (await (await app.As("grid2")).GetAsync($"/api/supplies/{set.RequestId}")).StatusCode);
    }

    [Fact]
    public async Task TheHouseholdsOwnLink_LetsItAskWithoutAnAccount_WithConsent()
    {
        var grid1 = await app.As("grid1");
        var personId = await QuarantinedPersonAsync(app, grid1, "春天大道", "郑某");
        var first = await grid1.PostJsonAsync("/api/supplies/links", new { personId });
        var link = JsonNode.Parse(await first.ExpectAsync(HttpStatusCode.Created))!;
        var token = link["token"]!.GetValue<string>();
        Assert.True(token.Length >= 32, token);
        Assert.EndsWith($"/Public/Supplies/{token}", link["url"]!.GetValue<string>());
        // Not a second link while this one works, and not this one's token again (SupplyLinkTests).
        await (await grid1.PostJsonAsync("/api/supplies/links", new { personId })).ExpectAsync(HttpStatusCode.Conflict);

        var anon = app.Anonymous();
        var view = await anon.GetJsonAsync($"/api/public/supplies/{token}");
        Assert.Equal("春天大道", view["compound"]!.GetValue<string>());
        Assert.Equal("郑*", view["recipient"]!.GetValue<string>());
        var before = await FieldWork2Data.CountAsync<SupplyRequest>(app);
        await (await anon.PostJsonAsync($"/api/public/supplies/{token}", new { items = new[] { "挂面" } })).ExpectAsync(HttpStatusCode.BadRequest); // no consent
        await (await anon.PostJsonAsync("/api/public/supplies/not-a-real-token", new { items = new[] { "挂面" }, consent = true })).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(before, await FieldWork2Data.CountAsync<SupplyRequest>(app));
        await (await anon.PostJsonAsync($"/api/public/supplies/{token}", new { items = new[] { "挂面", "食用油" }, preferredTime = "明天上午", consent = true })).ExpectAsync(HttpStatusCode.Created);

        var list = (await grid1.GetJsonAsync($"/api/supplies?personId={personId}"))["items"]!.AsArray();
        var asked = Assert.Single(list)!;
        Assert.Equal("Household", asked["source"]!.GetValue<string>());
        Assert.Equal("住户自助申请", asked["requestedBy"]!.GetValue<string>());
        Assert.Single((await anon.GetJsonAsync($"/api/public/supplies/{token}"))["requests"]!.AsArray());

        // The public page opens with its privacy notice, and takes a request too.
        var page = await anon.GetAsync($"/Public/Supplies/{token}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("privacy-notice", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await anon.GetAsync("/Public/Supplies/unknown-token")).StatusCode);

        // Stopped, the link no longer works; the next share is a new one.
        await (await grid1.PostJsonAsync("/api/supplies/links/revoke", new { personId })).ExpectAsync(HttpStatusCode.NoContent);
        await (await anon.GetAsync($"/api/public/supplies/{token}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await anon.PostJsonAsync($"/api/public/supplies/{token}", new { items = new[] { "挂面" }, consent = true })).ExpectAsync(HttpStatusCode.NotFound);
        var fresh = JsonNode.Parse(await (await grid1.PostJsonAsync("/api/supplies/links", new { personId })).ExpectAsync(HttpStatusCode.Created))!;
        Assert.NotEqual(token, fresh["token"]!.GetValue<string>());
    }
}
