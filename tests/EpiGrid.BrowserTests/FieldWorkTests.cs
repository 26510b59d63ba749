using EpiGrid.Features.Disinfection;
using EpiGrid.Features.Inspections;
using EpiGrid.Platform;
using EpiGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EpiGrid.BrowserTests;

/// <summary>Field work on a grid worker's phone: an inspection that fails and orders a rectification; a disinfection plan and today's round marked done.</summary>
public sealed class FieldWorkTests(BrowserApp browser) : IClassFixture<BrowserApp>
{
    // A real 1×1 PNG.
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    [Fact]
    public async Task GridWorker_OnAPhone_RecordsAnInspectionWithAFailedItem_AndARectificationOrder()
    {
        var (page, errors) = await browser.NewPageAsync(390, 844);
        await BrowserApp.SignInAsync(page, "grid1");
        var tabs = page.Locator("nav.tabbar");
        await Assertions.Expect(tabs).ToContainTextAsync("场所检查");
        await Assertions.Expect(tabs).ToContainTextAsync("消杀");

        await tabs.GetByText("场所检查").ClickAsync();
        await page.Locator("#premises tr", new() { HasTextString = "西关综合市场" }).ClickAsync();
        await Assertions.Expect(page.Locator("#premises-name")).ToContainTextAsync("西关综合市场");
        await page.ClickAsync("#record-inspection");

        // Everything passes by default: no order is asked for.
        var order = page.Locator("#rectification");
        await Assertions.Expect(order).ToBeHiddenAsync();
        await page.ClickAsync("label[for='wildAnimals-Fail']");
        await Assertions.Expect(order).ToBeVisibleAsync();
        await page.FillAsync("#Input_Findings", "东区摊位发现待售野兔两只、活鸡笼一处");
        await page.FillAsync("#Input_RectificationRequirement", "立即停止野生动物交易，清理笼具并全面消毒");
        await page.SetInputFilesAsync("#Input_Photos", new FilePayload { Name = "现场.png", MimeType = "image/png", Buffer = Png });
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "inspection-form-phone.png"), FullPage = true });
        await page.ClickAsync("#save-inspection");

        await page.WaitForURLAsync(u => u.Contains("/Inspections/Premises/", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("已下达整改通知");
        await Assertions.Expect(page.Locator("#open-rectification")).ToContainTextAsync("立即停止野生动物交易");
        await Assertions.Expect(page.Locator("#open-rectification")).ToContainTextAsync("整改中");
        var card = page.Locator("#inspections .inspection").First;
        await Assertions.Expect(card).ToContainTextAsync("不合格");
        await Assertions.Expect(card.Locator(".answer-fail")).ToContainTextAsync("无野生动物出售、饲养、食用");
        var img = card.Locator("img.inspection-thumb");
        await Assertions.Expect(img).ToHaveCountAsync(1);
        Assert.True(await img.EvaluateAsync<bool>("i => i.complete && i.naturalWidth > 0"), "the photo loads through the API");
        await Assertions.Expect(page.Locator("#record-inspection")).ToContainTextAsync("登记复查");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "premises-after-inspection-phone.png"), FullPage = true });

        var stored = await browser.App.WithDbAsync(db => db.Set<Rectification>().CountAsync(r => r.Status == RectificationStatus.Open && r.Requirement.StartsWith("立即停止野生动物交易")));
        Assert.Equal(1, stored);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task GridWorker_OnAPhone_PlansADisinfection_AndMarksTodaysRoundDone()
    {
        var (page, errors) = await browser.NewPageAsync(390, 844);
        await BrowserApp.SignInAsync(page, "grid1");
        await page.GotoAsync("/Disinfection/Plans");
        await page.ClickAsync("#new-plan");
        var name = "春天大道楼道电梯消杀";
        await page.FillAsync("#Input_Name", name);
        var xiguan = await Demo.AreaAsync(browser.App, "西关社区");
        await page.SelectOptionAsync("#Input_AreaId", xiguan.Id.ToString());
        await page.ClickAsync(".place-chip[data-place='春天大道']");
        await page.ClickAsync(".place-chip[data-place='楼道']");
        await page.ClickAsync(".place-chip[data-place='电梯']");
        await Assertions.Expect(page.Locator("#Input_Places")).ToHaveValueAsync("春天大道、楼道、电梯");
        await page.ClickAsync("label[for='times-2']");
        await page.ClickAsync("#save-plan");
        await page.WaitForURLAsync(u => u.EndsWith("/Disinfection/Plans", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#plans")).ToContainTextAsync(name);

        // The plan was made this morning (so that the test reads the same at any hour of the day).
        var today = browser.App.With(sp => sp.GetRequiredService<OfficeClock>().Today);
        var start = browser.App.With(sp => sp.GetRequiredService<OfficeClock>().StartOfDayUtc(today));
        await browser.App.WithDbAsync(async db =>
        {
            var plan = await db.Set<DisinfectionPlan>().SingleAsync(p => p.Name == name);
            plan.CreatedAt = start;
            await db.SaveChangesAsync();
        });

        await page.Locator("nav.tabbar").GetByText("消杀").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("今日消杀");
        var round = page.Locator("li.slot", new() { HasTextString = name }).First;
        await Assertions.Expect(round.Locator(".mark-done")).ToBeVisibleAsync();
        var box = await round.Locator(".mark-done").BoundingBoxAsync();
        Assert.True(box!.Height >= 44, $"the button is {box.Height}px high");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "disinfection-today-phone.png"), FullPage = true });
        await round.Locator(".mark-done").ClickAsync();

        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("已标记完成");
        var done = page.Locator("li.slot.slot-done", new() { HasTextString = name });
        await Assertions.Expect(done).ToHaveCountAsync(1);
        await Assertions.Expect(done).ToContainTextAsync("已完成");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDir, "disinfection-today-done-phone.png"), FullPage = true });
        Assert.Equal(1, await browser.App.WithDbAsync(db => db.Set<DisinfectionRecord>().CountAsync(r => db.Set<DisinfectionPlan>().Any(p => p.Id == r.PlanId && p.Name == name))));
        Assert.Empty(errors);
    }
}
