using System.Net;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Trust;

/// <summary>Production's cookie settings: secure cookies, as outside Development.</summary>
public sealed class SecureCookiesFactory : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("EpiGrid:SecureCookies", "true")];
}

/// <summary>A first trial on an office LAN over plain HTTP (or a proxy not yet trusted): the pages need HTTPS for their
/// cookies. They say so, and which settings to change, instead of failing with a 500.</summary>
public sealed class PlainHttpTests(SecureCookiesFactory app) : IClassFixture<SecureCookiesFactory>
{
    [Theory]
    [InlineData("/Account/Login")]
    [InlineData("/Public/Register/610303002008")]
    public async Task Over_plain_http_a_page_explains_what_to_change_instead_of_a_500(string path)
    {
        var r = await app.Anonymous().GetAsync(path);
        var html = await r.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("HTTPS", html);
        Assert.Contains("EpiGrid__SecureCookies", html);
        Assert.Contains("EpiGrid__TrustedProxies", html);
    }

    [Fact]
    public async Task Over_https_the_sign_in_page_works_and_the_api_works_over_either()
    {
        var https = app.CreateClient(new() { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        var page = await https.GetAsync("/Account/Login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("__RequestVerificationToken", await page.Content.ReadAsStringAsync());
        // Programs use bearer tokens, which need no cookie: the API answers over plain HTTP as before.
        (await app.Anonymous().PostJsonAsync("/api/auth/login", new { userName = "grid1", password = AppFactory.Password })).EnsureStatus(HttpStatusCode.OK);
    }
}
