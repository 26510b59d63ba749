using EpiGrid.Tests.Gates;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using Microsoft.Playwright;

namespace EpiGrid.BrowserTests;

public sealed class GateTests(BrowserApp browser) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task TheGatePage_OnAPhone_RecordsAResidentAndAFeverishVisitor_AndTheLeaderSeesTheAlertLive()
    {
        var (_, room) = await GatePassTests.ResidentAsync(browser.App, "吴居民", phone: "13911112222");

        var (leaderPage, leaderErrors) = await browser.NewPageAsync();
        await BrowserApp.SignInAsync(leaderPage, "leader");
        await Assertions.Expect(leaderPage.Locator("#live-alerts")).ToHaveAttributeAsync("data-connected", "true");

        var (page, errors) = await browser.NewPageAsync(390, 844);
        await BrowserApp.SignInAsync(page, "gate1");
        await page.ClickAsync(".tabbar a[href='/Gates']");
        await page.ClickAsync("a:has-text('春天大道东门')");

        // A resident: temperature first, found by room, one tap.
        await Assertions.Expect(page.Locator("#temperature")).ToBeFocusedAsync();
        await page.FillAsync("#temperature", "36.6");
        await page.FillAsync("#resident-q", room);
        await page.Locator("#resident-hits .resident-hit", new() { HasTextString = "吴居民" }).ClickAsync();
        await Assertions.Expect(page.Locator("#resident-chosen")).ToContainTextAsync("139****2222");
        await page.ClickAsync("#pass-submit");
        await Assertions.Expect(page.Locator("#gate-status")).ToContainTextAsync("已登记：吴居民 进 36.6℃");
        // Ready for the next passer at once.
        await Assertions.Expect(page.Locator("#temperature")).ToHaveValueAsync("");
        await Assertions.Expect(page.Locator("#temperature")).ToBeFocusedAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "gate-resident-phone.png"), FullPage = true });

        // A visitor at 38.0: the screen turns red and says what to do.
        await page.FillAsync("#temperature", "38.0");
        await page.ClickAsync("label[for='who-visitor']");
        await page.FillAsync("#v-name", "郑访客");
        await page.FillAsync("#v-phone", "13800001234");
        await page.FillAsync("#v-id", RegisterPersonTests.NewIdNumber());
        await page.FillAsync("#v-from", "西安市雁塔区");
        await page.ClickAsync("#pass-submit");
        var red = page.Locator("#fever-screen");
        await Assertions.Expect(red).ToBeVisibleAsync();
        await Assertions.Expect(red).ToContainTextAsync("38.0");
        await Assertions.Expect(red).ToContainTextAsync("禁止进入");
        Assert.Equal("rgb(198, 40, 40)", await red.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "gate-fever-visitor-phone.png") });
        await page.ClickAsync("#fever-next");
        await Assertions.Expect(red).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#temperature")).ToBeFocusedAsync();

        // The leader's page, open in another browser, shows the fever alert without reloading.
        var flash = leaderPage.Locator("#live-alerts .live-alert", new() { HasTextString = "郑访客" });
        await Assertions.Expect(flash).ToContainTextAsync("38.0");
        await Assertions.Expect(flash).ToContainTextAsync("发热预警");
        await leaderPage.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "leader-live-gate-fever.png") });

        // The leader's records show both passes.
        await leaderPage.GotoAsync("/Gates/Records");
        await leaderPage.Locator("#gate-counts tr[data-href]", new() { HasTextString = "春天大道东门" }).ClickAsync();
        await Assertions.Expect(leaderPage.Locator("#passes")).ToContainTextAsync("郑访客");
        await Assertions.Expect(leaderPage.Locator("#passes")).ToContainTextAsync("吴居民");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.True(leaderErrors.Count == 0, string.Join("\n", leaderErrors));
    }
}
