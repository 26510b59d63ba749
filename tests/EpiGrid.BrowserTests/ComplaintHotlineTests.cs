using Microsoft.Playwright;

namespace EpiGrid.BrowserTests;

/// <summary>The hotline loop in a real browser: the desk takes a call, the leader is told, the grid worker visits, the desk replies and closes.</summary>
public sealed class ComplaintHotlineTests(BrowserApp browser) : IClassFixture<BrowserApp>
{
    private static string Shot(string name) => Path.Combine(BrowserApp.ScreenshotDir, name);

    [Fact]
    public async Task PhoneComplaint_Acknowledged_Dispatched_Visited_Replied_Closed()
    {
        // The hotline desk takes a phone call.
        var (desk, deskErrors) = await browser.NewPageAsync();
        await BrowserApp.SignInAsync(desk, "hotline");
        await desk.GotoAsync("/Complaints");
        await desk.ClickAsync("#new-complaint");
        await desk.SelectOptionAsync("#Input_Channel", "Phone");
        await desk.SelectOptionAsync("#Input_Category", "Help");
        await desk.FillAsync("#Input_ComplainantName", "刘女士");
        await desk.FillAsync("#Input_ComplainantPhone", "13709176688");
        await desk.SelectOptionAsync("#Input_AreaId", new SelectOptionValue { Label = "　春天大道" });
        await desk.FillAsync("#Input_Address", "3 号楼 2 单元 501");
        await desk.FillAsync("#Input_Content", "家中居家隔离，老人降压药快吃完了，请求帮助代购。");
        await desk.ScreenshotAsync(new() { Path = Shot("complaint-intake.png"), FullPage = true });
        await desk.ClickAsync("#file-complaint");
        await desk.WaitForURLAsync(u => u.Contains("/Complaints/Detail/", StringComparison.Ordinal));
        var number = (await desk.Locator("#ticket-number").InnerTextAsync()).Trim();
        Assert.Matches(@"^XG\d{8}-\d{4}$", number);
        await Assertions.Expect(desk.Locator("#ticket-status")).ToContainTextAsync("已受理");
        await Assertions.Expect(desk.Locator("#ticket-clock")).ToContainTextAsync("剩余");
        await Assertions.Expect(desk.Locator("body")).ToContainTextAsync("137****6688");
        await Assertions.Expect(desk.Locator("body")).Not.ToContainTextAsync("13709176688");
        var ticketUrl = desk.Url;

        // The leader in charge is told (the first report) and acknowledges it.
        var (leader, leaderErrors) = await browser.NewPageAsync();
        await BrowserApp.SignInAsync(leader, "leader");
        await leader.GotoAsync("/Complaints");
        await leader.ClickAsync($"tr[data-number='{number}']");
        await leader.FillAsync("#Ack_Note", "请西关社区今天送药上门");
        await leader.ClickAsync("#acknowledge");
        await Assertions.Expect(leader.Locator("#timeline")).ToContainTextAsync("报告领导");
        await Assertions.Expect(leader.Locator("#ack-form")).ToHaveCountAsync(0);

        // The desk dispatches it to the grid worker (handler) and the leader (responder).
        await desk.GotoAsync(ticketUrl);
        var grid1 = await EpiGrid.Tests.Infrastructure.Demo.UserIdAsync(browser.App, "grid1");
        var leaderId = await EpiGrid.Tests.Infrastructure.Demo.UserIdAsync(browser.App, "leader");
        await desk.SelectOptionAsync("#Dispatch_HandlerId", grid1.ToString());
        await desk.SelectOptionAsync("#Dispatch_ResponderId", leaderId.ToString());
        await desk.ClickAsync("#dispatch");
        await Assertions.Expect(desk.Locator("#ticket-status")).ToContainTextAsync("办理中");

        // The grid worker finds it on their own page (phone) and records the visit.
        var (grid, gridErrors) = await browser.NewPageAsync(390, 844);
        await BrowserApp.SignInAsync(grid, "grid1");
        await grid.ClickAsync("nav.tabbar >> text=我的工单");
        await grid.ClickAsync($"#my-complaints a[data-number='{number}']");
        await grid.SelectOptionAsync("#Act_Kind", "Visit");
        await grid.FillAsync("#Act_Note", "已上门，代购降压药两盒送到家中。");
        await grid.ClickAsync("#log-action");
        await Assertions.Expect(grid.Locator("#timeline")).ToContainTextAsync("上门走访");
        await grid.ScreenshotAsync(new() { Path = Shot("complaint-grid-worker-visit.png"), FullPage = true });

        // The desk replies, then the follow-up call: satisfied, closed.
        await desk.GotoAsync(ticketUrl);
        await desk.FillAsync("#Answer_Text", "网格员已送药上门，今后每周代购一次。");
        await desk.ClickAsync("#reply");
        await Assertions.Expect(desk.Locator("#ticket-status")).ToContainTextAsync("已答复");
        await desk.CheckAsync("#sat-Satisfied");
        await desk.FillAsync("#Follow_Note", "群众表示满意");
        await desk.ClickAsync("#follow-up");
        await Assertions.Expect(desk.Locator("#ticket-status")).ToContainTextAsync("已办结");
        await Assertions.Expect(desk.Locator("#ticket-clock")).ToContainTextAsync("按时答复");
        var kinds = await desk.Locator("#timeline li").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.kind)");
        Assert.Equal(["Received", "Acknowledged", "Dispatched", "Action", "Replied", "FollowedUp", "Closed"], kinds);
        await desk.ScreenshotAsync(new() { Path = Shot("complaint-closed.png"), FullPage = true });

        Assert.Empty(deskErrors);
        Assert.Empty(leaderErrors);
        Assert.Empty(gridErrors);
    }

    [Fact]
    public async Task Resident_FilesOnThePublicPage_WithConsent_AndLooksItUp()
    {
        var (page, errors) = await browser.NewPageAsync(390, 844);
        await page.GotoAsync("/Public/Complaint");
        await Assertions.Expect(page.Locator("#privacy-notice")).ToContainTextAsync("个人信息");
        await page.SelectOptionAsync("#Input_Category", "Enquiry");
        await page.FillAsync("#Input_ComplainantName", "赵先生");
        await page.FillAsync("#Input_ComplainantPhone", "13891774321");
        await page.FillAsync("#Input_Content", "返宝人员需要隔离几天？");
        // Without consent nothing is filed.
        await page.ClickAsync("#public-submit");
        await Assertions.Expect(page.Locator("span[data-valmsg-for='Input.Consent']")).ToContainTextAsync("同意");
        await Assertions.Expect(page.Locator("#Input_ComplainantName")).ToHaveValueAsync("赵先生");
        await page.CheckAsync("#Input_Consent");
        await page.ClickAsync("#public-submit");
        var number = (await page.Locator("#filed-number").InnerTextAsync()).Trim();
        await page.FillAsync("#Lookup_Number", number);
        await page.FillAsync("#Lookup_PhoneLast4", "4321");
        await page.ClickAsync("#lookup-submit");
        await Assertions.Expect(page.Locator("#lookup-result")).ToContainTextAsync("已受理");
        await page.ScreenshotAsync(new() { Path = Shot("public-complaint.png"), FullPage = true });
        Assert.Empty(errors);
    }
}
