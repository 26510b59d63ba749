using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Features.Supplies;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.Supplies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace EpiGrid.BrowserTests;

/// <summary>Field work II: a volunteer's deliveries on a phone; the publicity coverage view.</summary>
public sealed class FieldWork2Tests(BrowserApp browser) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Volunteer_OnAPhone_MarksTheirDeliveryDone_AndSeesNoOther()
    {
        // The grid worker enters two requests for a quarantined household: one for the demo volunteer, one for another.
        var grid1 = await browser.App.As("grid1");
        var personId = await SuppliesApiTests.QuarantinedPersonAsync(browser.App, grid1, "春天大道", "赵居家");
        var other = await SuppliesApiTests.VolunteerAsync(browser.App, "volunteer-other");
        var volunteer = await Demo.UserIdAsync(browser.App, "volunteer");
        async Task<string> RequestAsync(string items, Guid assignee)
        {
            var r = await grid1.PostAsJsonAsync("/api/supplies", new { personId, items = new[] { items }, preferredTime = "今天 18:00 前" });
            var id = JsonNode.Parse(await r.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
            Assert.True((await grid1.PostAsJsonAsync($"/api/supplies/{id}/assign", new { volunteerId = assignee })).IsSuccessStatusCode);
            return id;
        }
        var mine = await RequestAsync("大米、鸡蛋、蔬菜", volunteer);
        var theirs = await RequestAsync("牛奶、口罩", other);

        var (page, errors) = await browser.NewPageAsync(390, 844);
        await BrowserApp.SignInAsync(page, "volunteer");
        var tabs = page.Locator("nav.tabbar");
        await Assertions.Expect(tabs.Locator("a.tab")).ToHaveCountAsync(2); // 首页 + 我的配送
        await tabs.GetByText("我的配送").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("我的配送");

        var cards = page.Locator("#my-deliveries .delivery");
        await Assertions.Expect(cards).ToHaveCountAsync(1);
        var card = page.Locator($".delivery[data-id='{mine}']");
        await Assertions.Expect(card).ToContainTextAsync("大米、鸡蛋、蔬菜");
        await Assertions.Expect(card).ToContainTextAsync("春天大道");
        await Assertions.Expect(card).ToContainTextAsync("赵**");
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("牛奶、口罩");
        await Assertions.Expect(page.Locator($"[data-id='{theirs}']")).ToHaveCountAsync(0);
        var button = card.Locator(".mark-delivered");
        var box = await button.BoundingBoxAsync();
        Assert.True(box!.Height >= 44, $"the button is {box.Height}px high");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "volunteer-deliveries-phone.png"), FullPage = true });
        await button.ClickAsync();

        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("已确认送达");
        await Assertions.Expect(page.Locator("#my-deliveries .delivery")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator($"#my-done [data-id='{mine}']")).ToContainTextAsync("已送达");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "volunteer-delivered-phone.png"), FullPage = true });

        var (status, otherStatus) = await browser.App.WithDbAsync(async db =>
            (await db.Set<SupplyRequest>().Where(r => r.Id == Guid.Parse(mine)).Select(r => r.Status).SingleAsync(),
             await db.Set<SupplyRequest>().Where(r => r.Id == Guid.Parse(theirs)).Select(r => r.Status).SingleAsync()));
        Assert.Equal(SupplyStatus.Delivered, status);
        Assert.Equal(SupplyStatus.Assigned, otherStatus);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task PublicityCoverage_ShowsACompoundWithoutTheLetterToPartyMembers()
    {
        var (page, errors) = await browser.NewPageAsync();
        await BrowserApp.SignInAsync(page, "publicity");
        await page.Locator("#sidebar").GetByText("宣传", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#points tbody tr")).ToHaveCountAsync(7);
        await Assertions.Expect(page.Locator("#points")).ToContainTextAsync("宝鸡技师学院");
        await Assertions.Expect(page.Locator("#vehicles")).ToContainTextAsync("宝福路");
        await page.ClickAsync("#coverage-link");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("宣传覆盖情况");

        var row = page.Locator("#coverage tr[data-compound='技师学院家属院']");
        await Assertions.Expect(row.Locator("td.cell-missing[data-material='《致共产党员的一封信》']")).ToContainTextAsync("未覆盖");
        await Assertions.Expect(page.Locator("#coverage tr[data-compound='春天大道'] td.cell-covered[data-material='《致共产党员的一封信》']")).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "publicity-coverage.png"), FullPage = true });

        // Only the letter, and only the gaps.
        await page.SelectOptionAsync("#material-filter", new SelectOptionValue { Label = "《致共产党员的一封信》" });
        await page.CheckAsync("#missingOnly");
        await page.ClickAsync("#coverage-query");
        await Assertions.Expect(page.Locator("#coverage tr[data-compound='技师学院家属院']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#coverage tr[data-compound='春天大道']")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "publicity-coverage-letter-gaps.png"), FullPage = true });
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
