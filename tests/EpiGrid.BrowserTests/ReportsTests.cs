using System.Net.Http.Json;
using System.Text.Json;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using Microsoft.Playwright;

namespace EpiGrid.BrowserTests;

public sealed class ReportsTests(BrowserApp browser) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task LeadersDashboard_UpdatesWithoutReload_WhenAFeverPassIsPosted()
    {
        var (page, errors) = await browser.NewPageAsync();
        await BrowserApp.SignInAsync(page, "leader");
        await page.GotoAsync("/Dashboard");
        var root = page.Locator("#dashboard");
        await Assertions.Expect(root).ToHaveAttributeAsync("data-connected", "true");
        await Assertions.Expect(page.Locator("#dash-map path.leaflet-interactive").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#dash-report tbody tr")).ToHaveCountAsync(13); // 12 communities and villages, and 合计
        // Figures computed before a change are shown at once, marked stale, and replaced when the new ones are ready.
        await Assertions.Expect(root).ToHaveAttributeAsync("data-stale", "false");
        var before = int.Parse(await page.Locator("#dash-fever-today").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        var rendered = await root.GetAttributeAsync("data-rendered");

        var gate = await Demo.GateAsync(browser.App, "春天大道东门");
        var r = await (await browser.App.As("gate1")).PostAsJsonAsync($"/api/gates/{gate.Id}/passes", new
        {
            clientId = Guid.NewGuid(), direction = "In", temperature = 38.5m,
            visitor = new { name = "看板发热访客", phone = "13912340000", idNumber = RegisterPersonTests.NewIdNumber(), from = "宝鸡", to = "春天大道" },
        });
        Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());

        // No reload: the same page object, re-rendered from the hub's refresh.
        await Assertions.Expect(page.Locator("#dash-fever-today")).ToHaveTextAsync((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotEqual(rendered, await root.GetAttributeAsync("data-rendered"));
        var fever = page.Locator("#dash-report tbody tr:last-child td[data-key='gateFever']");
        Assert.True(int.Parse(await fever.InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "leader-dashboard-live.png"), FullPage = true });
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task Statistician_Reviews_AndLeader_SignsYesterdaysReport_AndPrintsForms()
    {
        var clock = browser.App.With(sp => (Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<EpiGrid.Platform.OfficeClock>(sp)));
        var day = clock.Today.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var (stats, statsErrors) = await browser.NewPageAsync();
        await BrowserApp.SignInAsync(stats, "stats");
        await stats.GotoAsync($"/Reports?date={day}");
        await Assertions.Expect(stats.Locator("#report-title")).ToContainTextAsync("西关街道疫情防控日报");
        await Assertions.Expect(stats.Locator("#report-table tbody tr")).ToHaveCountAsync(13);
        await stats.Locator("#report-table input[name='Remarks[4]']").FillAsync("西关社区核查完毕");
        await stats.ClickAsync("#review-button");
        await Assertions.Expect(stats.Locator("#report-status")).ToContainTextAsync("待签发");

        var (leader, leaderErrors) = await browser.NewPageAsync();
        await BrowserApp.SignInAsync(leader, "leader");
        await leader.GotoAsync($"/Reports?date={day}");
        await leader.ClickAsync("#sign-button");
        await Assertions.Expect(leader.Locator("#report-status")).ToContainTextAsync("已签发");
        await Assertions.Expect(leader.Locator("#report-table")).ToContainTextAsync("西关社区核查完毕");
        await leader.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "daily-report-signed.png"), FullPage = true });

        // The forms of a person, for print (A4 print stylesheet; the sidebar and buttons are not printed).
        var api = await browser.App.As("grid1");
        var created = await api.PostAsJsonAsync("/api/people", new
        {
            name = "打印返乡者", gender = "Female", idNumber = RegisterPersonTests.NewIdNumber(male: false), phone = "13609170456",
            compoundId = (await Demo.AreaAsync(browser.App, "春天大道")).Id, address = "春天大道 3号楼 202", categories = new[] { "Returnee" },
            travel = new { from = "湖北武汉", leftAt = DateTimeOffset.Now.AddDays(-2), arrivedAt = DateTimeOffset.Now.AddDays(-1), transport = "Rail", tripNumber = "G2055" },
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.True((await api.PostAsJsonAsync($"/api/people/{id}/quarantines", new { kind = "Home" })).IsSuccessStatusCode);
        var (grid, gridErrors) = await browser.NewPageAsync();
        await BrowserApp.SignInAsync(grid, "grid1");
        await grid.GotoAsync($"/People/Detail/{id}");
        await grid.ClickAsync("#print-returnee");
        await Assertions.Expect(grid.Locator("#form-title")).ToHaveTextAsync("返乡人员登记表");
        await Assertions.Expect(grid.Locator("#print-form")).ToContainTextAsync("G2055");
        await grid.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(grid.Locator("#sidebar")).ToBeHiddenAsync();
        await grid.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "print-returnee-form.png"), FullPage = true });
        await grid.EmulateMediaAsync(new() { Media = Media.Screen });
        await grid.GotoAsync($"/People/Print/{id}?form=notice");
        await Assertions.Expect(grid.Locator("#form-title")).ToHaveTextAsync("居家医学观察告知书");
        await Assertions.Expect(grid.Locator("#notice-end")).Not.ToHaveTextAsync("____年__月__日");
        await grid.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "print-home-observation-notice.png"), FullPage = true });
        Assert.True(statsErrors.Count + leaderErrors.Count + gridErrors.Count == 0, string.Join("\n", statsErrors.Concat(leaderErrors).Concat(gridErrors)));
    }
}
