using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EpiGrid.Data;
using EpiGrid.Features.People;
using EpiGrid.Features.Supplies;
using EpiGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EpiGrid.Tests.Supplies;

/// <summary>
/// A household's supplies link: only the token's hash is stored, the token is shown once; a link ends when the requests
/// made with it are all delivered or cancelled, and 7 days after it was made; an ended link answers like an unknown one.
/// </summary>
public sealed class SupplyLinkTests(SuppliesClockFactory app) : IClassFixture<SuppliesClockFactory>
{
    private static async Task<JsonNode> CreatedAsync(HttpResponseMessage r) => JsonNode.Parse(await r.ExpectAsync(HttpStatusCode.Created))!;

    /// <summary>Every value of every row of a table, read with plain SQL, as one string.</summary>
    public static Task<string> RawTableAsync(AppFactory app, string table) => app.WithDbAsync(async db =>
    {
        var conn = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = $"SELECT * FROM \"{table}\"";
            var text = new StringBuilder();
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var v = reader.GetValue(i);
                    text.Append(v is byte[] bytes ? Encoding.UTF8.GetString(bytes) + Convert.ToHexString(bytes) : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                }
                text.Append('\n');
            }
            return text.ToString();
        }
        finally { await db.Database.CloseConnectionAsync(); }
    });

    /// <summary>How a token is kept: SHA-256 of its UTF-8 bytes, lower-case hex.</summary>
    public static string Sha256Hex(string token) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private async Task<HttpClient> Grid1Async()
    {
        app.ForgetToken("grid1");
        return await app.As("grid1");
    }

    private static async Task<string> StateAsync(HttpClient grid1, string personId) =>
        (await grid1.GetJsonAsync($"/api/supplies/links?personId={personId}"))["items"]!.AsArray()[0]!["state"]!.GetValue<string>();

    private static async Task<List<string>> OpenRequestsAsync(HttpClient grid1, string personId) =>
        [.. (await grid1.GetJsonAsync($"/api/supplies?personId={personId}&pageSize=200"))["items"]!.AsArray()
            .Where(r => r!["status"]!.GetValue<string>() is "Open" or "Assigned").Select(r => r!["id"]!.GetValue<string>())];

    [Fact]
    public async Task MakingALink_StoresOnlyTheTokensHash_ShowsTheTokenOnce_AndRegeneratingRevokesTheOldOne()
    {
        _ = app.Services;
        var grid1 = await Grid1Async();
        var personId = await SuppliesApiTests.QuarantinedPersonAsync(app, grid1, "春天大道", "冯某");
        var link = await CreatedAsync(await grid1.PostJsonAsync("/api/supplies/links", new { personId }));
        var token = link["token"]!.GetValue<string>();
        Assert.True(token.Length >= 32, token);

        var raw = await RawTableAsync(app, "SupplyLink");
        Assert.DoesNotContain(token, raw);
        Assert.Contains(Sha256Hex(token), raw);
        // The audit log records the link being made, but neither its token nor the hash that opens it.
        var audit = await RawTableAsync(app, "AuditLog");
        Assert.Contains(link["id"]!.GetValue<string>(), audit, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(token, audit);
        Assert.DoesNotContain(Sha256Hex(token), audit);
        Assert.Equal(link["createdAt"]!.GetValue<DateTimeOffset>().AddDays(7), link["expiresAt"]!.GetValue<DateTimeOffset>());
        await (await app.Anonymous().GetAsync($"/api/public/supplies/{token}")).ExpectAsync(HttpStatusCode.OK);

        // Shown once: asking again does not give the token back.
        var again = await (await grid1.PostJsonAsync("/api/supplies/links", new { personId })).ExpectAsync(HttpStatusCode.Conflict);
        Assert.DoesNotContain(token, again);
        Assert.Contains("重新生成", again);
        var state = (await grid1.GetJsonAsync($"/api/supplies/links?personId={personId}"))["items"]!.AsArray();
        Assert.Equal("Active", Assert.Single(state)!["state"]!.GetValue<string>());
        Assert.DoesNotContain(token, state.ToJsonString());

        // The staff page shows the link's state, never its address.
        var page = await grid1.GetAsync($"/Supplies/Link/{personId}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain(token, html);
        Assert.Contains("link-state", html);

        // Regenerating revokes the old link and makes a new one, shown in this answer.
        var fresh = await CreatedAsync(await grid1.PostJsonAsync("/api/supplies/links/regenerate", new { personId }));
        var token2 = fresh["token"]!.GetValue<string>();
        Assert.NotEqual(token, token2);
        await (await app.Anonymous().GetAsync($"/api/public/supplies/{token}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await app.Anonymous().GetAsync($"/api/public/supplies/{token2}")).ExpectAsync(HttpStatusCode.OK);
        var states = (await grid1.GetJsonAsync($"/api/supplies/links?personId={personId}"))["items"]!.AsArray().Select(i => i!["state"]!.GetValue<string>());
        Assert.Equal(["Active", "Revoked"], states);
        raw = await RawTableAsync(app, "SupplyLink");
        Assert.DoesNotContain(token2, raw);
    }

    [Fact]
    public async Task ALink_WorksUntilEveryRequestMadeWithItIsDeliveredOrCancelled_ThenAnswersLikeAnUnknownOne()
    {
        _ = app.Services;
        var grid1 = await Grid1Async();
        var personId = await SuppliesApiTests.QuarantinedPersonAsync(app, grid1, "春天大道", "褚某");
        // A request the grid worker made, delivered, is not the link's: the link still works.
        var own = await CreatedAsync(await grid1.PostJsonAsync("/api/supplies", new { personId, items = new[] { "大米" } }));
        await (await grid1.PostJsonAsync($"/api/supplies/{own["id"]!.GetValue<string>()}/delivered", new { deliveredBy = "王芳" })).ExpectAsync(HttpStatusCode.OK);
        var token = (await CreatedAsync(await grid1.PostJsonAsync("/api/supplies/links", new { personId })))["token"]!.GetValue<string>();
        var anon = app.Anonymous();
        await (await anon.GetAsync($"/api/public/supplies/{token}")).ExpectAsync(HttpStatusCode.OK);

        await (await anon.PostJsonAsync($"/api/public/supplies/{token}", new { items = new[] { "挂面" }, consent = true })).ExpectAsync(HttpStatusCode.Created);
        await (await anon.PostJsonAsync($"/api/public/supplies/{token}", new { items = new[] { "牛奶" }, consent = true })).ExpectAsync(HttpStatusCode.Created);
        var open = await OpenRequestsAsync(grid1, personId);
        Assert.Equal(2, open.Count);
        await (await grid1.PostJsonAsync($"/api/supplies/{open[0]}/delivered", new { deliveredBy = "王芳" })).ExpectAsync(HttpStatusCode.OK);
        // One still open: the household still follows it.
        await (await anon.GetAsync($"/api/public/supplies/{token}")).ExpectAsync(HttpStatusCode.OK);
        await (await grid1.PostJsonAsync($"/api/supplies/{open[1]}/delivered", new { deliveredBy = "王芳" })).ExpectAsync(HttpStatusCode.OK);

        // The same answer as an unknown token's, but for the trace id.
        static string Untraced(string body) => System.Text.RegularExpressions.Regex.Replace(body, "\"traceId\":\"[^\"]*\"", "");
        var unknown = await (await anon.GetAsync("/api/public/supplies/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(Untraced(unknown), Untraced(await (await anon.GetAsync($"/api/public/supplies/{token}")).ExpectAsync(HttpStatusCode.NotFound)));
        await (await anon.PostJsonAsync($"/api/public/supplies/{token}", new { items = new[] { "挂面" }, consent = true })).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await anon.GetAsync($"/Public/Supplies/{token}")).StatusCode);
        Assert.Equal("Used", await StateAsync(grid1, personId));

        // Cancelled ends it too.
        var token2 = (await CreatedAsync(await grid1.PostJsonAsync("/api/supplies/links", new { personId })))["token"]!.GetValue<string>();
        await (await anon.PostJsonAsync($"/api/public/supplies/{token2}", new { items = new[] { "蔬菜" }, consent = true })).ExpectAsync(HttpStatusCode.Created);
        await (await anon.GetAsync($"/api/public/supplies/{token2}")).ExpectAsync(HttpStatusCode.OK);
        var id = Assert.Single(await OpenRequestsAsync(grid1, personId));
        await (await grid1.PostJsonAsync($"/api/supplies/{id}/cancel", new { reason = "家属已送" })).ExpectAsync(HttpStatusCode.OK);
        await (await anon.GetAsync($"/api/public/supplies/{token2}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await anon.PostJsonAsync($"/api/public/supplies/{token2}", new { items = new[] { "蔬菜" }, consent = true })).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal("Used", await StateAsync(grid1, personId));
    }

    [Fact]
    public async Task ALink_StopsSevenDaysAfterItWasMade()
    {
        _ = app.Services;
        var grid1 = await Grid1Async();
        var personId = await SuppliesApiTests.QuarantinedPersonAsync(app, grid1, "春天大道", "卫某");
        var token = (await CreatedAsync(await grid1.PostJsonAsync("/api/supplies/links", new { personId })))["token"]!.GetValue<string>();
        var anon = app.Anonymous();
        app.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        await (await anon.GetAsync($"/api/public/supplies/{token}")).ExpectAsync(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await (await anon.GetAsync($"/api/public/supplies/{token}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await anon.PostJsonAsync($"/api/public/supplies/{token}", new { items = new[] { "挂面" }, consent = true })).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await anon.GetAsync($"/Public/Supplies/{token}")).StatusCode);
        grid1 = await Grid1Async();
        Assert.Equal("Expired", await StateAsync(grid1, personId));
        // An expired link is no longer the person's link: a new one can be made without regenerating.
        await CreatedAsync(await grid1.PostJsonAsync("/api/supplies/links", new { personId }));
    }

    [Fact]
    public async Task ThePageShowingANewLinksAddress_IsNeverCached()
    {
        _ = app.Services;
        var grid1 = await Grid1Async();
        var personId = await SuppliesApiTests.QuarantinedPersonAsync(app, grid1, "春天大道", "韩某");
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        static string Antiforgery(string html) =>
            System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var login = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "grid1", ["Password"] = AppFactory.Password, ["__RequestVerificationToken"] = Antiforgery(await client.GetStringAsync("/Account/Login")),
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var form = await client.GetStringAsync($"/Supplies/Link/{personId}");
        var made = await client.PostAsync($"/Supplies/Link/{personId}", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = Antiforgery(form) }));
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        Assert.Contains("/Public/Supplies/", await made.Content.ReadAsStringAsync());
        Assert.True(made.Headers.CacheControl?.NoStore == true, $"Cache-Control: {made.Headers.CacheControl}");
        var again = await client.PostAsync($"/Supplies/Link/{personId}?handler=Regenerate", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = Antiforgery(form) }));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True(again.Headers.CacheControl?.NoStore == true, $"Cache-Control: {again.Headers.CacheControl}");
    }

    [Fact]
    public async Task RegeneratingAndRevoking_StopOnlyTheWorkingLink_UsedAndExpiredOnesKeepTheirState()
    {
        _ = app.Services;
        var grid1 = await Grid1Async();
        var personId = await SuppliesApiTests.QuarantinedPersonAsync(app, grid1, "春天大道", "杨某");
        var anon = app.Anonymous();
        // One used (its request delivered), one expired, one working.
        var used = (await CreatedAsync(await grid1.PostJsonAsync("/api/supplies/links", new { personId })))["token"]!.GetValue<string>();
        await (await anon.PostJsonAsync($"/api/public/supplies/{used}", new { items = new[] { "挂面" }, consent = true })).ExpectAsync(HttpStatusCode.Created);
        await (await grid1.PostJsonAsync($"/api/supplies/{Assert.Single(await OpenRequestsAsync(grid1, personId))}/delivered", new { deliveredBy = "王芳" })).ExpectAsync(HttpStatusCode.OK);
        await CreatedAsync(await grid1.PostJsonAsync("/api/supplies/links", new { personId }));
        app.Clock.Advance(TimeSpan.FromDays(8));
        grid1 = await Grid1Async();
        await CreatedAsync(await grid1.PostJsonAsync("/api/supplies/links", new { personId }));
        async Task<string[]> States() => [.. (await grid1.GetJsonAsync($"/api/supplies/links?personId={personId}"))["items"]!.AsArray().Select(i => i!["state"]!.GetValue<string>())];
        Assert.Equal(["Active", "Expired", "Used"], await States());

        await CreatedAsync(await grid1.PostJsonAsync("/api/supplies/links/regenerate", new { personId }));
        Assert.Equal(["Active", "Revoked", "Expired", "Used"], await States());
        await (await grid1.PostJsonAsync("/api/supplies/links/revoke", new { personId })).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(["Revoked", "Revoked", "Expired", "Used"], await States());
    }

    [Fact]
    public async Task SharesAndRegeneratesAtTheSameMoment_LeaveExactlyOneWorkingLink()
    {
        _ = app.Services;
        var grid1 = await Grid1Async();
        var personId = await SuppliesApiTests.QuarantinedPersonAsync(app, grid1, "春天大道", "并发某");
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            grid1.PostJsonAsync(i % 2 == 0 ? "/api/supplies/links" : "/api/supplies/links/regenerate", new { personId })));
        foreach (var a in answers)
        {
            Assert.True(a.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"{a.StatusCode}: {await a.Content.ReadAsStringAsync()}");
        }
        var states = (await grid1.GetJsonAsync($"/api/supplies/links?personId={personId}"))["items"]!.AsArray().Select(i => i!["state"]!.GetValue<string>()).ToList();
        Assert.Equal(answers.Count(a => a.StatusCode == HttpStatusCode.Created), states.Count);
        Assert.Single(states, s => s == "Active");
        // The tokens handed out: only one of them opens the household's page.
        var tokens = new List<string>();
        foreach (var a in answers.Where(a => a.StatusCode == HttpStatusCode.Created)) tokens.Add(JsonNode.Parse(await a.Content.ReadAsStringAsync())!["token"]!.GetValue<string>());
        var anon = app.Anonymous();
        var opening = 0;
        foreach (var t in tokens) if ((await anon.GetAsync($"/Public/Supplies/{t}")).StatusCode == HttpStatusCode.OK) opening++;
        Assert.Equal(1, opening);
    }

    [Fact]
    public async Task TheListOfLinks_CountsEveryLink_ThoughItShowsTheNewest20()
    {
        _ = app.Services;
        var grid1 = await Grid1Async();
        var personId = await SuppliesApiTests.QuarantinedPersonAsync(app, grid1, "春天大道", "朱某");
        await CreatedAsync(await grid1.PostJsonAsync("/api/supplies/links", new { personId }));
        for (var i = 0; i < 21; i++) await CreatedAsync(await grid1.PostJsonAsync("/api/supplies/links/regenerate", new { personId }));
        var list = await grid1.GetJsonAsync($"/api/supplies/links?personId={personId}");
        Assert.Equal(20, list["items"]!.AsArray().Count);
        Assert.Equal(22, list["total"]!.GetValue<int>());
    }
}

public sealed class SupplyLinkMigrationFactory : AppFactory
{
    protected override bool UseFakeClock => true;
}

/// <summary>
/// A link stored in clear before the TokenHash migration: its token may have been copied into the audit log, so both
/// providers revoke it and overwrite the column; migrating back down revokes the hashed links and overwrites their hashes,
/// which the older code would otherwise take for tokens.
/// </summary>
public sealed class SupplyLinkMigrationTests(SupplyLinkMigrationFactory app) : IClassFixture<SupplyLinkMigrationFactory>
{
    /// <summary>The migration before the hashing one (each provider has its own ids).</summary>
    private const string Before = "_ComplaintLookupLock";

    private static string BeforeId(AppDbContext db) => db.Database.GetMigrations().Single(m => m.EndsWith(Before, StringComparison.Ordinal));

    [Fact]
    public async Task AClearTextLinkFromBeforeTheMigration_IsRevokedAndKeepsNoTokenInTheDatabase()
    {
        _ = app.Services;
        var grid1 = await app.As("grid1");
        var personId = Guid.Parse(await SuppliesApiTests.QuarantinedPersonAsync(app, grid1, "春天大道", "蒋某"));
        var token = SupplyLink.NewToken();
        var createdAt = app.Clock.GetUtcNow().UtcDateTime.AddDays(-2);
        await app.WithDbAsync(async db =>
        {
            var person = await db.Set<Person>().IgnoreQueryFilters().SingleAsync(p => p.Id == personId);
            var userId = await db.Users.Where(u => u.UserName == "grid1").Select(u => u.Id).SingleAsync();
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync(BeforeId(db));
            var id = Guid.CreateVersion7();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "SupplyLink" ("Id", "Token", "PersonId", "HouseholdId", "CompoundId", "CreatedAt", "CreatedById", "RevokedAt")
                VALUES ({id}, {token}, {personId}, NULL, {person.CompoundId}, {createdAt}, {userId}, NULL)
                """);
            await migrator.MigrateAsync();
        });

        var raw = await SupplyLinkTests.RawTableAsync(app, "SupplyLink");
        Assert.DoesNotContain(token, raw);
        Assert.DoesNotContain(SupplyLinkTests.Sha256Hex(token), raw);
        var link = (await grid1.GetJsonAsync($"/api/supplies/links?personId={personId}"))["items"]!.AsArray().Single()!;
        Assert.Equal(createdAt.AddDays(7), link["expiresAt"]!.GetValue<DateTimeOffset>().UtcDateTime, TimeSpan.FromSeconds(1));
        Assert.Equal("Revoked", link["state"]!.GetValue<string>());
        var anon = app.Anonymous();
        await (await anon.GetAsync($"/api/public/supplies/{token}")).ExpectAsync(HttpStatusCode.NotFound);
        // The grid worker makes a new one.
        await (await grid1.PostJsonAsync("/api/supplies/links", new { personId })).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task MigratingDown_RevokesEveryLink_AndLeavesNoHashThatTheOlderCodeWouldTakeForAToken()
    {
        _ = app.Services;
        var grid1 = await app.As("grid1");
        var personId = await SuppliesApiTests.QuarantinedPersonAsync(app, grid1, "春天大道", "沈某");
        var token = (JsonNode.Parse(await (await grid1.PostJsonAsync("/api/supplies/links", new { personId })).ExpectAsync(HttpStatusCode.Created)))!["token"]!.GetValue<string>();
        var hash = SupplyLinkTests.Sha256Hex(token);
        await app.WithDbAsync(async db =>
        {
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync(BeforeId(db));
            try
            {
                // What the older code looked up: a row whose Token is the address's token and that is not revoked.
                var usable = await db.Database.SqlQuery<int>($"""SELECT COUNT(*) AS "Value" FROM "SupplyLink" WHERE "RevokedAt" IS NULL""").SingleAsync();
                Assert.Equal(0, usable);
                var byHash = await db.Database.SqlQuery<int>($"""SELECT COUNT(*) AS "Value" FROM "SupplyLink" WHERE "Token" = {hash}""").SingleAsync();
                Assert.Equal(0, byHash);
                var overwritten = await db.Database.SqlQuery<int>($"""SELECT COUNT(*) AS "Value" FROM "SupplyLink" WHERE "Token" LIKE 'revoked-%'""").SingleAsync();
                Assert.True(overwritten > 0);
            }
            finally { await migrator.MigrateAsync(); }
        });
        Assert.DoesNotContain(hash, await SupplyLinkTests.RawTableAsync(app, "SupplyLink"));
    }
}
