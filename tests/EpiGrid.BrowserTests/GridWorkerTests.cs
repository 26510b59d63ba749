using System.Net.Http.Json;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using Microsoft.Playwright;

namespace EpiGrid.BrowserTests;

public sealed class GridWorkerTests(BrowserApp browser) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task GridWorker_OnAPhone_FindsAHousehold_RecordsAScreening_RegistersAReturnee()
    {
        var compound = await Demo.AreaAsync(browser.App, "西关小区");
        var api = await browser.App.As("grid1");
        var created = await api.PostAsJsonAsync("/api/households", new { compoundId = compound.Id, unit = "3", room = "602" });
        Assert.True(created.IsSuccessStatusCode);

        var (page, errors) = await browser.NewPageAsync(390, 844);
        await BrowserApp.SignInAsync(page, "grid1");
        await page.ClickAsync("nav.tabbar >> text=户籍走访");
        await page.SelectOptionAsync("select[name='compoundId']", compound.Id.ToString());
        await page.FillAsync("input[name='q']", "602");
        await page.ClickAsync("#find-household");
        await page.ClickAsync("#households a >> nth=0");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("602室");

        await page.ClickAsync("label[for='o-SomeoneReturned']");
        await page.FillAsync("#Occupants", "3");
        await page.FillAsync("#VisitNote", "儿子 1 月 22 日从武汉返回");
        await page.ClickAsync("#save-visit");
        await Assertions.Expect(page.Locator("#visits")).ToContainTextAsync("有人返回");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "grid1-household-visit.png"), FullPage = true });

        await page.ClickAsync("#register-returnee");
        await page.FillAsync("#Input_Name", "陈小明");
        await page.ClickAsync("label[for='g-m']");
        await page.FillAsync("#Input_IdNumber", RegisterPersonTests.NewIdNumber());
        await page.FillAsync("#Input_Phone", "13609170088");
        await page.FillAsync("#Input_Address", "西关小区 3单元 602室");
        await page.FillAsync("#Input_TravelFrom", "湖北武汉");
        await page.FillAsync("#Input_TripNumber", "G818");
        await page.ClickAsync("#save-person");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("陈小明");
        await Assertions.Expect(page.Locator("#person-card")).ToContainTextAsync("湖北返回");
        await Assertions.Expect(page.Locator("#phone")).ToHaveTextAsync("136****0088");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "grid1-person.png"), FullPage = true });
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task Resident_SelfRegistersOnThePublicPage_InChinese()
    {
        var (page, errors) = await browser.NewPageAsync(390, 844);
        await page.GotoAsync("/Public/Register/610303002008");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("返乡人员自主登记");
        await Assertions.Expect(page.Locator("#privacy-notice")).ToContainTextAsync("个人信息收集说明");
        await page.FillAsync("#Input_Name", "黄返乡");
        await page.ClickAsync("label[for='pg-f']");
        await page.FillAsync("#Input_IdNumber", RegisterPersonTests.NewIdNumber(male: false));
        await page.FillAsync("#Input_Phone", "13800138000");
        await page.FillAsync("#Input_Address", "西关小区 1号楼 101");
        await page.FillAsync("#Input_TravelFrom", "湖北孝感");
        await page.FillAsync("#Input_ArrivedAt", "2020-01-24T20:30");
        // Without consent the page says so and keeps what was typed.
        await page.ClickAsync("#submit-registration");
        await Assertions.Expect(page.Locator("span[data-valmsg-for='Input.Consent']")).ToContainTextAsync("同意");
        await Assertions.Expect(page.Locator("#Input_Name")).ToHaveValueAsync("黄返乡");
        await page.CheckAsync("#Input_Consent");
        await page.ClickAsync("#submit-registration");
        await Assertions.Expect(page.Locator("#registration-done")).ToContainTextAsync("登记已提交");
        await Assertions.Expect(page.Locator("#reference")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^DJ"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "public-self-registration.png"), FullPage = true });
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task TheRegistrationsPageLink_IsThePublicAddress_AndOpensThePublicForm()
    {
        var (page, errors) = await browser.NewPageAsync();
        await BrowserApp.SignInAsync(page, "admin");
        await page.GotoAsync("/Registrations");
        var link = page.Locator("a[href$='/Public/Register/610303002008']");
        // EpiGrid:PublicBaseUrl is the test server's real address (BrowserApp): what the QR code beside it carries.
        Assert.Equal(browser.BaseUrl + "/Public/Register/610303002008", await link.GetAttributeAsync("href"));
        await link.ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("返乡人员自主登记");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
