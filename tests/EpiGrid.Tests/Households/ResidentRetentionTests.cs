using System.Net;
using EpiGrid.Features.Gates;
using EpiGrid.Features.Households;
using EpiGrid.Features.PassCards;
using EpiGrid.Features.Retention;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Households;

/// <summary>Resident periods apart from the resident passes' period, so that each rule is seen on its own.</summary>
public sealed class ResidentRetentionFactory : AppFactory
{
    protected override bool UseFakeClock => true;
    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
        [new("EpiGrid:Retention:ResidentDays", "30"), new("EpiGrid:Retention:ResidentPassDays", "90")];
}

/// <summary>A resident who moved out, a deregistered household, a resident's gate pass: each kept for its period, then gone.</summary>
public sealed class ResidentRetentionTests(ResidentRetentionFactory app) : IClassFixture<ResidentRetentionFactory>
{
    private async Task<HttpClient> FreshAsync(string user)
    {
        app.ForgetToken(user);
        return await app.As(user);
    }

    private async Task<PurgeExpired.Counts> PurgeAsync()
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<PurgeExpired>().RunOnceAsync();
    }

    private async Task<(Guid Household, Guid Resident)> ResidentAsync(HttpClient grid, string name)
    {
        var spring = await Demo.AreaAsync(app, "春天大道");
        var h = await grid.PostJsonAsync("/api/households", new { compoundId = spring.Id, unit = "2", room = "R" + Guid.NewGuid().ToString("N")[..8], note = name + "家，老人独居" });
        await h.ExpectAsync(HttpStatusCode.Created);
        var household = Guid.Parse((await h.JsonAsync())["id"]!.GetValue<string>());
        var r = await grid.PostJsonAsync($"/api/households/{household}/residents", new { name, relation = "户主", gender = "Male", idNumber = RegisterPersonTests.NewIdNumber(), phone = "13712340000", type = "Resident" });
        await r.ExpectAsync(HttpStatusCode.Created);
        return (household, Guid.Parse((await r.JsonAsync())["id"]!.GetValue<string>()));
    }

    private async Task<Guid> PassAsync(Guid resident)
    {
        var gate = (await Demo.GateAsync(app, "春天大道东门")).Id;
        var client = Guid.NewGuid();
        await (await (await FreshAsync("gate1")).PostJsonAsync($"/api/gates/{gate}/passes", new { clientId = client, direction = "In", temperature = 36.5m, personId = resident }))
            .ExpectAsync(HttpStatusCode.Created);
        return await app.WithDbAsync(db => db.Set<GatePass>().IgnoreQueryFilters().Where(g => g.ClientId == client).Select(g => g.Id).FirstAsync());
    }

    private Task<GatePass> StoredPassAsync(Guid id) => app.WithDbAsync(db => db.Set<GatePass>().IgnoreQueryFilters().AsNoTracking().FirstAsync(g => g.Id == id));

    [Fact]
    public async Task A_moved_out_resident_is_deleted_after_the_period_and_not_before_and_their_passes_lose_the_link_and_the_name()
    {
        var grid = await FreshAsync("grid1");
        var (household, resident) = await ResidentAsync(grid, "迁出留存甲");
        var pass = await PassAsync(resident);
        await (await grid.PostJsonAsync($"/api/households/{household}/residents/{resident}/move-out", new { })).ExpectAsync(HttpStatusCode.OK);

        app.Clock.Advance(TimeSpan.FromDays(29));
        await PurgeAsync();
        Assert.True(await app.WithDbAsync(db => db.Set<Resident>().IgnoreQueryFilters().AnyAsync(r => r.Id == resident)));
        Assert.Equal(resident, (await StoredPassAsync(pass)).ResidentId);

        app.Clock.Advance(TimeSpan.FromDays(2));
        Assert.True((await PurgeAsync()).Residents >= 1);
        Assert.False(await app.WithDbAsync(db => db.Set<Resident>().IgnoreQueryFilters().AnyAsync(r => r.Id == resident)));
        var stored = await StoredPassAsync(pass);
        Assert.Null(stored.ResidentId);
        Assert.Equal(AnonymiseExpired.Name, stored.Name);
        Assert.Equal((PassDirection.In, 36.5m, PassOutcome.Admitted), (stored.Direction, stored.Temperature, stored.Outcome));
        // The move-out cannot be undone once the row is gone.
        await (await (await FreshAsync("grid1")).DeleteAsync($"/api/households/{household}/residents/{resident}/move-out")).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_move_out_undone_before_the_period_keeps_the_resident()
    {
        var grid = await FreshAsync("grid1");
        var (household, resident) = await ResidentAsync(grid, "撤销留存乙");
        await (await grid.PostJsonAsync($"/api/households/{household}/residents/{resident}/move-out", new { })).ExpectAsync(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromDays(20));
        grid = await FreshAsync("grid1");
        await (await grid.DeleteAsync($"/api/households/{household}/residents/{resident}/move-out")).ExpectAsync(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromDays(20));
        await PurgeAsync();
        Assert.True(await app.WithDbAsync(db => db.Set<Resident>().IgnoreQueryFilters().AnyAsync(r => r.Id == resident && !r.MovedOut)));
    }

    [Fact]
    public async Task A_deregistered_household_loses_its_residents_note_and_address_after_the_period_and_stays_for_the_counts()
    {
        var grid = await FreshAsync("grid1");
        var (household, resident) = await ResidentAsync(grid, "注销留存丙");
        var room = await app.WithDbAsync(db => db.Set<Household>().Where(h => h.Id == household).Select(h => h.Room).FirstAsync());
        await (await grid.PostJsonAsync($"/api/households/{household}/visits", new { outcome = "AllWell", occupants = 1, note = "注销留存丙在家" })).ExpectAsync(HttpStatusCode.Created);
        var card = await (await grid.PostJsonAsync("/api/pass-cards", new { householdId = household })).JsonAsync();
        var cardId = Guid.Parse(card["id"]!.GetValue<string>());
        var pass = await PassAsync(resident);
        await app.WithDbAsync(db => db.Set<GatePass>().IgnoreQueryFilters().Where(g => g.Id == pass).ExecuteUpdateAsync(u => u.SetProperty(g => g.PassCardId, cardId)));
        await (await grid.PostJsonAsync($"/api/households/{household}/deregistration", new { })).ExpectAsync(HttpStatusCode.OK);

        app.Clock.Advance(TimeSpan.FromDays(29));
        await PurgeAsync();
        var kept = await app.WithDbAsync(db => db.Set<Household>().IgnoreQueryFilters().AsNoTracking().FirstAsync(h => h.Id == household));
        Assert.Equal((room, "注销留存丙家，老人独居"), (kept.Room, kept.Note));
        Assert.Null(kept.PurgedAt);

        app.Clock.Advance(TimeSpan.FromDays(2));
        var leader = await FreshAsync("leader");
        var counts = await leader.GetJsonAsync("/api/gate-passes/counts");
        Assert.True((await PurgeAsync()).Households >= 1);
        var purged = await app.WithDbAsync(db => db.Set<Household>().IgnoreQueryFilters().AsNoTracking().FirstAsync(h => h.Id == household));
        Assert.Equal(("", "", null, null), (purged.Unit, purged.Room, purged.Note, purged.BuildingId));
        Assert.NotNull(purged.PurgedAt);
        Assert.NotNull(purged.DeregisteredAt);
        Assert.False(await app.WithDbAsync(db => db.Set<Resident>().IgnoreQueryFilters().AnyAsync(r => r.HouseholdId == household)));
        var stored = await StoredPassAsync(pass);
        Assert.Equal((null, null, AnonymiseExpired.Name), (stored.ResidentId, stored.PassCardId, stored.Name));
        Assert.Null(await app.WithDbAsync(db => db.Set<ScreeningVisit>().IgnoreQueryFilters().Where(v => v.HouseholdId == household).Select(v => v.Note).FirstAsync()));
        Assert.True(await app.WithDbAsync(db => db.Set<PassCard>().IgnoreQueryFilters().AnyAsync(c => c.Id == cardId && c.RevokedAt != null)));
        Assert.Equal(counts.ToJsonString(), (await leader.GetJsonAsync("/api/gate-passes/counts")).ToJsonString());

        // Undoing is refused; the page and the API show a deregistered household without its address; the address is free again.
        grid = await FreshAsync("grid1");
        await (await grid.DeleteAsync($"/api/households/{household}/deregistration")).ExpectAsync(HttpStatusCode.Conflict);
        var detail = await grid.GetJsonAsync($"/api/households/{household}");
        Assert.True(detail["household"]!["purged"]!.GetValue<bool>());
        Assert.DoesNotContain(room, detail.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("注销留存丙", detail.ToJsonString(), StringComparison.Ordinal);
        var spring = await Demo.AreaAsync(app, "春天大道");
        await (await grid.PostJsonAsync("/api/households", new { compoundId = spring.Id, unit = "2", room })).ExpectAsync(HttpStatusCode.Created);
    }

    private string DaysBack(int days) => app.Services.GetRequiredService<EpiGrid.Platform.OfficeClock>().Today.AddDays(-days).ToString("yyyy-MM-dd");

    [Fact]
    public async Task A_move_out_dated_60_days_back_is_kept_and_undoable_for_the_whole_period_from_when_it_was_recorded()
    {
        var grid = await FreshAsync("grid1");
        var (household, resident) = await ResidentAsync(grid, "补录迁出戊");
        var (household2, resident2) = await ResidentAsync(grid, "补录迁出己");
        foreach (var (h, r) in new[] { (household, resident), (household2, resident2) })
        {
            await (await grid.PostJsonAsync($"/api/households/{h}/residents/{r}/move-out", new { date = DaysBack(60) })).ExpectAsync(HttpStatusCode.OK);
        }
        await PurgeAsync();
        Assert.True(await app.WithDbAsync(db => db.Set<Resident>().IgnoreQueryFilters().AnyAsync(r => r.Id == resident)));
        await (await grid.DeleteAsync($"/api/households/{household}/residents/{resident}/move-out")).ExpectAsync(HttpStatusCode.OK);

        app.Clock.Advance(TimeSpan.FromDays(29));
        await PurgeAsync();
        Assert.True(await app.WithDbAsync(db => db.Set<Resident>().IgnoreQueryFilters().AnyAsync(r => r.Id == resident2)));
        app.Clock.Advance(TimeSpan.FromDays(2));
        await PurgeAsync();
        Assert.False(await app.WithDbAsync(db => db.Set<Resident>().IgnoreQueryFilters().AnyAsync(r => r.Id == resident2)));
        Assert.True(await app.WithDbAsync(db => db.Set<Resident>().IgnoreQueryFilters().AnyAsync(r => r.Id == resident && !r.MovedOut)));
    }

    [Fact]
    public async Task A_deregistration_dated_60_days_back_is_kept_and_undoable_for_the_whole_period_from_when_it_was_recorded()
    {
        var grid = await FreshAsync("grid1");
        var (household, resident) = await ResidentAsync(grid, "补录注销庚");
        var (household2, _) = await ResidentAsync(grid, "补录注销辛");
        foreach (var h in new[] { household, household2 })
        {
            await (await grid.PostJsonAsync($"/api/households/{h}/deregistration", new { date = DaysBack(60) })).ExpectAsync(HttpStatusCode.OK);
        }
        await PurgeAsync();
        Assert.Null(await app.WithDbAsync(db => db.Set<Household>().IgnoreQueryFilters().Where(h => h.Id == household).Select(h => h.PurgedAt).FirstAsync()));
        await (await grid.DeleteAsync($"/api/households/{household}/deregistration")).ExpectAsync(HttpStatusCode.OK);
        await (await grid.DeleteAsync($"/api/households/{household}/residents/{resident}/move-out")).ExpectAsync(HttpStatusCode.OK);

        app.Clock.Advance(TimeSpan.FromDays(31));
        await PurgeAsync();
        Assert.NotNull(await app.WithDbAsync(db => db.Set<Household>().IgnoreQueryFilters().Where(h => h.Id == household2).Select(h => h.PurgedAt).FirstAsync()));
        Assert.False(await app.WithDbAsync(db => db.Set<Resident>().IgnoreQueryFilters().AnyAsync(r => r.HouseholdId == household2)));
        // The household undone keeps its living resident and its address.
        Assert.True(await app.WithDbAsync(db => db.Set<Resident>().IgnoreQueryFilters().AnyAsync(r => r.Id == resident && !r.MovedOut)));
        Assert.Null(await app.WithDbAsync(db => db.Set<Household>().IgnoreQueryFilters().Where(h => h.Id == household).Select(h => h.PurgedAt).FirstAsync()));
    }

    [Fact]
    public async Task The_purge_s_writes_recheck_their_condition_so_ids_read_before_an_undo_leave_the_resident_and_the_household_alone()
    {
        var grid = await FreshAsync("grid1");
        var (household, resident) = await ResidentAsync(grid, "过期编号壬");
        var (household2, resident2) = await ResidentAsync(grid, "过期编号癸");
        var pass = await PassAsync(resident);
        await (await grid.PostJsonAsync($"/api/households/{household}/residents/{resident}/move-out", new { })).ExpectAsync(HttpStatusCode.OK);
        await (await grid.PostJsonAsync($"/api/households/{household2}/deregistration", new { })).ExpectAsync(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromDays(31));
        var cutoff = app.Clock.GetUtcNow().UtcDateTime.AddDays(-30);
        // Both undone after the purge would have read their ids.
        grid = await FreshAsync("grid1");
        await (await grid.DeleteAsync($"/api/households/{household}/residents/{resident}/move-out")).ExpectAsync(HttpStatusCode.OK);
        await (await grid.DeleteAsync($"/api/households/{household2}/deregistration")).ExpectAsync(HttpStatusCode.OK);
        await (await grid.DeleteAsync($"/api/households/{household2}/residents/{resident2}/move-out")).ExpectAsync(HttpStatusCode.OK);

        using var scope = app.Services.CreateScope();
        var purge = scope.ServiceProvider.GetRequiredService<PurgeExpired>();
        Assert.Equal(0, await purge.DeleteMovedOutResidentsAsync([resident], cutoff, default));
        Assert.Equal(0, await purge.PurgeHouseholdsAsync([household2], cutoff, default));
        Assert.True(await app.WithDbAsync(db => db.Set<Resident>().IgnoreQueryFilters().AnyAsync(r => r.Id == resident)));
        Assert.Equal(resident, (await StoredPassAsync(pass)).ResidentId);
        Assert.True(await app.WithDbAsync(db => db.Set<Resident>().IgnoreQueryFilters().AnyAsync(r => r.Id == resident2)));
        var kept = await app.WithDbAsync(db => db.Set<Household>().IgnoreQueryFilters().AsNoTracking().FirstAsync(h => h.Id == household2));
        Assert.Null(kept.PurgedAt);
        Assert.NotEqual("", kept.Room);
    }

    [Fact]
    public async Task A_resident_s_pass_loses_name_plate_reason_and_card_after_its_period_and_keeps_gate_time_direction_temperature_outcome()
    {
        var grid = await FreshAsync("grid1");
        var (household, resident) = await ResidentAsync(grid, "通行留存丁");
        var card = await (await grid.PostJsonAsync("/api/pass-cards", new { householdId = household })).JsonAsync();
        var cardId = Guid.Parse(card["id"]!.GetValue<string>());
        var pass = await PassAsync(resident);
        await app.WithDbAsync(db => db.Set<GatePass>().IgnoreQueryFilters().Where(g => g.Id == pass)
            .ExecuteUpdateAsync(u => u.SetProperty(g => g.PassCardId, cardId).SetProperty(g => g.Plate, "陕C1234丁").SetProperty(g => g.ApprovalReason, "通行留存丁就医")));
        var before = await StoredPassAsync(pass);

        app.Clock.Advance(TimeSpan.FromDays(89));
        await PurgeAsync();
        var kept = await StoredPassAsync(pass);
        Assert.Equal(("通行留存丁", "陕C1234丁", "通行留存丁就医", (Guid?)cardId, (Guid?)resident), (kept.Name, kept.Plate, kept.ApprovalReason, kept.PassCardId, kept.ResidentId));

        app.Clock.Advance(TimeSpan.FromDays(2));
        Assert.True((await PurgeAsync()).ResidentPasses >= 1);
        var after = await StoredPassAsync(pass);
        Assert.Equal((AnonymiseExpired.Name, null, null, null, null), (after.Name, after.Plate, after.ApprovalReason, after.PassCardId, after.ResidentId));
        Assert.Equal((before.GateId, before.TakenAt, before.Direction, before.Temperature, before.Fever, before.Outcome, before.Visitor),
            (after.GateId, after.TakenAt, after.Direction, after.Temperature, after.Fever, after.Outcome, after.Visitor));
        // The resident still lives there: the register keeps them.
        Assert.True(await app.WithDbAsync(db => db.Set<Resident>().IgnoreQueryFilters().AnyAsync(r => r.Id == resident)));
        Assert.Equal(0, (await PurgeAsync()).ResidentPasses); // once
    }
}

public sealed class ResidentRetentionSettingsTests
{
    private sealed class Zero(string key) : AppFactory
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("EpiGrid:Retention:" + key, "0")];
    }

    [Theory]
    [InlineData("ResidentDays")]
    [InlineData("ResidentPassDays")]
    public void A_resident_period_of_zero_days_stops_the_start(string key)
    {
        using var app = new Zero(key);
        var e = Assert.ThrowsAny<Exception>(() => app.Services);
        Assert.Contains(key, e.ToString(), StringComparison.Ordinal);
    }
}
