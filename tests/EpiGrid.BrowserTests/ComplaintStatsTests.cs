using Microsoft.Playwright;

namespace EpiGrid.BrowserTests;

/// <summary>The statistics page draws the demo's fortnight of calls (falling from ~78 a day to ~5) with Chart.js.</summary>
public sealed class ComplaintStatsTests(BrowserApp browser) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task StatsPage_DrawsTheDailyChartOfTheSeededFortnight_AndTheFall()
    {
        var (page, errors) = await browser.NewPageAsync();
        await BrowserApp.SignInAsync(page, "leader");
        await page.GotoAsync("/Complaints");
        await page.ClickAsync("a[href='/Complaints/Stats']");
        await page.WaitForURLAsync(u => u.Contains("/Complaints/Stats", StringComparison.Ordinal));

        // Every day of the fortnight (the comparison week and this week) is a bar of the daily chart.
        var daily = page.Locator("#chart-daily");
        await Assertions.Expect(daily).ToHaveAttributeAsync("data-drawn", "14");
        var bars = await page.EvaluateAsync<int[]>(
            "() => { const c = Chart.getChart(document.getElementById('chart-daily')); return c.data.labels.map((_, i) => c.data.datasets[0].data[i] ?? c.data.datasets[1].data[i]); }");
        Assert.Equal(14, bars.Length);
        Assert.True(bars[0] >= 60, $"first day {bars[0]}");
        Assert.True(bars[^1] <= 10, $"last day {bars[^1]}");
        Assert.True(bars[0] > 8 * bars[^1], string.Join(",", bars));
        // The chart is really painted: the canvas has a size and non-blank pixels.
        var painted = await page.EvaluateAsync<bool>(
            "() => { const c = document.getElementById('chart-daily'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return c.width > 100; return false; }");
        Assert.True(painted);
        foreach (var id in new[] { "#chart-compare", "#chart-channel", "#chart-category" })
            await Assertions.Expect(page.Locator(id)).ToHaveAttributeAsync("data-drawn", new System.Text.RegularExpressions.Regex("^[1-9]"));

        // The fall at a glance: this week's daily average against last week's, as a fall in per cent.
        await Assertions.Expect(page.Locator("#kpi-change")).ToContainTextAsync("下降");
        await Assertions.Expect(page.Locator("#top-places")).ToContainTextAsync("春天大道");
        await page.WaitForTimeoutAsync(400); // the bars' short animation
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "complaint-stats.png"), FullPage = true });
        Assert.Empty(errors);
    }
}
