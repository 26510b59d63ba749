using System.Net;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.People;

public sealed class SelfRegistrationTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static object Form(string idNumber, bool consent = true) => new
    {
        name = "刘返乡", gender = "Male", idNumber, phone = "13812345678", address = "西关小区2号楼101", travelFrom = "湖北武汉",
        leftAt = "2020-01-21T09:00:00+08:00", arrivedAt = "2020-01-21T19:00:00+08:00", transport = "Rail", tripNumber = "K1234", consent,
    };

    [Fact]
    public async Task PublicForm_WithoutConsent400_WithConsentAReference_SameAnswerWhetherKnownOrNot()
    {
        var anon = app.Anonymous();
        var id = RegisterPersonTests.NewIdNumber();
        var no = await anon.PostJsonAsync("/api/public/registrations/610303002008", Form(id, consent: false));
        Assert.Contains("consent", await no.ExpectAsync(HttpStatusCode.BadRequest));

        var first = await anon.PostJsonAsync("/api/public/registrations/610303002008", Form(id));
        await first.ExpectAsync(HttpStatusCode.Created);
        var reference = (await first.JsonAsync())["reference"]!.GetValue<string>();
        Assert.Matches("^DJ[A-Z0-9]{10}$", reference);

        // Registered a second time: the same kind of answer, nothing that says "already known".
        var second = await anon.PostJsonAsync("/api/public/registrations/610303002008", Form(id));
        await second.ExpectAsync(HttpStatusCode.Created);
        var body = await second.Content.ReadAsStringAsync();
        Assert.Equal(["reference"], (await second.JsonAsync()).AsObject().Select(p => p.Key));
        Assert.DoesNotContain(id, body);

        await (await anon.PostJsonAsync("/api/public/registrations/999999999999", Form(id))).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task GridWorker_ConfirmsAPendingRegistration_IntoAPersonUnderWatch_OnlyOnce()
    {
        var id = RegisterPersonTests.NewIdNumber();
        await (await app.Anonymous().PostJsonAsync("/api/public/registrations/610303002008", Form(id))).ExpectAsync(HttpStatusCode.Created);
        var grid1 = await app.As("grid1");
        var pending = (await grid1.GetJsonAsync("/api/registrations?status=Pending"))["items"]!.AsArray().First(x => x!["name"]!.GetValue<string>() == "刘返乡")!;
        Assert.DoesNotContain(id, pending.ToJsonString());
        // grid2 (叉车厂社区) does not see it.
        Assert.DoesNotContain((await (await app.As("grid2")).GetJsonAsync("/api/registrations?status=Pending"))["items"]!.AsArray(),
            x => x!["id"]!.GetValue<string>() == pending["id"]!.GetValue<string>());

        var compound = await Demo.AreaAsync(app, "西关小区");
        var r = await grid1.PostJsonAsync($"/api/registrations/{pending["id"]}/confirm", new { compoundId = compound.Id });
        await r.ExpectAsync(HttpStatusCode.OK);
        var personId = (await r.JsonAsync())["personId"]!.GetValue<string>();
        var person = await grid1.GetJsonAsync($"/api/people/{personId}");
        Assert.Contains("Returnee", person["categories"]!.ToJsonString());
        Assert.Equal("K1234", person["travel"]!["tripNumber"]!.GetValue<string>());
        await (await grid1.PostJsonAsync($"/api/registrations/{pending["id"]}/confirm", new { compoundId = compound.Id })).ExpectAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Confirming_ARegistrationOfSomeoneRegisteredInAnotherCommunity_NamesOnlyThatCommunity()
    {
        // 叉车厂社区 registered the person; they then fill in 西关社区's public form.
        var id = RegisterPersonTests.NewIdNumber();
        var grid2 = await app.As("grid2");
        var registered = await grid2.PostJsonAsync("/api/people", new
        {
            name = "赵外区", gender = "Male", idNumber = id, phone = "13712340000", compoundId = (await Demo.AreaAsync(app, "叉车厂小区")).Id,
            address = "叉车厂小区3号楼", categories = new[] { "Returnee", "HomeObservation" },
            travel = new { from = "湖北武汉", leftAt = "2020-01-22T08:00:00+08:00", arrivedAt = "2020-01-22T18:30:00+08:00", transport = "Rail", tripNumber = "G818" },
        });
        await registered.ExpectAsync(HttpStatusCode.Created);
        var existingId = (await registered.JsonAsync())["id"]!.GetValue<string>();
        await (await app.Anonymous().PostJsonAsync("/api/public/registrations/610303002008", Form(id))).ExpectAsync(HttpStatusCode.Created);

        var grid1 = await app.As("grid1");
        var pending = (await grid1.GetJsonAsync("/api/registrations?status=Pending"))["items"]!.AsArray()
            .Last(x => x!["idNumberMasked"]!.GetValue<string>() == id[..6] + "********" + id[^4..])!;
        var r = await grid1.PostJsonAsync($"/api/registrations/{pending["id"]}/confirm", new { compoundId = (await Demo.AreaAsync(app, "西关小区")).Id });
        var body = await r.ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(existingId, body);
        Assert.DoesNotContain("赵外区", body);
        Assert.Equal("叉车厂社区", (await r.JsonAsync())["ownerArea"]!.GetValue<string>());
        // Handled (linked to the existing record, which stays 叉车厂社区's), and the list does not carry the id either.
        var all = (await grid1.GetJsonAsync("/api/registrations"))["items"]!.ToJsonString();
        Assert.DoesNotContain(existingId, all);
        Assert.Contains("Confirmed", (await grid1.GetJsonAsync("/api/registrations?status=Confirmed"))["items"]!.AsArray()
            .First(x => x!["id"]!.GetValue<string>() == pending["id"]!.GetValue<string>())!["status"]!.ToJsonString());
        await (await grid1.GetAsync($"/api/people/{existingId}")).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task QrCode_IsAPngOfThePublicPage()
    {
        var r = await app.Anonymous().GetAsync("/api/public/registrations/610303002008/qr.png");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("image/png", r.Content.Headers.ContentType?.MediaType);
        var bytes = await r.Content.ReadAsByteArrayAsync();
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], bytes[..4]);
        var page = await app.Anonymous().GetAsync("/Public/Register/610303002008");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("个人信息收集说明", html);
        Assert.Contains("西关社区", html);
    }
}
