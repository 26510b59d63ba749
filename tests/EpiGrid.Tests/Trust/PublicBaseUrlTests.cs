using System.Net;
using System.Text.Json.Nodes;
using EpiGrid.Platform.Web;
using EpiGrid.Tests.Infrastructure;
using QRCoder;

namespace EpiGrid.Tests.Trust;

/// <summary>The office's public address, as production sets it (EpiGrid__PublicBaseUrl).</summary>
public sealed class PublicBaseUrlFactory : AppFactory
{
    public const string Base = "https://xg.example.gov.cn";
    public PublicBaseUrlFactory() => PublicBaseUrl = Base + "/";
}

/// <summary>T3: links and QR codes handed to the public are built from the configured public address, never from the
/// request's Host header (which anyone can set); host filtering answers 400 to any other name.</summary>
public sealed class PublicBaseUrlTests(PublicBaseUrlFactory app) : IClassFixture<PublicBaseUrlFactory>
{
    private const string Community = "610303002008";

    [Fact]
    public async Task A_request_for_another_host_name_is_refused()
    {
        var client = app.Anonymous();
        var evil = new HttpRequestMessage(HttpMethod.Get, "/health");
        evil.Headers.Host = "evil.example";
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(evil)).StatusCode);
        var own = new HttpRequestMessage(HttpMethod.Get, "/health");
        own.Headers.Host = "xg.example.gov.cn";
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(own)).StatusCode);
        // The node itself (health checks, local tools) is still answered.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task The_registrations_page_prints_the_public_address()
    {
        var admin = await app.As("admin");
        var html = await (await admin.GetAsync("/Registrations")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains($"{PublicBaseUrlFactory.Base}/Public/Register/{Community}", html);
        Assert.DoesNotContain("http://localhost/Public/Register", html);
    }

    [Fact]
    public async Task The_qr_code_carries_the_public_address_whatever_the_host()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/public/registrations/{Community}/qr.png");
        request.Headers.Host = "localhost";
        var png = await (await app.Anonymous().SendAsync(request)).Content.ReadAsByteArrayAsync();
        Assert.Equal(Qr($"{PublicBaseUrlFactory.Base}/Public/Register/{Community}"), png);
    }

    [Fact]
    public async Task The_households_supplies_link_is_on_the_public_address()
    {
        var grid1 = await app.As("grid1");
        var personId = await Supplies.SuppliesApiTests.QuarantinedPersonAsync(app, grid1, "春天大道", "钱某");
        var link = JsonNode.Parse(await (await grid1.PostJsonAsync("/api/supplies/links", new { personId })).Content.ReadAsStringAsync())!;
        Assert.Equal($"{PublicBaseUrlFactory.Base}/Public/Supplies/{link["token"]!.GetValue<string>()}", link["url"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("https://xg.example.gov.cn/", "https://xg.example.gov.cn")]
    [InlineData("http://10.0.1.5:8080", "http://10.0.1.5:8080")]
    [InlineData("https://example.gov.cn/epigrid/", "https://example.gov.cn/epigrid")]
    public void The_setting_is_normalized(string setting, string expected) =>
        Assert.Equal(expected + "/Public/x", new PublicLinks(PublicLinks.Parse(setting)!).Url("/Public/x"));

    [Theory]
    [InlineData("xg.example.gov.cn")]
    [InlineData("ftp://xg.example.gov.cn")]
    [InlineData("https://xg.example.gov.cn/?a=1")]
    [InlineData("https://xg.example.gov.cn/#top")]
    public void A_bad_setting_is_refused_naming_it(string setting) =>
        Assert.Contains("EpiGrid__PublicBaseUrl", Assert.Throws<InvalidOperationException>(() => PublicLinks.Parse(setting)).Message);

    private static byte[] Qr(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(10);
    }
}

/// <summary>Outside Development the app does not start without the public address.</summary>
public sealed class PublicBaseUrlRequiredTests
{
    [Fact]
    public void Without_it_the_app_refuses_to_start_naming_the_setting()
    {
        using var app = new AppFactory { PublicBaseUrl = null };
        var e = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("EpiGrid__PublicBaseUrl", e.ToString());
    }
}
