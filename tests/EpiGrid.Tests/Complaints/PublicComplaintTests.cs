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

/// <summary>
/// Looking a ticket up by guessing: numbers are sequential and the secret is 4 digits, so the 5th wrong try in a row
/// locks the ticket's lookup for an hour; an unknown number, wrong digits and a locked ticket all get the same answer.
/// </summary>
public sealed partial class PublicComplaintLookupLockTests(ComplaintClockFactory app) : IClassFixture<ComplaintClockFactory>
{
    private static int _phone = 2000;

    /// <summary>Files a ticket from the public form with a phone of its own; returns its number and the last 4 digits.</summary>
    private async Task<(string Number, string Last4)> FileAsync()
    {
        var last4 = Interlocked.Increment(ref _phone).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var r = await app.Anonymous().PostJsonAsync("/api/public/complaints", new
        {
            category = "Enquiry", content = "返宝人员需要隔离几天？", complainantName = "赵先生", complainantPhone = "1389177" + last4, consent = true,
        });
        return (JsonNode.Parse(await r.ExpectAsync(HttpStatusCode.Created))!["number"]!.GetValue<string>(), last4);
    }

    private static string Wrong(string last4) => last4 == "0000" ? "0001" : "0000";

    /// <summary>The status, the content type and the problem body without its traceId.</summary>
    private async Task<string> AnswerAsync(HttpClient c, string number, string last4)
    {
        var r = await c.GetAsync($"/api/public/complaints/{number}?phoneLast4={last4}");
        var text = await r.Content.ReadAsStringAsync();
        var body = JsonNode.Parse(text)!.AsObject();
        body.Remove("traceId");
        return $"{(int)r.StatusCode} {r.Content.Headers.ContentType?.MediaType} {body.ToJsonString()}";
    }

    [Fact]
    public async Task FiveWrongTries_LockTheLookupForAnHour_EvenForTheRightDigits_ARightAnswerBeforeResets()
    {
        var anon = app.Anonymous();
        var (number, last4) = await FileAsync();
        var notFound = await AnswerAsync(anon, "XG19990101-0001", last4);
        Assert.StartsWith("404 application/problem+json", notFound, StringComparison.Ordinal);

        // Four wrong, then right: the count starts again.
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 4; i++) Assert.Equal(notFound, await AnswerAsync(anon, number, Wrong(last4)));
            await anon.GetJsonAsync($"/api/public/complaints/{number}?phoneLast4={last4}");
        }

        // The 5th wrong try in a row locks it: the right digits get the same answer as an unknown number.
        for (var i = 0; i < 5; i++) Assert.Equal(notFound, await AnswerAsync(anon, number, Wrong(last4)));
        Assert.Equal(notFound, await AnswerAsync(anon, number, last4));
        app.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(notFound, await AnswerAsync(anon, number, last4));
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var status = await anon.GetJsonAsync($"/api/public/complaints/{number}?phoneLast4={last4}");
        Assert.Equal(number, status["number"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownNumber_WrongDigits_Locked_AndMalformed_GetTheSameAnswer()
    {
        var anon = app.Anonymous();
        var (number, last4) = await FileAsync();
        var (locked, lockedLast4) = await FileAsync();
        for (var i = 0; i < 5; i++) await AnswerAsync(anon, locked, Wrong(lockedLast4));

        var unknown = await AnswerAsync(anon, "XG19990101-0001", last4);
        Assert.StartsWith("404 application/problem+json", unknown, StringComparison.Ordinal);
        Assert.Contains("一小时", System.Text.RegularExpressions.Regex.Unescape(unknown), StringComparison.Ordinal);
        Assert.Equal(unknown, await AnswerAsync(anon, number, Wrong(last4)));
        Assert.Equal(unknown, await AnswerAsync(anon, locked, lockedLast4));
        Assert.Equal(unknown, await AnswerAsync(anon, number, "12a4"));
        Assert.Equal(unknown, await AnswerAsync(anon, number, ""));
    }

    [Fact]
    public async Task ParallelWrongGuesses_CannotSlipPastTheLock()
    {
        var (number, last4) = await FileAsync();
        var guesses = Enumerable.Range(0, 10).Select(async i =>
        {
            using var c = app.Anonymous();
            var g = (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return (await c.GetAsync($"/api/public/complaints/{number}?phoneLast4={(g == last4 ? "0000" : g)}")).StatusCode;
        });
        Assert.All(await Task.WhenAll(guesses), s => Assert.Equal(HttpStatusCode.NotFound, s));
        await (await app.Anonymous().GetAsync($"/api/public/complaints/{number}?phoneLast4={last4}")).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WrongTries_DoNotFillTheAuditLog()
    {
        var (number, last4) = await FileAsync();
        var before = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Set<EpiGrid.Platform.Audit.AuditEntry>()));
        var anon = app.Anonymous();
        for (var i = 0; i < 6; i++) await AnswerAsync(anon, number, Wrong(last4));
        var after = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Set<EpiGrid.Platform.Audit.AuditEntry>()));
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task ThePage_SaysTheSameForAnUnknownNumber_WrongDigits_AndALockedTicket()
    {
        var (number, last4) = await FileAsync();
        var (locked, lockedLast4) = await FileAsync();
        var api = app.Anonymous();
        for (var i = 0; i < 5; i++) await AnswerAsync(api, locked, Wrong(lockedLast4));

        var page = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var token = Antiforgery().Match(await page.GetStringAsync("/Public/Complaint")).Groups[1].Value;
        async Task<string> LookUp(string n, string d)
        {
            var r = await page.PostAsync("/Public/Complaint?handler=Lookup", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Lookup.Number"] = n, ["Lookup.PhoneLast4"] = d, ["__RequestVerificationToken"] = token,
            }));
            var html = await r.ExpectAsync(HttpStatusCode.OK);
            return Result().Match(html).Value;
        }

        var unknown = await LookUp("XG19990101-0001", last4);
        Assert.Contains("没有找到该工单", unknown, StringComparison.Ordinal);
        Assert.Contains("一小时", unknown, StringComparison.Ordinal);
        Assert.Equal(unknown, await LookUp(number, Wrong(last4)));
        Assert.Equal(unknown, await LookUp(locked, lockedLast4));
        Assert.DoesNotContain("查询失败次数过多", unknown, StringComparison.Ordinal);
        Assert.Contains(number, await LookUp(number, last4), StringComparison.Ordinal);
    }

    [System.Text.RegularExpressions.GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex Antiforgery();

    [System.Text.RegularExpressions.GeneratedRegex("<div class=\"alert[^\"]*\" id=\"lookup-result\">.*?</div>", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex Result();
}
