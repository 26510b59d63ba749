using EpiGrid.Features.Demo;
using Microsoft.Playwright;

namespace EpiGrid.BrowserTests;

public sealed class HomePageTests(BrowserApp browser) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Leader_SignsInThroughThePage_SeesChinese_SwitchesToEnglish_WithoutConsoleErrors()
    {
        var (page, errors) = await browser.NewPageAsync();
        await BrowserApp.SignInAsync(page, "leader");

        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("您好，张志强");
        await Assertions.Expect(page.Locator(".navbar-brand")).ToContainTextAsync("西关街道疫情防控平台");
        await Assertions.Expect(page.Locator("#sidebar")).ToContainTextAsync("组织架构");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "leader-home-zh.png"), FullPage = true });

        await page.ClickAsync("#lang-switch");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Hello, 张志强");
        await Assertions.Expect(page.Locator("#sidebar")).ToContainTextAsync("Org tree");
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "leader-home-en.png"), FullPage = true });

        // And back: the choice is a cookie, not the browser's language.
        await page.ClickAsync("#lang-switch");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("您好");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Leader_HomePage_FlagsTheCompoundNobodyCovers()
    {
        var (page, errors) = await browser.NewPageAsync();
        await BrowserApp.SignInAsync(page, "leader");
        var gaps = page.Locator("#coverage-gaps");
        await Assertions.Expect(gaps).ToContainTextAsync("1 个小区无人包抓");
        await Assertions.Expect(gaps.Locator(".gap-item")).ToHaveCountAsync(1);
        await Assertions.Expect(gaps.Locator(".gap-item")).ToContainTextAsync(DemoOffice.GapCompound);
        await gaps.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "leader-coverage-gap.png") });

        // The matrix marks the same compound in red, with a word beside the colour.
        await page.GotoAsync("/Command");
        var row = page.Locator($"#matrix-table tr[data-compound='{DemoOffice.GapCompound}']");
        await Assertions.Expect(row).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("gap-row"));
        await Assertions.Expect(row).ToContainTextAsync("无人包抓");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "command-matrix.png"), FullPage = true });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task GateKeeper_OnAPhone_GetsTheBottomTabBarAndTheirGates()
    {
        var (page, errors) = await browser.NewPageAsync(390, 844);
        await BrowserApp.SignInAsync(page, "gate1");
        await Assertions.Expect(page.Locator("nav.tabbar")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#mygates-h")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("春天大道东门");
        await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("叉车厂小区");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "gate1-phone-home.png"), FullPage = true });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Admin_CreatesAnAccount_AndAMissingFieldIsMarkedInChinese()
    {
        var (page, errors) = await browser.NewPageAsync();
        await BrowserApp.SignInAsync(page, "admin");
        await page.GotoAsync("/Accounts/Edit");
        await page.FillAsync("#Input_UserName", "newcadre");
        await page.CheckAsync("#role-GridWorker");
        await page.ClickAsync("#save-account");
        // Display name, password and scope are missing: the fields say so, and what was typed stays.
        await Assertions.Expect(page.Locator("span[data-valmsg-for='Input.DisplayName']")).ToContainTextAsync("必填");
        await Assertions.Expect(page.Locator("#Input_UserName")).ToHaveValueAsync("newcadre");
        await page.FillAsync("#Input_DisplayName", "新干部");
        await page.FillAsync("#Input_Password", "Newcadre#2020");
        var xiguan = await EpiGrid.Tests.Infrastructure.Demo.AreaAsync(browser.App, "西关社区");
        await page.SelectOptionAsync("select[name='Input.AreaIds']", new SelectOptionValue { Value = xiguan.Id.ToString() });
        await page.ClickAsync("#save-account");
        await page.WaitForURLAsync(u => u.EndsWith("/Accounts", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#accounts")).ToContainTextAsync("newcadre");
        Assert.Empty(errors);
    }
}
