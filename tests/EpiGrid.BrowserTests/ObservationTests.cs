using System.Net.Http.Json;
using System.Text.Json;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using Microsoft.Playwright;

namespace EpiGrid.BrowserTests;

public sealed class ObservationTests(BrowserApp browser) : IClassFixture<BrowserApp>
{
    private async Task<string> RegisterAsync(string name)
    {
        var api = await browser.App.As("grid1");
        var r = await api.PostAsJsonAsync("/api/people", new
        {
            name, gender = "Male", idNumber = RegisterPersonTests.NewIdNumber(), phone = "13609170123",
            compoundId = (await Demo.AreaAsync(browser.App, "春天大道")).Id, address = "春天大道 2号楼 101", categories = new[] { "Returnee" },
        });
        Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task GridWorkersDay_OnAPhone_PutsTheFeverAlertFirst_AndAReachedVerificationLeavesTheList()
    {
        var quiet = await RegisterAsync("核查对象");
        var hot = await RegisterAsync("发热对象");
        var api = await browser.App.As("grid1");
        var check = await api.PostAsJsonAsync($"/api/people/{hot}/health-checks", new { temperature = 38.2m, method = "Visit" });
        Assert.True(check.IsSuccessStatusCode);

        var (page, errors) = await browser.NewPageAsync(390, 844);
        await BrowserApp.SignInAsync(page, "grid1");
        var items = page.Locator("#today .today-item");
        await Assertions.Expect(items.First).ToHaveAttributeAsync("data-urgency", "Alert");
        await Assertions.Expect(page.Locator("#today .today-item[data-urgency='Alert']", new() { HasTextString = "发热对象" })).ToHaveCountAsync(1);
        // Alerts come before every task.
        var urgencies = await items.EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('data-urgency'))");
        Assert.Equal(urgencies.OrderBy(u => u == "Alert" ? 0 : u == "Overdue" ? 1 : u == "DueSoon" ? 2 : 3), urgencies);
        await Assertions.Expect(page.Locator("#today")).ToContainTextAsync("核查对象");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "grid1-day-phone.png"), FullPage = true });

        await page.GotoAsync($"/People/Detail/{quiet}");
        var task = page.Locator("form[action*='handler=Attempt']").First;
        await task.Locator("select[name='AttemptOutcome']").SelectOptionAsync("Reached");
        await task.Locator("input[name='AttemptNote']").FillAsync("已上门核实身份和行程");
        await task.Locator("button[type='submit']").ClickAsync();
        await Assertions.Expect(page.Locator("#person-timeline")).ToContainTextAsync("已联系核实");
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("#today .today-item", new() { HasTextString = "核查对象" })).ToHaveCountAsync(0);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task LeadersOpenPage_Flashes_WhenAFeverIsRecordedInAnotherBrowser()
    {
        var person = await RegisterAsync("夜间发热者");
        var (leaderPage, leaderErrors) = await browser.NewPageAsync();
        await BrowserApp.SignInAsync(leaderPage, "leader");
        await Assertions.Expect(leaderPage.Locator("#live-alerts")).ToHaveAttributeAsync("data-connected", "true");

        var (gridPage, gridErrors) = await browser.NewPageAsync(390, 844);
        await BrowserApp.SignInAsync(gridPage, "grid1");
        await gridPage.GotoAsync($"/People/Detail/{person}");
        await gridPage.FillAsync("#check-temperature", "38.6");
        await gridPage.ClickAsync("label[for='s-Cough']");
        await gridPage.ClickAsync("#save-check");
        await Assertions.Expect(gridPage.Locator("[role='status']")).ToContainTextAsync("发热预警");

        var flash = leaderPage.Locator("#live-alerts .live-alert");
        await Assertions.Expect(flash).ToContainTextAsync("夜间发热者");
        await Assertions.Expect(flash).ToContainTextAsync("38.6");
        await Assertions.Expect(flash).ToContainTextAsync("发热预警");
        await leaderPage.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "leader-live-fever.png") });
        Assert.True(leaderErrors.Count == 0, string.Join("\n", leaderErrors));
        Assert.True(gridErrors.Count == 0, string.Join("\n", gridErrors));
    }
}
