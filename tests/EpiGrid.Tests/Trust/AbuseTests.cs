using System.Net;
using System.Net.Http.Json;
using System.Text;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Trust;

/// <summary>Sign-in limited per account: 3 attempts a minute here (default 20), then 429 with Retry-After — even with the right password.</summary>
public sealed class SignInPerAccountFactory : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("EpiGrid:RateLimits:SignInPerAccountPerMinute", "3")];
}

public sealed class SignInPerAccountLimitTests(SignInPerAccountFactory app) : IClassFixture<SignInPerAccountFactory>
{
    [Fact]
    public async Task The_fourth_sign_in_to_one_account_within_a_minute_is_429_with_RetryAfter_and_recorded()
    {
        var anon = app.Anonymous();
        for (var i = 0; i < 3; i++)
        {
            (await anon.PostJsonAsync("/api/auth/login", new { userName = "publicity", password = "wrong-" + i })).EnsureStatus(HttpStatusCode.Unauthorized);
        }
        var r = await anon.PostJsonAsync("/api/auth/login", new { userName = "publicity", password = AppFactory.Password });
        await r.ExpectAsync(HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(r.Headers.GetValues("Retry-After").Single()) is > 0 and <= 60);
        // Another account from the same address is not held up.
        (await anon.PostJsonAsync("/api/auth/login", new { userName = "leader", password = AppFactory.Password })).EnsureStatus(HttpStatusCode.OK);

        var auditor = await app.As("auditor");
        var history = await auditor.GetJsonAsync("/api/audit/sign-ins?userName=publicity");
        var outcomes = history["items"]!.AsArray().Select(i => i!["outcome"]!.GetValue<string>()).ToList();
        Assert.Equal(3, outcomes.Count(o => o == "WrongPassword"));
        Assert.Contains("RateLimited", outcomes);
        Assert.DoesNotContain("Succeeded", outcomes);
    }
}

/// <summary>Sign-in limited per client address: 5 a minute here (default 100).</summary>
public sealed class SignInPerAddressFactory : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("EpiGrid:RateLimits:SignInPerMinute", "5")];
}

public sealed class SignInPerAddressLimitTests(SignInPerAddressFactory app) : IClassFixture<SignInPerAddressFactory>
{
    [Fact]
    public async Task After_the_configured_number_of_sign_ins_from_one_address_the_next_is_429_with_RetryAfter()
    {
        var anon = app.Anonymous();
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++) codes.Add((await anon.PostJsonAsync("/api/auth/login", new { userName = "nobody" + i, password = "x-" + i })).StatusCode);
        Assert.All(codes, c => Assert.Equal(HttpStatusCode.Unauthorized, c));
        // A different, real account with the right password: the address is over its limit.
        var r = await anon.PostJsonAsync("/api/auth/login", new { userName = "leader", password = AppFactory.Password });
        await r.ExpectAsync(HttpStatusCode.TooManyRequests);
        Assert.True(r.Headers.Contains("Retry-After"));
    }
}

/// <summary>Forms without the antiforgery token, and bodies over the limit.</summary>
public sealed class RequestGuardTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task A_form_post_without_the_antiforgery_token_is_refused_with_400()
    {
        var anon = app.Anonymous();
        var signIn = await anon.PostAsync("/Account/Login", new FormUrlEncodedContent([new("UserName", "leader"), new("Password", AppFactory.Password)]));
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        Assert.False(signIn.Headers.Contains("Set-Cookie") && signIn.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("EpiGrid.Auth=", StringComparison.Ordinal)));
        var complaint = await anon.PostAsync("/Public/Complaint", new FormUrlEncodedContent([new("Input.Content", "噪音"), new("Input.Consent", "true")]));
        Assert.Equal(HttpStatusCode.BadRequest, complaint.StatusCode);
    }

    [Fact]
    public async Task A_json_body_over_1_MB_is_413_problem_json_and_nothing_is_stored()
    {
        var grid = await app.As("grid1");
        var compound = await Demo.AreaAsync(app, "春天大道");
        var id = People.RegisterPersonTests.NewIdNumber();
        var json = System.Text.Json.JsonSerializer.Serialize(new
        {
            name = "张大", gender = "Male", idNumber = id, phone = "13612345678", compoundId = compound.Id,
            address = "春天大道1号楼", categories = new[] { "Returnee" }, note = new string('x', 1_100_000),
        });
        var r = await grid.PostAsync("/api/people", new StringContent(json, Encoding.UTF8, "application/json"));
        await r.ExpectAsync(HttpStatusCode.RequestEntityTooLarge);
        var list = await grid.GetJsonAsync("/api/people?q=张大");
        Assert.Equal(0, list["total"]!.GetValue<int>());
        // The public API too (anyone may call it).
        var pub = await app.Anonymous().PostAsync("/api/public/complaints", new StringContent("{\"content\":\"" + new string('x', 1_100_000) + "\"}", Encoding.UTF8, "application/json"));
        await pub.ExpectAsync(HttpStatusCode.RequestEntityTooLarge);
    }
}

internal static class StatusExtensions
{
    public static void EnsureStatus(this HttpResponseMessage r, HttpStatusCode expected) =>
        Assert.True(r.StatusCode == expected, $"{r.RequestMessage?.RequestUri} → {(int)r.StatusCode}, expected {(int)expected}");
}
