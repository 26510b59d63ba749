using System.Net;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Complaints;

/// <summary>Residents, without an account: file a complaint (with consent), look it up by number and phone.</summary>
public sealed class PublicComplaintTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static object Filing(bool? consent = true, string phone = "13800005678") => new
    {
        category = "Help", content = "我家在居家隔离，孩子的奶粉快吃完了。", complainantName = "陈女士", complainantPhone = phone, consent,
    };

    [Fact]
    public async Task Lookup_RightNumberAndPhone_GivesStatusAndReply_WrongPhoneIs404()
    {
        var anon = app.Anonymous();
        var r = await anon.PostJsonAsync("/api/public/complaints", Filing());
        var filed = JsonNode.Parse(await r.ExpectAsync(HttpStatusCode.Created))!;
        var number = filed["number"]!.GetValue<string>();
        Assert.Matches(@"^XG\d{8}-\d{4}$", number);

        var status = await anon.GetJsonAsync($"/api/public/complaints/{number}?phoneLast4=5678");
        Assert.Equal(number, status["number"]!.GetValue<string>());
        Assert.Equal("Received", status["status"]!.GetValue<string>());
        // Only the status and the reply: nothing of the complainant, the content or the handling.
        var json = status.ToJsonString();
        Assert.DoesNotContain("陈女士", json, StringComparison.Ordinal);
        Assert.DoesNotContain("奶粉", json, StringComparison.Ordinal);
        Assert.DoesNotContain("5678", json.Replace(number, "", StringComparison.Ordinal), StringComparison.Ordinal);

        await (await anon.GetAsync($"/api/public/complaints/{number}?phoneLast4=1234")).ExpectAsync(HttpStatusCode.NotFound);
        await (await anon.GetAsync($"/api/public/complaints/{number}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await anon.GetAsync("/api/public/complaints/XG20000101-9999?phoneLast4=5678")).ExpectAsync(HttpStatusCode.NotFound);

        // The desk sees it (online channel), handles it, and the resident sees the reply.
        var hotline = await app.As("hotline");
        var list = await hotline.GetJsonAsync($"/api/complaints?q={number}");
        var item = list["items"]!.AsArray().Single();
        Assert.Equal("Online", item!["channel"]!.GetValue<string>());
        var id = item["id"]!.GetValue<Guid>();
        var grid1 = await Demo.UserIdAsync(app, "grid1");
        await (await hotline.PostJsonAsync($"/api/complaints/{id}/dispatch", new { handlerId = grid1, responderId = grid1 })).ExpectAsync(HttpStatusCode.OK);
        await (await hotline.PostJsonAsync($"/api/complaints/{id}/reply", new { text = "网格员今天下午送奶粉上门。" })).ExpectAsync(HttpStatusCode.OK);
        status = await anon.GetJsonAsync($"/api/public/complaints/{number.ToLowerInvariant()}?phoneLast4=5678");
        Assert.Equal("Replied", status["status"]!.GetValue<string>());
        Assert.Equal("网格员今天下午送奶粉上门。", status["reply"]!.GetValue<string>());
    }

    [Fact]
    public async Task Filing_WithoutConsent_Is400()
    {
        var anon = app.Anonymous();
        foreach (var consent in new bool?[] { false, null })
        {
            var r = await anon.PostJsonAsync("/api/public/complaints", Filing(consent));
            var body = JsonNode.Parse(await r.ExpectAsync(HttpStatusCode.BadRequest))!;
            Assert.NotNull(body["errors"]!["consent"]);
        }
    }

    [Fact]
    public async Task PublicPage_ShowsThePrivacyNotice_AndOpensWithoutSignIn()
    {
        var anon = app.Anonymous();
        var r = await anon.GetAsync("/Public/Complaint");
        var html = await r.ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("个人信息", html, StringComparison.Ordinal);
        Assert.Contains("Consent", html, StringComparison.Ordinal);
    }
}

/// <summary>A low public limit: the next request is 429 with Retry-After, as problem+json.</summary>
public sealed class PublicRateLimitTests(PublicRateLimitTests.LowLimit app) : IClassFixture<PublicRateLimitTests.LowLimit>
{
    public sealed class LowLimit : AppFactory
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("EpiGrid:RateLimits:PublicPerMinute", "3")];
    }

    [Fact]
    public async Task PublicEndpoints_OverTheLimit_Are429WithRetryAfter()
    {
        var anon = app.Anonymous();
        for (var i = 0; i < 3; i++)
        {
            var ok = await anon.GetAsync("/api/public/complaints/XG20200207-0001?phoneLast4=0000");
            Assert.NotEqual(HttpStatusCode.TooManyRequests, ok.StatusCode);
        }
        var r = await anon.GetAsync("/api/public/complaints/XG20200207-0001?phoneLast4=0000");
        await r.ExpectAsync(HttpStatusCode.TooManyRequests);
        Assert.True(r.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After");
        // Staff routes are not limited by it.
        var hotline = await app.As("hotline");
        await hotline.GetJsonAsync("/api/complaints");
    }
}
