using System.Net;
using System.Text.RegularExpressions;
using EpiGrid.Platform.Audit;
using EpiGrid.Platform.Auth;
using EpiGrid.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Platform;

/// <summary>
/// Separation of duties (三员分立, T3): no account is both Admin and Auditor, nor Auditor and a role that reveals
/// (computed from <see cref="Rights.RolesOf"/>); an Auditor's password is reset only on the server's command line.
/// </summary>
public sealed partial class SeparationOfDutiesTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static string NewName() => "sod" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Every forbidden pair, computed from the rights table.</summary>
    public static TheoryData<string> RolesThatCannotJoinAuditor()
    {
        var data = new TheoryData<string> { Roles.Admin };
        foreach (var r in Rights.RolesOf[Rights.Reveal].Concat(Rights.RolesOf[Rights.RevealComplainant]).Distinct()) data.Add(r);
        return data;
    }

    [Theory]
    [MemberData(nameof(RolesThatCannotJoinAuditor))]
    public async Task Api_CreatingAnAuditorWithAConflictingRole_Is400OnRoles(string other)
    {
        var admin = await app.As("admin");
        var office = await Demo.AreaAsync(app, "西关街道");
        var name = NewName();
        var r = await admin.PostJsonAsync("/api/users", new { userName = name, displayName = "兼任", roles = new[] { Roles.Auditor, other },
            areaIds = new[] { office.Id }, password = AppFactory.NewPassword });
        var body = await r.ExpectAsync(HttpStatusCode.BadRequest);
        var errors = (await r.JsonAsync())["errors"]!;
        Assert.Contains(errors["roles"]!.AsArray(), m => m!.GetValue<string>().StartsWith("三员分立", StringComparison.Ordinal));
        Assert.False(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.UserName == name)));
        Assert.NotNull(body);
    }

    [Fact]
    public async Task Api_AllowedPairs_StillWork_AndEditingIntoAConflict_Is400_RolesUnchanged()
    {
        var admin = await app.As("admin");
        var office = await Demo.AreaAsync(app, "西关街道");
        var name = NewName();
        // Auditor with a role that neither manages nor reveals is allowed; so is Admin with a revealing role.
        var ok = await admin.PostJsonAsync("/api/users", new { userName = name, displayName = "审计兼宣传", roles = new[] { Roles.Auditor, Roles.Publicity },
            areaIds = new[] { office.Id }, password = AppFactory.NewPassword });
        await ok.ExpectAsync(HttpStatusCode.Created);
        var id = Guid.Parse((await ok.JsonAsync())["id"]!.GetValue<string>());

        var put = await admin.PutAsync($"/api/users/{id}", System.Net.Http.Json.JsonContent.Create(new { displayName = "审计兼宣传", roles = new[] { Roles.Auditor, Roles.Supervisor, Roles.GridWorker },
            areaIds = new[] { office.Id } }, options: Http.Json));
        var text = await put.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("roles", text, StringComparison.Ordinal);
        var view = await admin.GetJsonAsync($"/api/users/{id}");
        Assert.Equal(new[] { Roles.Auditor, Roles.Publicity }.Order(), view["roles"]!.AsArray().Select(x => x!.GetValue<string>()).Order());

        var put2 = await admin.PutAsync($"/api/users/{id}", System.Net.Http.Json.JsonContent.Create(new { displayName = "审计", roles = new[] { Roles.Auditor, Roles.Admin } }, options: Http.Json));
        Assert.Contains("roles", await put2.ExpectAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_CreatingAdminPlusAuditor_MarksTheRolesField()
    {
        var client = await SignedInPageClientAsync("admin");
        var form = await client.GetStringAsync("/Accounts/Edit");
        var name = NewName();
        var r = await client.PostAsync("/Accounts/Edit", new FormUrlEncodedContent(
        [
            new("Input.UserName", name), new("Input.DisplayName", "兼任"), new("Input.Password", AppFactory.NewPassword),
            new("Input.Roles", Roles.Admin), new("Input.Roles", Roles.Auditor),
            new("__RequestVerificationToken", Antiforgery().Match(form).Groups[1].Value),
        ]));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = await r.Content.ReadAsStringAsync();
        Assert.Matches("field-validation-error\"[^>]*data-valmsg-for=\"Input.Roles\"[^>]*>[^<]*三员分立|data-valmsg-for=\"Input.Roles\"[^>]*field-validation-error[^>]*>[^<]*三员分立|class=\"[^\"]*field-validation-error[^\"]*\" data-valmsg-for=\"Input.Roles\"[^>]*>[^<]*三员分立", html);
        Assert.False(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.UserName == name)));
    }

    [Fact]
    public async Task AnAdmin_CannotResetAnAuditorsPassword_ApiOrPage()
    {
        var admin = await app.As("admin");
        var auditor = await Demo.UserIdAsync(app, "auditor");
        var r = await admin.PostJsonAsync($"/api/users/{auditor}/password", new { password = "Taken#2020x" });
        Assert.Contains("审计员", await r.ExpectAsync(HttpStatusCode.Forbidden), StringComparison.Ordinal);

        var client = await SignedInPageClientAsync("admin");
        var form = await client.GetStringAsync($"/Accounts/Edit/{auditor}");
        var p = await client.PostAsync($"/Accounts/Edit/{auditor}?handler=Password", new FormUrlEncodedContent(
        [
            new("NewPassword", "Taken#2020x"), new("__RequestVerificationToken", Antiforgery().Match(form).Groups[1].Value),
        ]));
        Assert.Equal(HttpStatusCode.OK, p.StatusCode);
        Assert.Contains("reset-password", await p.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The auditor's password is what it was.
        using var anon = app.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await anon.PostJsonAsync("/api/auth/login", new { userName = "auditor", password = AppFactory.Password })).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await anon.PostJsonAsync("/api/auth/login", new { userName = "auditor", password = "Taken#2020x" })).StatusCode);
    }

    [Fact]
    public async Task TheDemoAccounts_KeepTheRule()
    {
        // As declared, and as seeded (other tests of this class add accounts of their own).
        foreach (var a in EpiGrid.Features.Demo.DemoOffice.Accounts) Assert.Null(SeparationOfDuties.Conflict(a.Roles));
        var names = EpiGrid.Features.Demo.DemoOffice.Accounts.Select(a => a.UserName).ToList();
        var roles = await app.WithDbAsync(db => db.UserRoles.Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .Join(db.Users.Where(u => names.Contains(u.UserName!)), x => x.UserId, u => u.Id, (x, u) => x).ToListAsync());
        Assert.NotEmpty(roles);
        foreach (var g in roles.GroupBy(x => x.UserId))
        {
            Assert.Null(SeparationOfDuties.Conflict(g.Select(x => x.Name!)));
        }
    }

    [Fact]
    public async Task AnOldAccountThatBreaksTheRule_StillSignsIn_AndTheAccountsPageWarns()
    {
        var name = NewName();
        await app.WithDbAsync(async db =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var u = new AppUser { UserName = name, DisplayName = "旧库兼任", CreatedAt = DateTime.UtcNow };
            Assert.True((await users.CreateAsync(u, AppFactory.NewPassword)).Succeeded);
            Assert.True((await users.AddToRolesAsync(u, [Roles.Admin, Roles.Auditor])).Succeeded);
            return 0;
        });
        using var anon = app.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await anon.PostJsonAsync("/api/auth/login", new { userName = name, password = AppFactory.NewPassword })).StatusCode);

        var client = await SignedInPageClientAsync("admin");
        var page = await client.GetAsync("/Accounts");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("id=\"sod-violations\"", html, StringComparison.Ordinal);
        Assert.Contains(name, html[html.IndexOf("id=\"sod-violations\"", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOperatorCommand_ResetsAnAuditorsPassword_WithTheAppsRules_AndAudits()
    {
        // An auditor of its own, so that the demo auditor keeps its password for the other tests.
        var name = NewName();
        await app.WithDbAsync(async db =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var u = new AppUser { UserName = name, DisplayName = "审计员二", CreatedAt = DateTime.UtcNow };
            Assert.True((await users.CreateAsync(u, AppFactory.NewPassword)).Succeeded);
            Assert.True((await users.AddToRolesAsync(u, [Roles.Auditor])).Succeeded);
            return 0;
        });
        var bad = await OperatorCommands.ResetPasswordAsync(app.Services, name, "short");
        Assert.False(bad.Ok);
        var missing = await OperatorCommands.ResetPasswordAsync(app.Services, "nobody-" + NewName(), "Fresh#2020a");
        Assert.False(missing.Ok);

        var ok = await OperatorCommands.ResetPasswordAsync(app.Services, name, "Fresh#2020a");
        Assert.True(ok.Ok, ok.Message);
        using var anon = app.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await anon.PostJsonAsync("/api/auth/login", new { userName = name, password = "Fresh#2020a" })).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await anon.PostJsonAsync("/api/auth/login", new { userName = name, password = AppFactory.NewPassword })).StatusCode);
        var id = await Demo.UserIdAsync(app, name);
        Assert.True(await app.WithDbAsync(db => db.Set<AuditEntry>().AnyAsync(a => a.Action == "PasswordResetByOperator" && a.EntityId == id.ToString())));
    }

    private async Task<HttpClient> SignedInPageClientAsync(string userName)
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var form = await client.GetStringAsync("/Account/Login");
        var signIn = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName, ["Password"] = AppFactory.Password, ["__RequestVerificationToken"] = Antiforgery().Match(form).Groups[1].Value,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();
}
