using System.Net;
using System.Net.Http.Json;
using EpiGrid.Features.Gates;
using EpiGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Tests.Gates;

/// <summary>The shared gate phone (G2): a keeper's own PIN resumes the locked page; another keeper's PIN makes the phone theirs.</summary>
public sealed class KeeperLockTests(GatesFactory app) : IClassFixture<GatesFactory>
{
    private async Task<Guid> EastGateAsync() => (await Demo.GateAsync(app, "春天大道东门")).Id;

    /// <summary>A second gate keeper of 春天大道东门, with a PIN.</summary>
    private async Task<(string UserName, Guid Id)> SecondKeeperAsync(string userName, string pin)
    {
        var admin = await app.As("admin");
        var r = await admin.PostJsonAsync("/api/users", new { userName, displayName = "夜班" + userName, phone = "13600001111", roles = new[] { "GateKeeper" },
            gateIds = new[] { await EastGateAsync() }, password = AppFactory.NewPassword });
        await r.ExpectAsync(HttpStatusCode.Created);
        var keeper = await app.As(userName);
        Assert.Equal(HttpStatusCode.NoContent, (await keeper.PutAsJsonAsync("/api/gates/pin", new { pin })).StatusCode);
        return (userName, await Demo.UserIdAsync(app, userName));
    }

    [Fact]
    public async Task APin_IsStoredHashed_AndMustBe4To6Digits()
    {
        var gate1 = await app.As("gate1");
        foreach (var bad in new[] { "12", "1234567", "12ab", "1111" })
        {
            var r = await gate1.PutAsJsonAsync("/api/gates/pin", new { pin = bad });
            Assert.Contains("pin", await r.ExpectAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.NoContent, (await gate1.PutAsJsonAsync("/api/gates/pin", new { pin = "2580" })).StatusCode);
        var id = await Demo.UserIdAsync(app, "gate1");
        var row = await app.WithDbAsync(db => db.Set<KeeperPin>().FirstAsync(p => p.UserId == id));
        Assert.DoesNotContain("2580", row.PinHash, StringComparison.Ordinal);

        var ok = await gate1.PostJsonAsync($"/api/gates/{await EastGateAsync()}/unlock", new { userName = "gate1", pin = "2580" });
        var body = await ok.JsonAsync();
        await ok.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("gate1", body["userName"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["csrfToken"]!.GetValue<string>()));
    }

    [Fact]
    public async Task FiveWrongPins_LockThePin_EvenTheRightOne()
    {
        var (name, _) = await SecondKeeperAsync("gatepin5", "4321");
        var gate1 = await app.As("gate1");
        var url = $"/api/gates/{await EastGateAsync()}/unlock";
        for (var i = 1; i <= 4; i++)
        {
            var wrong = await gate1.PostJsonAsync(url, new { userName = name, pin = "0000" });
            Assert.Contains($"还可再试 {5 - i} 次", await wrong.ExpectAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        }
        await (await gate1.PostJsonAsync(url, new { userName = name, pin = "0000" })).ExpectAsync(HttpStatusCode.TooManyRequests);
        var locked = await gate1.PostJsonAsync(url, new { userName = name, pin = "4321" });
        Assert.Contains("PIN 已锁定", await locked.ExpectAsync(HttpStatusCode.TooManyRequests), StringComparison.Ordinal);
        // Fifteen minutes later the right PIN works again.
        app.Clock.Advance(TimeSpan.FromMinutes(16));
        await (await gate1.PostJsonAsync(url, new { userName = name, pin = "4321" })).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AnotherKeepersPin_MakesThePhoneTheirs_AndTheirPassesAreRecordedAsTheirs()
    {
        var (name, id) = await SecondKeeperAsync("gatenight", "7391");
        var gate = await EastGateAsync();
        var gate1 = await app.As("gate1");

        // Someone who does not keep this gate cannot resume it, whatever the PIN.
        var notKeeper = await gate1.PostJsonAsync($"/api/gates/{gate}/unlock", new { userName = "grid1", pin = "7391" });
        Assert.Contains("userName", await notKeeper.ExpectAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);

        var r = await gate1.PostJsonAsync($"/api/gates/{gate}/unlock", new { userName = name, pin = "7391" });
        await r.ExpectAsync(HttpStatusCode.OK);
        var csrf = (await r.JsonAsync())["csrfToken"]!.GetValue<string>();
        var cookies = r.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).ToList();
        Assert.Contains(cookies, c => c.StartsWith("EpiGrid.Auth=", StringComparison.Ordinal));

        // The phone now carries the night keeper's sign-in: the next pass is theirs.
        using var phone = app.Anonymous();
        phone.DefaultRequestHeaders.Add("Cookie", string.Join("; ", cookies));
        phone.DefaultRequestHeaders.Add("RequestVerificationToken", csrf);
        var clientId = Guid.NewGuid();
        var pass = await phone.PostJsonAsync($"/api/gates/{gate}/passes", new { clientId, direction = "In", temperature = 36.2m,
            visitor = new { name = "换班访客", phone = "13800138000", idNumber = People.RegisterPersonTests.NewIdNumber() } });
        await pass.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(id, await app.WithDbAsync(db => db.Set<GatePass>().IgnoreQueryFilters().Where(p => p.ClientId == clientId).Select(p => p.ByUserId).FirstAsync()));
    }
    [Fact]
    public async Task AKeeperWithAnotherRole_CannotSetOrUseAPin_NoSessionIssued()
    {
        var admin = await app.As("admin");
        var gate = await EastGateAsync();
        var xiguan = await Demo.AreaAsync(app, "西关社区");
        var name = "gatemixed" + Guid.NewGuid().ToString("N")[..6];
        var r = await admin.PostJsonAsync("/api/users", new { userName = name, displayName = "兼网格员的值守", roles = new[] { "GateKeeper", "GridWorker" },
            areaIds = new[] { xiguan.Id }, gateIds = new[] { gate }, password = AppFactory.NewPassword });
        await r.ExpectAsync(HttpStatusCode.Created);
        var id = await Demo.UserIdAsync(app, name);

        // Setting a PIN is refused.
        var mixed = await app.As(name);
        var set = await mixed.PutAsJsonAsync("/api/gates/pin", new { pin = "3852" });
        Assert.Contains("pin", await set.ExpectAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.False(await app.WithDbAsync(db => db.Set<KeeperPin>().AnyAsync(p => p.UserId == id)));

        // A PIN left from before (an old database, or a role added later) does not sign the phone in as them.
        await app.WithDbAsync(async db =>
        {
            var row = new KeeperPin { UserId = id, SetAt = DateTime.UtcNow };
            row.PinHash = new Microsoft.AspNetCore.Identity.PasswordHasher<KeeperPin>().HashPassword(row, "3852");
            db.Add(row);
            await db.SaveChangesAsync();
        });
        var gate1 = await app.As("gate1");
        var unlock = await gate1.PostJsonAsync($"/api/gates/{gate}/unlock", new { userName = name, pin = "3852" });
        Assert.Contains("其他角色", await unlock.ExpectAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.False(unlock.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("EpiGrid.Auth=", StringComparison.Ordinal)));

        // A pure gate keeper still sets and uses theirs.
        var (pure, _) = await SecondKeeperAsync("gatepure" + Guid.NewGuid().ToString("N")[..6], "6240");
        await (await gate1.PostJsonAsync($"/api/gates/{gate}/unlock", new { userName = pure, pin = "6240" })).ExpectAsync(HttpStatusCode.OK);
    }
}
