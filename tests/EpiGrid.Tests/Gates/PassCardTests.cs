using System.Net;
using System.Net.Http.Json;
using EpiGrid.Features.Gates;
using EpiGrid.Features.PassCards;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Gates;

/// <summary>Pass cards (出入证, G2): a card's token finds its household at the gate; a revoked card is refused; the outing limit warns.</summary>
public sealed class PassCardTests(GatesFactory app) : IClassFixture<GatesFactory>
{
    private async Task<Guid> EastGateAsync() => (await Demo.GateAsync(app, "春天大道东门")).Id;

    /// <summary>A household of two in 春天大道 with a card; returns the household, its residents and the card's token.</summary>
    internal static async Task<(Guid Household, Guid First, Guid Second, Guid CardId, string Token)> HouseholdWithCardAsync(AppFactory app, string a, string b)
    {
        var (first, _) = await GatePassTests.ResidentAsync(app, a);
        var household = await app.WithDbAsync(db => db.Set<EpiGrid.Features.Households.Resident>().IgnoreQueryFilters().Where(r => r.Id == first).Select(r => r.HouseholdId).FirstAsync());
        var grid1 = await app.As("grid1");
        var r2 = await grid1.PostJsonAsync($"/api/households/{household}/residents", new { name = b, relation = "配偶", gender = "Female", idNumber = RegisterPersonTests.NewIdNumber(), phone = "13912340000", type = "Resident" });
        await r2.ExpectAsync(HttpStatusCode.Created);
        var second = Guid.Parse((await r2.JsonAsync())["id"]!.GetValue<string>());
        var issued = await grid1.PostJsonAsync("/api/pass-cards", new { householdId = household });
        await issued.ExpectAsync(HttpStatusCode.Created);
        var json = await issued.JsonAsync();
        return (household, first, second, Guid.Parse(json["id"]!.GetValue<string>()), json["token"]!.GetValue<string>());
    }

    [Fact]
    public async Task ACard_ShownAtAnotherCompoundsGate_FindsNothing_AndAPassNamingItThereIsRefused()
    {
        var (_, first, _, cardId, token) = await HouseholdWithCardAsync(app, "外区甲", "外区乙");
        var other = (await Demo.GateAsync(app, "西关小区正门")).Id;
        // A keeper of that other compound's gate.
        var userName = $"gk{Guid.NewGuid():N}"[..12];
        await (await (await app.As("admin")).PostJsonAsync("/api/users", new
        {
            userName, displayName = "西关小区值守", phone = "13700002222", roles = new[] { "GateKeeper" }, gateIds = new[] { other }, password = "Gate#2020x",
        })).ExpectAsync(HttpStatusCode.Created);
        var keeper = await app.As(userName, "Gate#2020x");
        await (await keeper.PostJsonAsync($"/api/gates/{other}/card-scans", new { token = PassCard.QrPrefix + token })).ExpectAsync(HttpStatusCode.NotFound);
        var clientId = Guid.NewGuid();
        var refused = await keeper.PostJsonAsync($"/api/gates/{other}/passes", new
        {
            clientId, direction = "Out", temperature = 36.5m, passCardId = cardId, personId = first,
        });
        var problem = await refused.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("passCardId", problem);
        Assert.Contains("本小区没有这张出入证", problem);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<GatePass>().IgnoreQueryFilters().CountAsync(p => p.ClientId == clientId)));
    }

    [Fact]
    public async Task CardsIssuedAtTheSameMoment_AllGetCreated_EachWithItsOwnNumber()
    {
        var grid1 = await app.As("grid1");
        var households = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            var (resident, _) = await GatePassTests.ResidentAsync(app, $"同时发证{i}");
            households.Add(await app.WithDbAsync(db => db.Set<EpiGrid.Features.Households.Resident>().IgnoreQueryFilters()
                .Where(r => r.Id == resident).Select(r => r.HouseholdId).FirstAsync()));
        }
        var answers = await Task.WhenAll(households.Select(h => grid1.PostJsonAsync("/api/pass-cards", new { householdId = h })));
        foreach (var a in answers) await a.ExpectAsync(HttpStatusCode.Created);
        var numbers = await app.WithDbAsync(db => db.Set<PassCard>().IgnoreQueryFilters()
            .Where(c => households.Contains(c.HouseholdId)).Select(c => c.Number).ToListAsync());
        Assert.Equal(6, numbers.Count);
        Assert.Equal(6, numbers.Distinct().Count());
    }

    [Fact]
    public async Task TwoCardsForOneHouseholdAtTheSameMoment_LeaveExactlyOneInForce()
    {
        var grid1 = await app.As("grid1");
        var (resident, _) = await GatePassTests.ResidentAsync(app, "同户两证");
        var household = await app.WithDbAsync(db => db.Set<EpiGrid.Features.Households.Resident>().IgnoreQueryFilters()
            .Where(r => r.Id == resident).Select(r => r.HouseholdId).FirstAsync());
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => grid1.PostJsonAsync("/api/pass-cards", new { householdId = household })));
        foreach (var a in answers) await a.ExpectAsync(HttpStatusCode.Created);
        var cards = await app.WithDbAsync(db => db.Set<PassCard>().IgnoreQueryFilters().Where(c => c.HouseholdId == household).ToListAsync());
        Assert.Equal(4, cards.Count);
        // The gate accepts only a card in force: one, the last issued.
        var inForce = Assert.Single(cards, c => c.RevokedAt == null);
        Assert.Equal(cards.Max(c => c.Number), inForce.Number);
    }

    [Fact]
    public async Task ACardsToken_FindsItsHousehold_MembersMasked_AndThePassRecordsTheCard()
    {
        var (_, first, second, cardId, token) = await HouseholdWithCardAsync(app, "卡甲", "卡乙");
        // Only the token's hash is stored; the QR code carries nothing personal.
        var stored = await app.WithDbAsync(db => db.Set<PassCard>().IgnoreQueryFilters().FirstAsync(c => c.Id == cardId));
        Assert.NotEqual(token, stored.TokenHash);
        Assert.Equal(PassCard.Hash(token), stored.TokenHash);

        var gate1 = await app.As("gate1");
        var scan = await gate1.PostJsonAsync($"/api/gates/{await EastGateAsync()}/card-scans", new { token = PassCard.QrPrefix + token });
        var body = await scan.ExpectAsync(HttpStatusCode.OK);
        var hit = await scan.JsonAsync();
        var members = hit["members"]!.AsArray().Select(m => m!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["卡乙", "卡甲"], members.Order().ToList());
        Assert.DoesNotContain("13912340000", body, StringComparison.Ordinal);
        Assert.Contains("139****0000", body, StringComparison.Ordinal);
        Assert.Null(hit["lastUsedAt"]);
        Assert.Null(hit["warning"]);

        // One tap on a member: the pass names them and the card.
        var pass = await gate1.PostJsonAsync($"/api/gates/{await EastGateAsync()}/passes", new { clientId = Guid.NewGuid(), direction = "Out", temperature = 36.4m, personId = second, passCardId = cardId });
        await pass.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(cardId, await app.WithDbAsync(db => db.Set<GatePass>().IgnoreQueryFilters().Where(p => p.ResidentId == second).Select(p => p.PassCardId).FirstAsync()));
        var again = await (await gate1.PostJsonAsync($"/api/gates/{await EastGateAsync()}/card-scans", new { token })).JsonAsync();
        Assert.NotNull(again["lastUsedAt"]);

        // A card does not carry a stranger: a resident of another household is refused with the card.
        var (stranger, _) = await GatePassTests.ResidentAsync(app, "卡外人");
        var wrong = await gate1.PostJsonAsync($"/api/gates/{await EastGateAsync()}/passes", new { clientId = Guid.NewGuid(), direction = "In", temperature = 36.4m, personId = stranger, passCardId = cardId });
        Assert.Contains("personId", await wrong.ExpectAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);

        // An unknown token, or a card shown at another compound's gate, finds nothing.
        await (await gate1.PostJsonAsync($"/api/gates/{await EastGateAsync()}/card-scans", new { token = "nope" + token })).ExpectAsync(HttpStatusCode.NotFound);
        _ = first;
    }

    [Fact]
    public async Task AResidentWhoMovedOut_IsRefusedWithTheHouseholdsCard_ButAPassTakenBeforeTheMoveOutStillUploads()
    {
        var (household, first, second, cardId, _) = await HouseholdWithCardAsync(app, "迁出卡甲", "迁出卡乙");
        var grid1 = await app.As("grid1");
        var gate1 = await app.As("gate1");
        var gate = await EastGateAsync();
        // A pass taken yesterday, while they lived there, reaches the server only after the move-out (queued on the phone).
        var before = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await (await grid1.PostJsonAsync($"/api/households/{household}/residents/{second}/move-out", new { })).ExpectAsync(HttpStatusCode.OK);

        var clientId = Guid.NewGuid();
        var refused = await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new { clientId, direction = "In", temperature = 36.4m, personId = second, passCardId = cardId });
        var problem = await refused.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("personId", problem, StringComparison.Ordinal);
        Assert.Contains("已迁出", problem, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<GatePass>().IgnoreQueryFilters().CountAsync(p => p.ClientId == clientId)));

        var queued = await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new { clientId = Guid.NewGuid(), direction = "Out", temperature = 36.4m, takenAt = before.AddDays(-1), personId = second, passCardId = cardId });
        await queued.ExpectAsync(HttpStatusCode.Created);
        // The household's other member still passes with the card.
        await (await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new { clientId = Guid.NewGuid(), direction = "In", temperature = 36.4m, personId = first, passCardId = cardId })).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task ARevokedCard_IsRefused_AtTheScanAndOnThePass()
    {
        var (household, first, _, cardId, token) = await HouseholdWithCardAsync(app, "注销甲", "注销乙");
        var grid1 = await app.As("grid1");
        await (await grid1.PostJsonAsync($"/api/pass-cards/{cardId}/revoke", new { reason = "遗失" })).ExpectAsync(HttpStatusCode.NoContent);

        var gate1 = await app.As("gate1");
        var scan = await gate1.PostJsonAsync($"/api/gates/{await EastGateAsync()}/card-scans", new { token });
        var problem = await scan.ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal("application/problem+json", scan.Content.Headers.ContentType?.MediaType);
        Assert.Contains("已于", problem, StringComparison.Ordinal);
        Assert.Contains("注销", problem, StringComparison.Ordinal);

        var clientId = Guid.NewGuid();
        var pass = await gate1.PostJsonAsync($"/api/gates/{await EastGateAsync()}/passes", new { clientId, direction = "Out", temperature = 36.4m, personId = first, passCardId = cardId });
        await pass.ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<GatePass>().IgnoreQueryFilters().CountAsync(p => p.ClientId == clientId)));

        // A new card for the household works; issuing it revoked nothing else (the old one was already revoked).
        var fresh = await (await grid1.PostJsonAsync("/api/pass-cards", new { householdId = household })).JsonAsync();
        await (await gate1.PostJsonAsync($"/api/gates/{await EastGateAsync()}/card-scans", new { token = fresh["token"]!.GetValue<string>() })).ExpectAsync(HttpStatusCode.OK);
        // The old token stays refused.
        await (await gate1.PostJsonAsync($"/api/gates/{await EastGateAsync()}/card-scans", new { token })).ExpectAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task IssuingANewCard_RevokesTheOldOne()
    {
        var (household, _, _, cardId, token) = await HouseholdWithCardAsync(app, "补发甲", "补发乙");
        var grid1 = await app.As("grid1");
        await (await grid1.PostJsonAsync("/api/pass-cards", new { householdId = household })).ExpectAsync(HttpStatusCode.Created);
        var gate1 = await app.As("gate1");
        await (await gate1.PostJsonAsync($"/api/gates/{await EastGateAsync()}/card-scans", new { token })).ExpectAsync(HttpStatusCode.Conflict);
        var list = await grid1.GetJsonAsync($"/api/pass-cards?householdId={household}");
        Assert.Equal(2, list["total"]!.GetValue<int>());
        Assert.True(list["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == cardId.ToString())!["revoked"]!.GetValue<bool>());
    }

}

/// <summary>The outing limit moves the clock by days: its own app, so other tests' sign-ins do not expire under them.</summary>
public sealed class OutingLimitFactory : AppFactory
{
    protected override bool UseFakeClock => true;
}

public sealed class OutingLimitTests(OutingLimitFactory app) : IClassFixture<OutingLimitFactory>
{
    private async Task<Guid> EastGateAsync() => (await Demo.GateAsync(app, "春天大道东门")).Id;

    // A bearer token lasts a shift (12 h): after days on the fake clock, sign in again.
    private Task<HttpClient> SignInAgainAsync(string user)
    {
        app.ForgetToken(user);
        return app.As(user);
    }

    [Fact]
    public async Task TheOutingLimit_WarnsWhenTheHouseholdWentOutTooRecently_AndTheKeeperDecides()
    {
        var compound = (await Demo.AreaAsync(app, "春天大道")).Id;
        var (_, first, second, cardId, token) = await PassCardTests.HouseholdWithCardAsync(app, "限行甲", "限行乙");
        var leader = await app.As("leader");
        var put = await leader.PutAsJsonAsync($"/api/pass-cards/outing-limits/{compound}", new { days = 2 });
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        // Only a leader decides it: a grid worker may not.
        var grid1 = await app.As("grid1");
        Assert.Equal(HttpStatusCode.Forbidden, (await grid1.PutAsJsonAsync($"/api/pass-cards/outing-limits/{compound}", new { days = 5 })).StatusCode);
        await (await leader.PutAsJsonAsync($"/api/pass-cards/outing-limits/{compound}", new { days = 0 })).ExpectAsync(HttpStatusCode.BadRequest);

        var gate1 = await app.As("gate1");
        var gate = await EastGateAsync();
        var before = await (await gate1.PostJsonAsync($"/api/gates/{gate}/card-scans", new { token })).JsonAsync();
        Assert.Equal(2, before["outingLimitDays"]!.GetValue<int>());
        Assert.Null(before["warning"]);

        // 限行甲 goes out with the card; the next day 限行乙 shows the card: warned, and may still be let out.
        await (await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new { clientId = Guid.NewGuid(), direction = "Out", temperature = 36.5m, personId = first, passCardId = cardId }))
            .ExpectAsync(HttpStatusCode.Created);
        app.Clock.Advance(TimeSpan.FromDays(1));
        gate1 = await SignInAgainAsync("gate1");
        var warned = await (await gate1.PostJsonAsync($"/api/gates/{gate}/card-scans", new { token })).JsonAsync();
        Assert.Contains("限行甲", warned["warning"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("每 2 天", warned["warning"]!.GetValue<string>(), StringComparison.Ordinal);
        await (await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new { clientId = Guid.NewGuid(), direction = "Out", temperature = 36.5m, personId = second, passCardId = cardId, approvalReason = "就医" }))
            .ExpectAsync(HttpStatusCode.Created);

        // Two days after the last outing: no warning.
        app.Clock.Advance(TimeSpan.FromDays(2.1));
        gate1 = await SignInAgainAsync("gate1");
        leader = await SignInAgainAsync("leader");
        Assert.Null((await (await gate1.PostJsonAsync($"/api/gates/{gate}/card-scans", new { token })).JsonAsync())["warning"]);

        // Lifted: no limit at all.
        Assert.Equal(HttpStatusCode.NoContent, (await leader.PutAsJsonAsync($"/api/pass-cards/outing-limits/{compound}", new { days = (int?)null })).StatusCode);
        Assert.Null((await (await gate1.PostJsonAsync($"/api/gates/{gate}/card-scans", new { token })).JsonAsync())["outingLimitDays"]);
    }
}
