using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EpiGrid.Features.Households;
using EpiGrid.Features.PassCards;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace EpiGrid.Tests.Households;

/// <summary>迁出 and 注销: a resident who left, a household nobody lives in any more — on the API and the household's page.</summary>
public sealed partial class MoveOutTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static string Room() => "M" + Guid.NewGuid().ToString("N")[..8];

    private async Task<(string Household, string Room)> HouseholdAsync(HttpClient grid, string compound = "春天大道")
    {
        var room = Room();
        var r = await grid.PostJsonAsync("/api/households", new { compoundId = (await Demo.AreaAsync(app, compound)).Id, unit = "1", room });
        await r.ExpectAsync(HttpStatusCode.Created);
        return ((await r.JsonAsync())["id"]!.GetValue<string>(), room);
    }

    private static async Task<string> ResidentAsync(HttpClient grid, string household, string name, string? idNumber = null)
    {
        var r = await grid.PostJsonAsync($"/api/households/{household}/residents", new { name, relation = "户主", gender = "Male", idNumber = idNumber ?? RegisterPersonTests.NewIdNumber(), type = "Resident" });
        await r.ExpectAsync(HttpStatusCode.Created);
        return (await r.JsonAsync())["id"]!.GetValue<string>();
    }

    private static async Task<JsonNode> CoverageRowAsync(HttpClient c, string compound) =>
        (await c.GetJsonAsync("/api/coverage?days=7"))["items"]!.AsArray().Single(x => x!["compound"]!.GetValue<string>() == compound)!;

    [Fact]
    public async Task A_resident_moved_out_on_the_API_no_longer_counts_nor_is_found_at_the_gate_and_the_move_out_can_be_undone()
    {
        var grid = await app.As("grid1");
        var (household, _) = await HouseholdAsync(grid);
        var stays = await ResidentAsync(grid, household, "迁出测甲");
        var leaves = await ResidentAsync(grid, household, "迁出测乙");
        var gate = (await Demo.GateAsync(app, "春天大道东门")).Id;
        var gate1 = await app.As("gate1");
        Assert.Contains((await gate1.GetJsonAsync($"/api/gates/{gate}/residents?q=迁出测乙")).AsArray(), x => x!["id"]!.GetValue<string>() == leaves);

        var r = await grid.PostJsonAsync($"/api/households/{household}/residents/{leaves}/move-out", new { });
        await r.ExpectAsync(HttpStatusCode.OK);
        var moved = await r.JsonAsync();
        Assert.True(moved["movedOut"]!.GetValue<bool>());
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        Assert.Equal(today.ToString("yyyy-MM-dd"), moved["movedOutOn"]!.GetValue<string>());

        var detail = await grid.GetJsonAsync($"/api/households/{household}");
        Assert.Equal(1, detail["household"]!["residents"]!.GetValue<int>());
        Assert.True(detail["residents"]!.AsArray().Single(x => x!["id"]!.GetValue<string>() == leaves)!["movedOut"]!.GetValue<bool>());
        var list = await grid.GetJsonAsync($"/api/households?q=迁出测甲");
        Assert.Equal(1, list["items"]!.AsArray().Single(x => x!["id"]!.GetValue<string>() == household)!["residents"]!.GetValue<int>());
        Assert.DoesNotContain((await gate1.GetJsonAsync($"/api/gates/{gate}/residents?q=迁出测乙")).AsArray(), x => x!["id"]!.GetValue<string>() == leaves);
        // A pass card lists only who lives there.
        var card = await (await grid.PostJsonAsync("/api/pass-cards", new { householdId = household })).JsonAsync();
        var scan = await (await gate1.PostJsonAsync($"/api/gates/{gate}/card-scans", new { token = card["token"]!.GetValue<string>() })).JsonAsync();
        Assert.Equal(new[] { "迁出测甲" }, scan["members"]!.AsArray().Select(m => m!["name"]!.GetValue<string>()));

        // Twice → 409; undone → counted again; undone twice → 409.
        await (await grid.PostJsonAsync($"/api/households/{household}/residents/{leaves}/move-out", new { })).ExpectAsync(HttpStatusCode.Conflict);
        var undo = await grid.DeleteAsync($"/api/households/{household}/residents/{leaves}/move-out");
        await undo.ExpectAsync(HttpStatusCode.OK);
        Assert.False((await undo.JsonAsync())["movedOut"]!.GetValue<bool>());
        Assert.Equal(2, (await grid.GetJsonAsync($"/api/households/{household}"))["household"]!["residents"]!.GetValue<int>());
        await (await grid.DeleteAsync($"/api/households/{household}/residents/{leaves}/move-out")).ExpectAsync(HttpStatusCode.Conflict);
        Assert.NotNull(stays);
    }

    [Fact]
    public async Task A_move_out_dated_in_the_future_or_more_than_a_year_back_is_400_on_date_and_nothing_is_stored()
    {
        var grid = await app.As("grid1");
        var (household, _) = await HouseholdAsync(grid);
        var resident = await ResidentAsync(grid, household, "日期测丙");
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        foreach (var date in new[] { today.AddDays(2), today.AddDays(-400) })
        {
            var body = await (await grid.PostJsonAsync($"/api/households/{household}/residents/{resident}/move-out", new { date = date.ToString("yyyy-MM-dd") }))
                .ExpectAsync(HttpStatusCode.BadRequest);
            Assert.Contains("\"date\"", body, StringComparison.Ordinal);
        }
        var ok = await (await grid.PostJsonAsync($"/api/households/{household}/residents/{resident}/move-out", new { date = today.AddDays(-3).ToString("yyyy-MM-dd") })).JsonAsync();
        Assert.Equal(today.AddDays(-3).ToString("yyyy-MM-dd"), ok["movedOutOn"]!.GetValue<string>());
    }

    [Fact]
    public async Task Outside_the_scope_is_404_and_without_the_right_is_403()
    {
        var grid1 = await app.As("grid1");
        var (household, _) = await HouseholdAsync(grid1);
        var resident = await ResidentAsync(grid1, household, "范围测丁");
        var (other, _) = await HouseholdAsync(grid1);

        var grid2 = await app.As("grid2");
        await (await grid2.PostJsonAsync($"/api/households/{household}/residents/{resident}/move-out", new { })).ExpectAsync(HttpStatusCode.NotFound);
        await (await grid2.DeleteAsync($"/api/households/{household}/residents/{resident}/move-out")).ExpectAsync(HttpStatusCode.NotFound);
        await (await grid2.PostJsonAsync($"/api/households/{household}/deregistration", new { })).ExpectAsync(HttpStatusCode.NotFound);
        await (await grid2.DeleteAsync($"/api/households/{household}/deregistration")).ExpectAsync(HttpStatusCode.NotFound);
        var leader = await app.As("leader");
        await (await leader.PostJsonAsync($"/api/households/{household}/residents/{resident}/move-out", new { })).ExpectAsync(HttpStatusCode.Forbidden);
        await (await leader.PostJsonAsync($"/api/households/{household}/deregistration", new { })).ExpectAsync(HttpStatusCode.Forbidden);
        // A resident named under another household of one's own scope is not found there.
        await (await grid1.PostJsonAsync($"/api/households/{other}/residents/{resident}/move-out", new { })).ExpectAsync(HttpStatusCode.NotFound);

        var stored = await app.WithDbAsync(db => db.Set<Resident>().IgnoreQueryFilters().FirstAsync(r => r.Id == Guid.Parse(resident)));
        Assert.False(stored.MovedOut);
        Assert.Null(await app.WithDbAsync(db => db.Set<Household>().IgnoreQueryFilters().Where(h => h.Id == Guid.Parse(household)).Select(h => h.DeregisteredAt).FirstAsync()));
    }

    [Fact]
    public async Task A_deregistered_household_leaves_the_list_and_the_coverage_its_card_is_revoked_and_it_can_be_undone()
    {
        var grid = await app.As("grid1");
        const string compound = "春天大道";
        var (household, room) = await HouseholdAsync(grid, compound);
        var resident = await ResidentAsync(grid, household, "注销测戊");
        await (await grid.PostJsonAsync($"/api/households/{household}/visits", new { outcome = "AllWell", occupants = 1 })).ExpectAsync(HttpStatusCode.Created);
        var card = await (await grid.PostJsonAsync("/api/pass-cards", new { householdId = household })).JsonAsync();
        var before = await CoverageRowAsync(grid, compound);

        var r = await grid.PostJsonAsync($"/api/households/{household}/deregistration", new { });
        await r.ExpectAsync(HttpStatusCode.OK);
        Assert.NotNull((await r.JsonAsync())["deregisteredOn"]?.GetValue<string>());
        var after = await CoverageRowAsync(grid, compound);
        Assert.Equal(before["households"]!.GetValue<int>() - 1, after["households"]!.GetValue<int>());
        Assert.Equal(before["screened"]!.GetValue<int>() - 1, after["screened"]!.GetValue<int>());
        Assert.DoesNotContain((await grid.GetJsonAsync($"/api/households?q={room}"))["items"]!.AsArray(), x => x!["id"]!.GetValue<string>() == household);
        var gone = await grid.GetJsonAsync($"/api/households?q={room}&deregistered=true");
        Assert.Contains(gone["items"]!.AsArray(), x => x!["id"]!.GetValue<string>() == household);
        // Its residents moved out with it, its card no longer opens the gate, nothing more is recorded on it.
        var detail = await grid.GetJsonAsync($"/api/households/{household}");
        Assert.Equal(0, detail["household"]!["residents"]!.GetValue<int>());
        Assert.True(detail["residents"]!.AsArray().Single()!["movedOut"]!.GetValue<bool>());
        var cardId = Guid.Parse(card["id"]!.GetValue<string>());
        Assert.NotNull(await app.WithDbAsync(db => db.Set<PassCard>().IgnoreQueryFilters().Where(c => c.Id == cardId).Select(c => c.RevokedAt).FirstAsync()));
        var gate = (await Demo.GateAsync(app, "春天大道东门")).Id;
        await (await (await app.As("gate1")).PostJsonAsync($"/api/gates/{gate}/card-scans", new { token = card["token"]!.GetValue<string>() })).ExpectAsync(HttpStatusCode.Conflict);
        await (await grid.PostJsonAsync($"/api/households/{household}/residents", new { name = "新住户", gender = "Male", type = "Resident" })).ExpectAsync(HttpStatusCode.Conflict);
        await (await grid.PostJsonAsync($"/api/households/{household}/visits", new { outcome = "AllWell" })).ExpectAsync(HttpStatusCode.Conflict);
        await (await grid.PostJsonAsync("/api/pass-cards", new { householdId = household })).ExpectAsync(HttpStatusCode.Conflict);
        await (await grid.PostJsonAsync($"/api/households/{household}/deregistration", new { })).ExpectAsync(HttpStatusCode.Conflict);
        await (await grid.DeleteAsync($"/api/households/{household}/residents/{resident}/move-out")).ExpectAsync(HttpStatusCode.Conflict);

        // Undone: counted again; the resident's move-out is undone on its own.
        await (await grid.DeleteAsync($"/api/households/{household}/deregistration")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(before["households"]!.GetValue<int>(), (await CoverageRowAsync(grid, compound))["households"]!.GetValue<int>());
        await (await grid.DeleteAsync($"/api/households/{household}/residents/{resident}/move-out")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, (await grid.GetJsonAsync($"/api/households/{household}"))["household"]!["residents"]!.GetValue<int>());
        await (await grid.DeleteAsync($"/api/households/{household}/deregistration")).ExpectAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_register_import_does_not_bring_back_a_moved_out_resident_nor_fill_a_deregistered_household()
    {
        var grid = await app.As("grid1");
        var compound = await Demo.AreaAsync(app, "西关小区");
        var id1 = RegisterPersonTests.NewIdNumber();
        var (room1, room2) = (Room(), Room());
        Dictionary<string, object?> Row(string room, string name, string id) => new()
        {
            ["楼栋"] = "", ["单元"] = "1", ["房号"] = room, ["姓名"] = name, ["与户主关系"] = "户主", ["性别"] = "男",
            ["身份证号码"] = id, ["联系电话"] = "", ["居住类型"] = "常住", ["是否出租"] = "",
        };
        var rows = new[] { Row(room1, "导入迁出甲", id1), Row(room2, "导入注销乙", RegisterPersonTests.NewIdNumber()) };
        async Task<JsonNode> ImportAsync()
        {
            var ms = new MemoryStream();
            ms.SaveAs(rows);
            ms.Position = 0;
            using var content = new MultipartFormDataContent { { new StringContent(compound.Id.ToString()), "compoundId" }, { new StreamContent(ms), "file", "户籍登记表.xlsx" } };
            var r = await grid.PostAsync("/api/households/import", content);
            await r.ExpectAsync(HttpStatusCode.OK);
            return await r.JsonAsync();
        }
        Assert.Equal(2, (await ImportAsync())["residents"]!.GetValue<int>());
        var h1 = await app.WithDbAsync(db => db.Set<Household>().FirstAsync(h => h.Room == room1));
        var h2 = await app.WithDbAsync(db => db.Set<Household>().FirstAsync(h => h.Room == room2));
        var r1 = await app.WithDbAsync(db => db.Set<Resident>().FirstAsync(r => r.HouseholdId == h1.Id));
        await (await grid.PostJsonAsync($"/api/households/{h1.Id}/residents/{r1.Id}/move-out", new { })).ExpectAsync(HttpStatusCode.OK);
        await (await grid.PostJsonAsync($"/api/households/{h2.Id}/deregistration", new { })).ExpectAsync(HttpStatusCode.OK);

        // The same sheet again: both rows come back as errors, nothing is stored.
        var again = await ImportAsync();
        Assert.Equal(0, again["residents"]!.GetValue<int>());
        Assert.Equal(0, again["households"]!.GetValue<int>());
        var errors = again["errors"]!.AsArray().Select(e => (e!["row"]!.GetValue<int>(), e["field"]!.GetValue<string>())).ToList();
        Assert.Contains((2, "身份证号码"), errors);
        Assert.Contains((3, "房号"), errors);
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Resident>().CountAsync(r => r.HouseholdId == h1.Id)));
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Resident>().CountAsync(r => r.HouseholdId == h2.Id)));
        Assert.True(await app.WithDbAsync(db => db.Set<Resident>().AllAsync(r => r.HouseholdId != h2.Id || r.MovedOut)));
    }

    [Fact]
    public async Task On_the_page_a_resident_moves_out_and_is_shown_greyed_under_moved_out_and_a_bad_date_marks_the_field()
    {
        var grid = await app.As("grid1");
        var (household, _) = await HouseholdAsync(grid);
        var resident = await ResidentAsync(grid, household, "页面迁出己");
        var client = await SignedInPageClientAsync("grid1");
        var url = $"/Households/Detail/{household}";

        var future = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(3).ToString("yyyy-MM-dd");
        var bad = await client.PostAsync(url + "?handler=MoveOut", new FormUrlEncodedContent(
        [
            new("ResidentId", resident), new("MoveOutDate", future), new("__RequestVerificationToken", Token(await client.GetStringAsync(url))),
        ]));
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        var html = await bad.Content.ReadAsStringAsync();
        Assert.Matches("data-valmsg-for=\"MoveOutDate\"[^>]*>[^<]*不能在未来|field-validation-error[^>]*data-valmsg-for=\"MoveOutDate\"", html);
        Assert.False(await app.WithDbAsync(db => db.Set<Resident>().Where(r => r.Id == Guid.Parse(resident)).Select(r => r.MovedOut).FirstAsync()));

        var ok = await client.PostAsync(url + "?handler=MoveOut", new FormUrlEncodedContent(
        [
            new("ResidentId", resident), new("MoveOutDate", ""), new("__RequestVerificationToken", Token(await client.GetStringAsync(url))),
        ]));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        var page = await client.GetStringAsync(url);
        var movedOut = page[page.IndexOf("id=\"moved-out\"", StringComparison.Ordinal)..];
        Assert.Contains("页面迁出己", movedOut, StringComparison.Ordinal);
        Assert.Contains("已迁出", page, StringComparison.Ordinal);
        Assert.DoesNotContain("页面迁出己", page[..page.IndexOf("id=\"moved-out\"", StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.Contains("0 人", page, StringComparison.Ordinal);

        // Undone on the page.
        var undo = await client.PostAsync(url + "?handler=UndoMoveOut", new FormUrlEncodedContent(
        [
            new("ResidentId", resident), new("__RequestVerificationToken", Token(page)),
        ]));
        Assert.Equal(HttpStatusCode.Redirect, undo.StatusCode);
        Assert.DoesNotContain("id=\"moved-out\"", await client.GetStringAsync(url), StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_the_page_a_household_is_deregistered_and_undone_and_the_list_shows_it_with_the_filter()
    {
        var grid = await app.As("grid1");
        var (household, room) = await HouseholdAsync(grid);
        await ResidentAsync(grid, household, "页面注销庚");
        var client = await SignedInPageClientAsync("grid1");
        var url = $"/Households/Detail/{household}";

        var r = await client.PostAsync(url + "?handler=Deregister", new FormUrlEncodedContent(
        [
            new("DeregisterDate", ""), new("__RequestVerificationToken", Token(await client.GetStringAsync(url))),
        ]));
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var page = await client.GetStringAsync(url);
        Assert.Contains("id=\"deregistered\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"visit-form\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain(household, await client.GetStringAsync($"/Households?q={room}"), StringComparison.Ordinal);
        Assert.Contains(household, await client.GetStringAsync($"/Households?q={room}&deregistered=true"), StringComparison.Ordinal);

        var undo = await client.PostAsync(url + "?handler=UndoDeregister", new FormUrlEncodedContent([new("__RequestVerificationToken", Token(page))]));
        Assert.Equal(HttpStatusCode.Redirect, undo.StatusCode);
        Assert.Contains(household, await client.GetStringAsync($"/Households?q={room}"), StringComparison.Ordinal);

        // Someone without the right: the page refuses the step.
        var leader = await SignedInPageClientAsync("leader");
        var refused = await leader.PostAsync(url + "?handler=Deregister", new FormUrlEncodedContent([new("__RequestVerificationToken", Token(await leader.GetStringAsync(url)))]));
        Assert.False(refused.StatusCode == HttpStatusCode.Redirect && refused.Headers.Location?.ToString().Contains("/Households/Detail", StringComparison.Ordinal) == true);
        Assert.Null(await app.WithDbAsync(db => db.Set<Household>().Where(h => h.Id == Guid.Parse(household)).Select(h => h.DeregisteredAt).FirstAsync()));
    }

    private async Task<HttpClient> SignedInPageClientAsync(string userName)
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var form = await client.GetStringAsync("/Account/Login");
        var signIn = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName, ["Password"] = AppFactory.Password, ["__RequestVerificationToken"] = Token(form),
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return client;
    }

    private static string Token(string html) => Antiforgery().Match(html).Groups[1].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();
}
