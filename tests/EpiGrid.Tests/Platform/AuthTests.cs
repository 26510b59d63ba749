using System.Net;
using System.Text.RegularExpressions;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Platform;

public sealed partial class AuthTests(AppFactory app) : IClassFixture<AppFactory>
{
    private async Task<(Guid Id, string UserName)> NewAccountAsync(string role = "Statistician")
    {
        var admin = await app.As("admin");
        var name = "u" + Guid.NewGuid().ToString("N")[..10];
        var office = await Demo.AreaAsync(app, "西关街道");
        var r = await admin.PostJsonAsync("/api/users", new { userName = name, displayName = "测试账号", roles = new[] { role }, areaIds = new[] { office.Id }, password = "Test#2020a" });
        var body = await r.ExpectAsync(HttpStatusCode.Created);
        return (Guid.Parse((await r.JsonAsync())["id"]!.GetValue<string>()), name);
    }

    [Fact]
    public async Task LoginApi_RightPassword_ReturnsTokenThatOpensTheApi()
    {
        var anon = app.Anonymous();
        var r = await anon.PostJsonAsync("/api/auth/login", new { userName = "leader", password = AppFactory.Password });
        var json = await r.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.False(string.IsNullOrEmpty(json["accessToken"]!.GetValue<string>()));
        Assert.True(json["expiresIn"]!.GetValue<long>() > 0);

        var leader = await app.As("leader");
        var me = await leader.GetJsonAsync("/api/auth/me");
        Assert.Equal("leader", me["userName"]!.GetValue<string>());
        Assert.Contains("Leader", me["roles"]!.AsArray().Select(x => x!.GetValue<string>()));
    }

    [Fact]
    public async Task LoginApi_WrongPassword_Returns401WithoutToken()
    {
        var r = await app.Anonymous().PostJsonAsync("/api/auth/login", new { userName = "leader", password = "wrong-password" });
        var body = await r.ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.DoesNotContain("accessToken", body);
    }

    [Fact]
    public async Task Api_NoOrBadToken_Returns401NotARedirect()
    {
        var anon = app.Anonymous();
        await (await anon.GetAsync("/api/areas")).ExpectAsync(HttpStatusCode.Unauthorized);
        anon.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-token");
        await (await anon.GetAsync("/api/areas")).ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Login_FiveFailuresInARow_LocksTheAccountEvenForTheRightPassword()
    {
        var (_, name) = await NewAccountAsync();
        var anon = app.Anonymous();
        for (var i = 0; i < 5; i++)
        {
            await (await anon.PostJsonAsync("/api/auth/login", new { userName = name, password = "bad" + i })).ExpectAsync(HttpStatusCode.Unauthorized);
        }
        var r = await anon.PostJsonAsync("/api/auth/login", new { userName = name, password = "Test#2020a" });
        var body = await r.ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("锁定", body);
        Assert.DoesNotContain("accessToken", body);
    }

    [Fact]
    public async Task DisabledAccount_ItsTokenStopsWorkingAtOnce_AndItCannotSignIn()
    {
        var (id, name) = await NewAccountAsync();
        var user = await app.As(name, "Test#2020a");
        await (await user.GetAsync("/api/areas")).ExpectAsync(HttpStatusCode.OK);

        var admin = await app.As("admin");
        await (await admin.PostAsync($"/api/users/{id}/disable", null)).ExpectAsync(HttpStatusCode.NoContent);

        await (await user.GetAsync("/api/areas")).ExpectAsync(HttpStatusCode.Unauthorized);
        await (await app.Anonymous().PostJsonAsync("/api/auth/login", new { userName = name, password = "Test#2020a" })).ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task PasswordReset_EndsTheOldTokenAndTheNewPasswordWorks()
    {
        var (id, name) = await NewAccountAsync();
        var user = await app.As(name, "Test#2020a");
        var admin = await app.As("admin");
        await (await admin.PostJsonAsync($"/api/users/{id}/password", new { password = "Changed#2020b" })).ExpectAsync(HttpStatusCode.NoContent);
        await (await user.GetAsync("/api/areas")).ExpectAsync(HttpStatusCode.Unauthorized);
        app.ForgetToken(name);
        var again = await app.As(name, "Changed#2020b");
        await (await again.GetAsync("/api/areas")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task PageSignIn_WithCookie_ShowsTheChineseHomePage_AndWrongPasswordSaysSo()
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/Account/Login", home.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        var form = await client.GetStringAsync("/Account/Login");
        var token = Antiforgery().Match(form).Groups[1].Value;

        var bad = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "leader", ["Password"] = "nope", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("用户名或密码错误", await bad.Content.ReadAsStringAsync());

        var ok = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "leader", ["Password"] = AppFactory.Password, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        var page = await client.GetStringAsync("/");
        Assert.Contains("西关街道疫情防控平台", page);
        Assert.Contains("张志强", page);
        Assert.Contains("包抓空白", page);

        // The cookie also opens /api (GET needs no antiforgery header).
        var api = await client.GetAsync("/api/areas");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task CookieCallToApi_UnsafeMethodWithoutAntiforgeryHeader_IsRefused()
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var form = await client.GetStringAsync("/Account/Login");
        var token = Antiforgery().Match(form).Groups[1].Value;
        await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "admin", ["Password"] = AppFactory.Password, ["__RequestVerificationToken"] = token,
        }));
        var office = await Demo.AreaAsync(app, "西关街道");
        var r = await client.PostJsonAsync("/api/areas", new { code = "610303002999", name = "伪造社区", kind = "Community", parentId = office.Id });
        await r.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.False(await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Areas, a => a.Code == "610303002999")));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();
}
