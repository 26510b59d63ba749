using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EpiGrid.Platform.Auth;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.Trust;

namespace EpiGrid.Tests.Platform;

/// <summary>New passwords: at least 10 characters and not one of the common passwords, on every route that sets one.</summary>
public sealed partial class PasswordPolicyTests(AppFactory app) : IClassFixture<AppFactory>
{
    public const string GoodPassword = "Xiguan#Grid2020";

    private async Task<HttpResponseMessage> CreateAsync(string password)
    {
        var admin = await app.As("admin");
        var office = await Demo.AreaAsync(app, "西关街道");
        return await admin.PostJsonAsync("/api/users", new
        {
            userName = "p" + Guid.NewGuid().ToString("N")[..10], displayName = "密码测试", roles = new[] { "Statistician" },
            areaIds = new[] { office.Id }, password,
        });
    }

    private static async Task<string[]> PasswordErrorsAsync(HttpResponseMessage r)
    {
        var body = await r.ExpectAsync(HttpStatusCode.BadRequest);
        var errors = JsonNode.Parse(body)!["errors"]!.AsObject();
        Assert.Equal(["password"], errors.Select(e => e.Key));
        return [.. errors["password"]!.AsArray().Select(e => e!.GetValue<string>())];
    }

    [Theory]
    [InlineData("password123")]
    [InlineData("Qwerty12345")]
    [InlineData("PASSWORD123")]
    [InlineData("1234567890")]
    public async Task NewAccount_WithACommonPassword_Is400OnPassword(string password)
    {
        Assert.Contains(await PasswordErrorsAsync(await CreateAsync(password)), e => e.Contains("常见", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NewAccount_WithNineCharacters_Is400OnPassword_AndTenUncommonOnesAreFine()
    {
        Assert.Contains(await PasswordErrorsAsync(await CreateAsync("Xg#2020ab")), e => e.Contains("10", StringComparison.Ordinal));
        await (await CreateAsync("Xg#2020abc")).ExpectAsync(HttpStatusCode.Created);
        await (await CreateAsync(GoodPassword)).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task AdminReset_WithACommonPassword_Is400OnPassword_AndKeepsTheOldOne()
    {
        var r = await CreateAsync(GoodPassword);
        await r.ExpectAsync(HttpStatusCode.Created);
        var id = (await r.JsonAsync())["id"]!.GetValue<string>();
        var admin = await app.As("admin");
        Assert.NotEmpty(await PasswordErrorsAsync(await admin.PostJsonAsync($"/api/users/{id}/password", new { password = "Qwerty12345" })));
        Assert.NotEmpty(await PasswordErrorsAsync(await admin.PostJsonAsync($"/api/users/{id}/password", new { password = "Short#1" })));
    }

    [Fact]
    public void TheCommonList_ComesFromThePackage_AndHoldsTenThousandOrMore()
    {
        Assert.True(CommonPasswordValidator.Count >= 10_000, $"{CommonPasswordValidator.Count} common passwords");
        Assert.True(CommonPasswordValidator.IsCommon("password123"));
        Assert.True(CommonPasswordValidator.IsCommon("QWERTY12345"));
        Assert.False(CommonPasswordValidator.IsCommon(GoodPassword));
    }

    [Fact]
    public async Task AccountsPage_CommonPassword_MarksThePasswordField()
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var login = await client.GetStringAsync("/Account/Login");
        (await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "admin", ["Password"] = AppFactory.Password, ["__RequestVerificationToken"] = Antiforgery().Match(login).Groups[1].Value,
        }))).EnsureStatus(HttpStatusCode.Redirect);
        var form = await client.GetStringAsync("/Accounts/Edit");
        var office = await Demo.AreaAsync(app, "西关街道");
        var r = await client.PostAsync("/Accounts/Edit", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.UserName"] = "p" + Guid.NewGuid().ToString("N")[..10], ["Input.DisplayName"] = "页面密码测试",
            ["Input.Roles"] = "Statistician", ["Input.AreaIds"] = office.Id.ToString(), ["Input.Password"] = "password123",
            ["__RequestVerificationToken"] = Antiforgery().Match(form).Groups[1].Value,
        }));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = await r.Content.ReadAsStringAsync();
        var message = PasswordMessage().Match(html);
        Assert.True(message.Success, "no message under the password field");
        Assert.Contains("常见", WebUtility.HtmlDecode(message.Groups[1].Value), StringComparison.Ordinal);
    }

    [GeneratedRegex("<span[^>]*data-valmsg-for=\"Input.Password\"[^>]*>(.*?)</span>", RegexOptions.Singleline)]
    private static partial Regex PasswordMessage();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();
}

/// <summary>Outside demo mode, a first admin password that breaks the rule stops the start with a clear message.</summary>
public sealed class FirstAdminPasswordTests
{
    private sealed class NoDemoApp(string password) : AppFactory
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
            [new("EpiGrid:Demo", "false"), new("EpiGrid:AdminPassword", password)];
    }

    [Theory]
    [InlineData("password123")]
    [InlineData("Adm#2020")]
    public void ACommonOrShortAdminPassword_RefusesToStart(string password)
    {
        using var app = new NoDemoApp(password);
        var e = Record.Exception(() => app.CreateClient());
        Assert.NotNull(e);
        Assert.Contains("EpiGrid__AdminPassword", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGoodAdminPassword_Starts()
    {
        using var app = new NoDemoApp(PasswordPolicyTests.GoodPassword);
        await app.As("admin", PasswordPolicyTests.GoodPassword);
    }
}
