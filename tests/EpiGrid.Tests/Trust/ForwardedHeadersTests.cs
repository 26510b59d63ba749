using System.Net;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Trust;

/// <summary>Behind nginx (docs/deploy.md) the client's address comes from X-Forwarded-For — only from a proxy named in
/// EpiGrid:TrustedProxies. The sign-in log shows which address the app believed (rate limits use the same one).</summary>
public sealed class BehindAProxyFactory : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
        [new("EpiGrid:TrustedProxies:0", "127.0.0.1"), new("EpiGrid:TrustedProxies:1", "::1/128")];
}

public sealed class ForwardedHeadersTrustedTests(BehindAProxyFactory app) : IClassFixture<BehindAProxyFactory>
{
    [Fact]
    public async Task From_a_trusted_proxy_the_forwarded_client_address_is_the_one_logged()
    {
        var anon = app.Anonymous();
        anon.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        (await anon.PostJsonAsync("/api/auth/login", new { userName = "cadre3", password = "not-it" })).EnsureStatus(HttpStatusCode.Unauthorized);
        var auditor = await app.As("auditor");
        var item = (await auditor.GetJsonAsync("/api/audit/sign-ins?userName=cadre3"))["items"]!.AsArray().Single()!;
        Assert.Equal("203.0.113.7", item["clientAddress"]!.GetValue<string>());
    }
}

public sealed class ForwardedHeadersIgnoredTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Without_a_trusted_proxy_a_forged_header_changes_nothing()
    {
        var anon = app.Anonymous();
        anon.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        (await anon.PostJsonAsync("/api/auth/login", new { userName = "cadre3", password = "not-it" })).EnsureStatus(HttpStatusCode.Unauthorized);
        var auditor = await app.As("auditor");
        var item = (await auditor.GetJsonAsync("/api/audit/sign-ins?userName=cadre3"))["items"]!.AsArray().Single()!;
        Assert.NotEqual("203.0.113.7", item["clientAddress"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(item["clientAddress"]!.GetValue<string>()));
    }
}
