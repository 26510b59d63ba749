using System.Net;
using System.Net.Http.Json;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Trust;

public sealed class SignInHistoryTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Every_attempt_is_recorded_visible_to_its_owner_and_the_auditor_and_an_unknown_name_without_account()
    {
        var anon = app.Anonymous();
        anon.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Linux; Android 10) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36");
        (await anon.PostJsonAsync("/api/auth/login", new { userName = "cadre2", password = "not-it" })).EnsureStatus(HttpStatusCode.Unauthorized);
        (await anon.PostJsonAsync("/api/auth/login", new { userName = "cadre2", password = AppFactory.Password })).EnsureStatus(HttpStatusCode.OK);
        (await anon.PostJsonAsync("/api/auth/login", new { userName = "cadre2x", password = AppFactory.Password })).EnsureStatus(HttpStatusCode.Unauthorized);

        var cadre = await app.As("cadre2");
        var mine = await cadre.GetJsonAsync("/api/auth/sign-ins");
        var items = mine["items"]!.AsArray();
        Assert.Equal(3, items.Count); // the two above and app.As's own sign-in
        Assert.Equal(2, items.Count(i => i!["succeeded"]!.GetValue<bool>()));
        var failed = items.Single(i => !i!["succeeded"]!.GetValue<bool>())!;
        Assert.Equal("WrongPassword", failed["outcome"]!.GetValue<string>());
        Assert.Equal("Chrome 120 · Android", items.Last()!["userAgent"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(failed["clientAddress"]!.GetValue<string>()));
        Assert.DoesNotContain(items, i => i!["userName"]!.GetValue<string>() == "cadre2x");

        // Someone else cannot read it; the auditor can, per account and for a name that is no account.
        (await (await app.As("leader")).GetAsync("/api/audit/sign-ins?userName=cadre2")).EnsureStatus(HttpStatusCode.Forbidden);
        var auditor = await app.As("auditor");
        var cadreId = await Demo.UserIdAsync(app, "cadre2");
        Assert.Equal(3, (await auditor.GetJsonAsync($"/api/audit/sign-ins?userId={cadreId}"))["total"]!.GetValue<int>());
        var unknown = (await auditor.GetJsonAsync("/api/audit/sign-ins?userName=cadre2x"))["items"]!.AsArray().Single()!;
        Assert.Null(unknown["userId"]);
        Assert.Equal("UnknownUser", unknown["outcome"]!.GetValue<string>());

        // The pages: 我的登录记录 for the owner, 登录记录 for the auditor.
        var page = await cadre.GetAsync("/SignIns");
        page.EnsureStatus(HttpStatusCode.OK);
        Assert.Contains("密码错误", await page.Content.ReadAsStringAsync());
        var auditPage = await auditor.GetAsync("/SignIns/Audit?userName=cadre2x");
        auditPage.EnsureStatus(HttpStatusCode.OK);
        Assert.Contains("用户名不存在", await auditPage.Content.ReadAsStringAsync());
        (await cadre.GetAsync("/SignIns/Audit")).EnsureStatus(HttpStatusCode.Forbidden);
    }
}
