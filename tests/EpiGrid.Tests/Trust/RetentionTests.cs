using System.Net;
using System.Text.Json.Nodes;
using EpiGrid.Features.Retention;
using EpiGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Trust;

public sealed class RetentionFactory : AppFactory
{
    protected override bool UseFakeClock => true;
    protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("EpiGrid:Retention:Days", "180")];
}

public sealed class RetentionTests(RetentionFactory app) : IClassFixture<RetentionFactory>
{
    private async Task<Guid> RegisterAsync(HttpClient grid, string name, string idNumber)
    {
        var r = await grid.PostJsonAsync("/api/people", new
        {
            name, gender = "Male", idNumber, phone = "13712345678", compoundId = (await Demo.AreaAsync(app, "春天大道")).Id,
            address = "春天大道5号楼1单元101", categories = new[] { "Returnee", "HomeObservation" },
            travel = new { from = "武汉", leftAt = "2020-02-01T08:00:00+08:00", arrivedAt = "2020-02-01T18:00:00+08:00", transport = "Rail", tripNumber = "G88" },
        });
        await r.ExpectAsync(HttpStatusCode.Created);
        return Guid.Parse((await r.JsonAsync())["id"]!.GetValue<string>());
    }

    private Task<HttpClient> FreshAsync(string user)
    {
        app.ForgetToken(user);
        return app.As(user);
    }

    private static async Task<string> StatisticsAsync(HttpClient c) => string.Join(" | ",
        (await c.GetJsonAsync("/api/people?category=Returnee"))["total"]!.ToJsonString(),
        (await c.GetJsonAsync("/api/people?category=HomeObservation"))["total"]!.ToJsonString(),
        (await c.GetJsonAsync("/api/people?status=Released"))["total"]!.ToJsonString(),
        (await c.GetJsonAsync("/api/people?status=Active"))["total"]!.ToJsonString(),
        (await c.GetJsonAsync("/api/gate-passes/counts")).ToJsonString(),
        (await c.GetJsonAsync("/api/coverage")).ToJsonString());

    [Fact]
    public async Task After_observation_ended_plus_the_retention_period_the_person_is_anonymised_and_the_statistics_stay()
    {
        var grid = await app.As("grid1");
        var idNumber = People.RegisterPersonTests.NewIdNumber();
        var expired = await RegisterAsync(grid, "退役甲", idNumber);
        var stillWatched = await RegisterAsync(grid, "在管乙", People.RegisterPersonTests.NewIdNumber());
        // They once came through a gate as a visitor with their ID number: the pass is linked to them.
        var gate = (await Demo.GateAsync(app, "春天大道东门")).Id;
        var passClient = Guid.NewGuid();
        await (await (await app.As("gate1")).PostJsonAsync($"/api/gates/{gate}/passes", new
        {
            clientId = passClient, direction = "In", temperature = 36.5m,
            visitor = new { name = "退役甲", phone = "13800138000", idNumber, from = "宝鸡", to = "春天大道" },
        })).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(expired, await app.WithDbAsync(db => db.Set<EpiGrid.Features.Gates.GatePass>().IgnoreQueryFilters()
            .Where(g => g.ClientId == passClient).Select(g => g.PersonId).FirstAsync()));
        // Under observation: an order that runs (one left Active with no order and no step for the period is due too).
        await (await grid.PostJsonAsync($"/api/people/{stillWatched}/quarantines", new { kind = "Home" })).ExpectAsync(HttpStatusCode.Created);
        var order = await (await grid.PostJsonAsync($"/api/people/{expired}/quarantines", new { kind = "Home" })).JsonAsync();
        await (await grid.PostJsonAsync($"/api/quarantines/{order["id"]}/close", new { status = "Released", note = "期满解除" })).ExpectAsync(HttpStatusCode.OK);

        using var scope = app.Services.CreateScope();
        var job = scope.ServiceProvider.GetRequiredService<AnonymiseExpired>();
        // 179 days after the end of observation: nothing yet.
        app.Clock.Advance(TimeSpan.FromDays(179));
        grid = await FreshAsync("grid1"); // tokens last a shift, not half a year
        Assert.Equal(0, await job.RunOnceAsync());
        Assert.Equal("退役甲", (await grid.GetJsonAsync($"/api/people/{expired}"))["name"]!.GetValue<string>());

        app.Clock.Advance(TimeSpan.FromDays(2));
        grid = await FreshAsync("grid1");
        var leader = await FreshAsync("leader");
        var before = await StatisticsAsync(leader);
        Assert.Equal(1, await job.RunOnceAsync());
        Assert.Equal(0, await job.RunOnceAsync()); // once
        Assert.Equal(before, await StatisticsAsync(leader));

        var p = await grid.GetJsonAsync($"/api/people/{expired}");
        Assert.Equal(AnonymiseExpired.Name, p["name"]!.GetValue<string>());
        Assert.Equal(AnonymiseExpired.Name, p["idNumberMasked"]!.GetValue<string>());
        Assert.Null(p["phoneMasked"]?.GetValue<string>());
        Assert.DoesNotContain("春天大道5号楼", p.ToJsonString());
        Assert.DoesNotContain("G88", p.ToJsonString());
        Assert.Contains("Returnee", p["categories"]!.ToJsonString());
        // Not findable by the ID number's last four digits any more; the stored columns hold nothing personal.
        Assert.Equal(0, (await grid.GetJsonAsync($"/api/people?q={idNumber[^4..]}"))["items"]!.AsArray().Count(i => i!["id"]!.GetValue<string>() == expired.ToString()));
        var row = await app.WithDbAsync(db => Task.FromResult(db.Set<EpiGrid.Features.People.Person>().Single(x => x.Id == expired)));
        Assert.Equal("", row.IdNumberCipher);
        Assert.Null(row.PhoneCipher);
        Assert.NotNull(row.AnonymisedAt);
        // The gate pass stays for the gate's counts, without the link, the name, or the ID number and phone it carried.
        var pass = await app.WithDbAsync(db => db.Set<EpiGrid.Features.Gates.GatePass>().IgnoreQueryFilters().FirstAsync(g => g.ClientId == passClient));
        Assert.Null(pass.PersonId);
        Assert.Equal(AnonymiseExpired.Name, pass.Name);
        Assert.Null(pass.VisitorIdNumberHash);
        Assert.Null(pass.VisitorIdNumberLast4);
        Assert.Null(pass.VisitorPhoneCipher);
        // The person still under observation is untouched; the audit chain holds.
        Assert.Equal("在管乙", (await grid.GetJsonAsync($"/api/people/{stillWatched}"))["name"]!.GetValue<string>());
        var chain = await (await app.As("auditor")).GetJsonAsync("/api/audit/verify");
        Assert.True(chain["intact"]!.GetValue<bool>(), chain.ToJsonString());
        var events = await (await app.As("auditor")).GetJsonAsync("/api/audit?action=Anonymise");
        Assert.Contains(events["items"]!.AsArray(), e => e!["entityId"]!.GetValue<string>() == expired.ToString());
    }
}

/// <summary>The links that would name an anonymised person again: the register's resident row and the passes made as that resident.</summary>
public sealed class RetentionLinkTests(RetentionFactory app) : IClassFixture<RetentionFactory>
{
    private Task<HttpClient> FreshAsync(string user)
    {
        app.ForgetToken(user);
        return app.As(user);
    }

    private async Task<Guid> RegisterAsync(HttpClient grid, string name, string idNumber, Guid householdId)
    {
        var r = await grid.PostJsonAsync("/api/people", new
        {
            name, gender = "Female", idNumber, phone = "13712345678", compoundId = (await Demo.AreaAsync(app, "春天大道")).Id, householdId,
            address = "春天大道8号楼", categories = new[] { "Returnee", "HomeObservation" },
        });
        await r.ExpectAsync(HttpStatusCode.Created);
        return Guid.Parse((await r.JsonAsync())["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_anonymised_person_s_passes_as_a_resident_are_no_longer_tied_to_the_resident_s_name_and_ID()
    {
        var grid = await FreshAsync("grid1");
        var idNumber = People.RegisterPersonTests.NewIdNumber(male: false);
        var spring = await Demo.AreaAsync(app, "春天大道");
        var household = await (await grid.PostJsonAsync("/api/households", new { compoundId = spring.Id, room = "8802" })).JsonAsync();
        var person = await RegisterAsync(grid, "住户丙", idNumber, Guid.Parse(household["id"]!.GetValue<string>()));
        Assert.NotNull(await app.WithDbAsync(db => db.Set<EpiGrid.Features.People.Person>().IgnoreQueryFilters().Where(p => p.Id == person).Select(p => p.HouseholdId).FirstAsync()));
        // The same woman is a resident of that household: she passes the gate as a resident, and the pass finds her file.
        var resident = await (await grid.PostJsonAsync($"/api/households/{household["id"]}/residents", new
        {
            name = "住户丙", relation = "户主", gender = "Female", idNumber, phone = "13712345678", type = "Resident",
        })).JsonAsync();
        var residentId = Guid.Parse(resident["id"]!.GetValue<string>());
        var gate = (await Demo.GateAsync(app, "春天大道东门")).Id;
        var passClient = Guid.NewGuid();
        await (await (await FreshAsync("gate1")).PostJsonAsync($"/api/gates/{gate}/passes", new
        {
            clientId = passClient, direction = "Out", temperature = 36.6m, personId = residentId,
        })).ExpectAsync(HttpStatusCode.Created);
        var day = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddHours(8));
        Assert.Equal(person, await app.WithDbAsync(db => db.Set<EpiGrid.Features.Gates.GatePass>().IgnoreQueryFilters()
            .Where(g => g.ClientId == passClient).Select(g => g.PersonId).FirstAsync()));
        // A case's building contacts link the register to the file too (CaseActions); here the link is made directly.
        await app.WithDbAsync(db => db.Set<EpiGrid.Features.Households.Resident>().IgnoreQueryFilters().Where(r => r.Id == residentId)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.PersonId, person)));
        // Her pass was made with the household's pass card, in a car, with a reason the keeper wrote: each ties the
        // movement back to the household or to her.
        await app.WithDbAsync(db => db.Set<EpiGrid.Features.Gates.GatePass>().IgnoreQueryFilters().Where(g => g.ClientId == passClient)
            .ExecuteUpdateAsync(u => u.SetProperty(g => g.PassCardId, Guid.NewGuid()).SetProperty(g => g.Plate, "陕C8802丙")
                .SetProperty(g => g.ApprovalReason, "住户丙就医复诊")));
        var order = await (await grid.PostJsonAsync($"/api/people/{person}/quarantines", new { kind = "Home" })).JsonAsync();
        await (await grid.PostJsonAsync($"/api/quarantines/{order["id"]}/close", new { status = "Released", note = "期满解除" })).ExpectAsync(HttpStatusCode.OK);

        app.Clock.Advance(TimeSpan.FromDays(181));
        using (var scope = app.Services.CreateScope()) Assert.True(await scope.ServiceProvider.GetRequiredService<AnonymiseExpired>().RunOnceAsync() >= 1);

        // The gate's records of that day: the pass is there (the counts), without her name, masked ID number or phone.
        var passes = await (await FreshAsync("leader")).GetJsonAsync($"/api/gates/{gate}/passes?date={day:yyyy-MM-dd}&pageSize=200");
        var item = passes["items"]!.AsArray().Single(p => p!["clientId"]!.GetValue<string>() == passClient.ToString())!;
        Assert.Equal(AnonymiseExpired.Name, item["name"]!.GetValue<string>());
        Assert.Null(item["idNumberMasked"]?.GetValue<string>());
        Assert.Null(item["phoneMasked"]?.GetValue<string>());
        Assert.Null(item["personId"]?.GetValue<string>());
        var stored = await app.WithDbAsync(db => db.Set<EpiGrid.Features.Gates.GatePass>().IgnoreQueryFilters().FirstAsync(g => g.ClientId == passClient));
        Assert.Null(stored.ResidentId);
        Assert.Null(stored.PassCardId);
        Assert.Null(stored.Plate);
        Assert.Null(stored.ApprovalReason);
        // The register no longer points at the anonymised file, nor the file at the household.
        Assert.Null(await app.WithDbAsync(db => db.Set<EpiGrid.Features.Households.Resident>().IgnoreQueryFilters().Where(r => r.Id == residentId).Select(r => r.PersonId).FirstAsync()));
        Assert.Null(await app.WithDbAsync(db => db.Set<EpiGrid.Features.People.Person>().IgnoreQueryFilters().Where(p => p.Id == person).Select(p => p.HouseholdId).FirstAsync()));
    }
}

/// <summary>A fever at the gate of a resident the register has no ID number for: no file is made, so the alert is the only
/// copy of the name; it goes with the gate passes' period.</summary>
public sealed class RetentionGateFeverTests(RetentionFactory app) : IClassFixture<RetentionFactory>
{
    [Fact]
    public async Task A_gate_fever_alert_naming_a_resident_with_no_file_loses_the_name_after_the_pass_period_and_keeps_its_kind_and_times()
    {
        app.ForgetToken("grid1");
        var grid = await app.As("grid1");
        var spring = await Demo.AreaAsync(app, "春天大道");
        var household = await (await grid.PostJsonAsync("/api/households", new { compoundId = spring.Id, room = "7703" })).JsonAsync();
        var resident = await (await grid.PostJsonAsync($"/api/households/{household["id"]}/residents", new
        {
            name = "门岗发热丁", relation = "户主", gender = "Male", type = "Resident",
        })).JsonAsync();
        var gate = (await Demo.GateAsync(app, "春天大道东门")).Id;
        app.ForgetToken("gate1");
        await (await (await app.As("gate1")).PostJsonAsync($"/api/gates/{gate}/passes", new
        {
            clientId = Guid.NewGuid(), direction = "In", temperature = 38.3m, personId = Guid.Parse(resident["id"]!.GetValue<string>()),
        })).ExpectAsync(HttpStatusCode.Created);
        var alert = await app.WithDbAsync(db => db.Set<EpiGrid.Features.Alerts.Alert>().IgnoreQueryFilters().SingleAsync(a => a.Subject.Contains("门岗发热丁")));
        Assert.Null(alert.PersonId);

        app.Clock.Advance(TimeSpan.FromDays(29));
        using (var scope = app.Services.CreateScope()) await scope.ServiceProvider.GetRequiredService<PurgeExpired>().RunOnceAsync();
        Assert.Contains("门岗发热丁", await app.WithDbAsync(db => db.Set<EpiGrid.Features.Alerts.Alert>().IgnoreQueryFilters().Where(a => a.Id == alert.Id).Select(a => a.Subject).SingleAsync()));

        app.Clock.Advance(TimeSpan.FromDays(2));
        using (var scope = app.Services.CreateScope()) Assert.True((await scope.ServiceProvider.GetRequiredService<PurgeExpired>().RunOnceAsync()).GateFeverAlerts >= 1);
        var after = await app.WithDbAsync(db => db.Set<EpiGrid.Features.Alerts.Alert>().IgnoreQueryFilters().SingleAsync(a => a.Id == alert.Id));
        Assert.Equal(AnonymiseExpired.Name, after.Subject);
        Assert.Equal((alert.Kind, alert.AreaId, alert.GateId, alert.CreatedAt, alert.Status), (after.Kind, after.AreaId, after.GateId, after.CreatedAt, after.Status));
        // The register keeps the resident (they still live there) and the pass keeps its link to them.
        Assert.True(await app.WithDbAsync(db => db.Set<EpiGrid.Features.Households.Resident>().IgnoreQueryFilters().AnyAsync(r => r.Name == "门岗发热丁")));
    }
}

public sealed class ZeroPeriodFactory : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("EpiGrid:Retention:VisitorPassDays", "0")];
}

/// <summary>An operator who writes 0 meaning "off" must not have every visitor's pass stripped at the next run.</summary>
public sealed class RetentionSettingsTests
{
    [Fact]
    public void A_retention_period_of_zero_days_stops_the_start_instead_of_removing_every_record_at_once()
    {
        using var app = new ZeroPeriodFactory();
        var e = Assert.ThrowsAny<Exception>(() => app.Services);
        Assert.Contains("VisitorPassDays", e.ToString());
    }
}
