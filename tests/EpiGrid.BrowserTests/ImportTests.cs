using EpiGrid.Platform.Validation;
using Microsoft.Playwright;
using MiniExcelLibs;

namespace EpiGrid.BrowserTests;

public sealed class ImportTests(BrowserApp browser) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Statistician_MapsARailwayList_WatchesTheProgressBarFinish_AndReadsTheErrors()
    {
        // A railway passenger list (not the returnee form): 8,000 rows, two batches, so the progress bar has time to show;
        // rows 3 and 5 carry a wrong check character and an empty name.
        var path = Path.Combine(Path.GetTempPath(), $"铁路旅客名单-{Guid.NewGuid():N}.xlsx");
        var start = Random.Shared.Next(0, 400_000);
        IEnumerable<Dictionary<string, object?>> Rows()
        {
            for (var i = 0; i < 8000; i++)
            {
                var n = start + i;
                var body = $"420106{new DateOnly(1950, 1, 1).AddDays(n % 20_000):yyyyMMdd}{n / 20_000 % 500 * 2 + 1:000}";
                var id = body + IdNumber.CheckCharacter(body);
                if (i == 1) id = id[..17] + (id[17] == '1' ? '2' : '1');
                yield return new Dictionary<string, object?>
                {
                    ["旅客姓名"] = i == 3 ? "" : $"旅客{i}", ["证件号码"] = id, ["手机号"] = $"139{n % 100_000_000:00000000}",
                    ["到达地址"] = $"春天大道{i % 9 + 1}号楼{i % 6 + 1}单元", ["乘车日期"] = "2020-01-2" + (i % 8 + 1), ["车次"] = "G818",
                };
            }
        }
        MiniExcel.SaveAs(path, Rows());

        var (page, errors) = await browser.NewPageAsync();
        await BrowserApp.SignInAsync(page, "stats");
        await page.ClickAsync("#sidebar a[href='/Imports']");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("名单导入");
        await page.SetInputFilesAsync("#Upload", path);
        await page.ClickAsync("#upload");

        // The mapping screen: a preview with masked ID numbers, the usual names already chosen, the address chosen by hand.
        await Assertions.Expect(page.Locator("#mapping-form")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#preview tbody tr")).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator("#preview tbody tr").First).ToContainTextAsync("420106");
        await Assertions.Expect(page.Locator("#preview tbody tr").First).ToContainTextAsync("****");
        Assert.Equal("旅客姓名", await page.Locator("#map-name").InputValueAsync());
        Assert.Equal("证件号码", await page.Locator("#map-idNumber").InputValueAsync());
        Assert.Equal("", await page.Locator("#map-address").InputValueAsync());
        await page.SelectOptionAsync("#map-address", "到达地址");
        await page.FillAsync("#SaveAsTemplate", "铁路旅客名单" + start);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "import-mapping.png"), FullPage = true });
        await page.ClickAsync("#start");

        // The progress bar runs, then the page shows the finished import.
        await Assertions.Expect(page.Locator("#import-progress")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "import-progress.png"), FullPage = true });
        await Assertions.Expect(page.Locator("#import-status")).ToHaveTextAsync("已完成", new() { Timeout = 180_000 });
        await Assertions.Expect(page.Locator("#import-progress")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#count-total")).ToHaveTextAsync("8,000");
        await Assertions.Expect(page.Locator("#count-imported")).ToHaveTextAsync("7,998");
        await Assertions.Expect(page.Locator("#count-rejected")).ToHaveTextAsync("2");

        var rows = page.Locator("#import-errors tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("3");
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("证件号码");
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("校验位不正确");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("5");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("旅客姓名");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("姓名为空");
        await Assertions.Expect(page.Locator("#feedback")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "import-completed.png"), FullPage = true });

        // The saved mapping is offered for the next upload.
        await page.GotoAsync("/Imports");
        await Assertions.Expect(page.Locator("#TemplateId")).ToContainTextAsync("铁路旅客名单" + start);
        await Assertions.Expect(page.Locator("#imports tbody tr").First).ToContainTextAsync("已完成");
        File.Delete(path);
        Assert.Empty(errors);
    }
}
