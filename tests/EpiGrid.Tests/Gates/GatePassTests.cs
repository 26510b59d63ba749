using System.Net;
using EpiGrid.Features.Alerts;
using EpiGrid.Features.Gates;
using EpiGrid.Features.Tasks;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Tests.Gates;

public sealed class GatesFactory : AppFactory
{
    protected override bool UseFakeClock => true;
}

/// <summary>The gate's register (docs/api.md, "Gates") on a fake clock (2020-02-07 10:00 Baoji time).</summary>
public sealed class GatePassTests(GatesFactory app) : IClassFixture<GatesFactory>
{
    private static int _room = 100 + Random.Shared.Next(0, 500);

    private async Task<Guid> EastGateAsync() => (await Demo.GateAsync(app, "春天大道东门")).Id;

    /// <summary>A household with one resident in <paramref name="compound"/>, registered by grid1; returns the resident's id.</summary>
    public static async Task<(Guid Resident, string Room)> ResidentAsync(AppFactory app, string name, string? idNumber = null, string compound = "春天大道", string phone = "13912345678")
    {
        var grid1 = await app.As("grid1");
        var room = Interlocked.Increment(ref _room).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var h = await grid1.PostJsonAsync("/api/households", new { compoundId = (await Demo.AreaAsync(app, compound)).Id, unit = "9", room });
        await h.ExpectAsync(HttpStatusCode.Created);
        var hid = (await h.JsonAsync())["id"]!.GetValue<string>();
        var r = await grid1.PostJsonAsync($"/api/households/{hid}/residents", new { name, relation = "户主", gender = "Male", idNumber = idNumber ?? RegisterPersonTests.NewIdNumber(), phone, type = "Resident" });
        await r.ExpectAsync(HttpStatusCode.Created);
        return (Guid.Parse((await r.JsonAsync())["id"]!.GetValue<string>()), room);
    }

    private static object Visitor(string name = "王访客") => new { name, phone = "13800138000", idNumber = RegisterPersonTests.NewIdNumber(), from = "宝鸡市渭滨区", to = "春天大道 3 号楼" };

    private Task<int> RowsAsync(Guid clientId) => app.WithDbAsync(db => db.Set<GatePass>().IgnoreQueryFilters().CountAsync(p => p.ClientId == clientId));

    [Fact]
    public async Task TheSameClientIdTwice_IsStoredOnce_AndAnswersTheSameId()
    {
        var gate1 = await app.As("gate1");
        var clientId = Guid.NewGuid();
        var body = new { clientId, direction = "In", temperature = 36.5m, visitor = Visitor(), takenAt = "2020-02-07T09:58:00+08:00" };
        var first = await gate1.PostJsonAsync($"/api/gates/{await EastGateAsync()}/passes", body);
        await first.ExpectAsync(HttpStatusCode.Created);
        var second = await gate1.PostJsonAsync($"/api/gates/{await EastGateAsync()}/passes", body);
        await second.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((await first.JsonAsync())["id"]!.GetValue<string>(), (await second.JsonAsync())["id"]!.GetValue<string>());
        Assert.Equal(1, await RowsAsync(clientId));
        var stored = await app.WithDbAsync(db => db.Set<GatePass>().IgnoreQueryFilters().FirstAsync(p => p.ClientId == clientId));
        Assert.Equal(new DateTime(2020, 2, 7, 1, 58, 0, DateTimeKind.Utc), stored.TakenAt);
        Assert.NotEqual(stored.TakenAt, stored.ReceivedAt);
    }

    [Fact]
    public async Task HundredConcurrentPasses_AreHundredRows_EachStoredBeforeItsAnswer()
    {
        var gate1 = await app.As("gate1");
        var gate = await EastGateAsync();
        var ids = Enumerable.Range(0, 100).Select(_ => Guid.NewGuid()).ToArray();
        var missingAtAnswer = 0;
        await Task.WhenAll(ids.Select(async id =>
        {
            var r = await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new { clientId = id, direction = "Out", temperature = 36.4m, visitor = Visitor() });
            await r.ExpectAsync(HttpStatusCode.Created);
            // Answered: the row must already be there.
            if (await RowsAsync(id) != 1) Interlocked.Increment(ref missingAtAnswer);
        }));
        Assert.Equal(0, missingAtAnswer);
        Assert.Equal(100, await app.WithDbAsync(db => db.Set<GatePass>().IgnoreQueryFilters().CountAsync(p => ids.Contains(p.ClientId))));
    }

    [Fact]
    public async Task ThirtySevenThree_IsFever_ThirtySevenTwo_IsNot_AndAFeverishResidentIsReportedWithATask()
    {
        var gate1 = await app.As("gate1");
        var gate = await EastGateAsync();
        var (warm, _) = await ResidentAsync(app, "李正常");
        var r = await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new { clientId = Guid.NewGuid(), direction = "In", temperature = 37.2m, personId = warm });
        await r.ExpectAsync(HttpStatusCode.Created);
        var ok = await r.JsonAsync();
        Assert.False(ok["fever"]!.GetValue<bool>());
        Assert.Equal("Admitted", ok["outcome"]!.GetValue<string>());
        Assert.False(await app.WithDbAsync(db => db.Set<Alert>().AnyAsync(a => a.DedupeKey == $"gate-fever:{Guid.Parse(ok["id"]!.GetValue<string>()):N}")));

        var (hot, _) = await ResidentAsync(app, "赵发热");
        r = await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new { clientId = Guid.NewGuid(), direction = "In", temperature = 37.3m, personId = hot });
        await r.ExpectAsync(HttpStatusCode.Created);
        var fever = await r.JsonAsync();
        Assert.True(fever["fever"]!.GetValue<bool>());
        Assert.Equal("Admitted", fever["outcome"]!.GetValue<string>());
        var passId = Guid.Parse(fever["id"]!.GetValue<string>());
        var alert = await app.WithDbAsync(db => db.Set<Alert>().FirstAsync(a => a.DedupeKey == $"gate-fever:{passId:N}"));
        Assert.Equal(AlertKind.Fever, alert.Kind);
        Assert.Equal(gate, alert.GateId);
        Assert.NotNull(alert.PersonId);
        // Registered as a person under watch (category Fever), with a follow-up task for the grid worker.
        var task = await app.WithDbAsync(db => db.Set<WorkTask>().FirstAsync(t => t.DedupeKey == $"gate-fever:{passId:N}"));
        Assert.Equal(TaskKind.FeverFollowUp, task.Kind);
        Assert.Equal(alert.PersonId, task.PersonId);
        Assert.Equal(await Demo.UserIdAsync(app, "grid1"), task.AssigneeId);
        var person = await (await app.As("grid1")).GetJsonAsync($"/api/people/{alert.PersonId}");
        Assert.Contains("Fever", person.ToJsonString());
        // The leader sees the alert.
        var alerts = await (await app.As("leader")).GetJsonAsync("/api/alerts?status=Open&pageSize=200");
        Assert.Contains(alerts["items"]!.AsArray(), a => a!["id"]!.GetValue<string>() == alert.Id.ToString());
    }

    [Fact]
    public async Task AFeverishVisitor_IsRefused_AndOutOfRangeTemperatures_AreRejectedWithNothingStored()
    {
        var gate1 = await app.As("gate1");
        var gate = await EastGateAsync();
        var r = await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new { clientId = Guid.NewGuid(), direction = "In", temperature = 38.0m, visitor = Visitor("钱高烧") });
        await r.ExpectAsync(HttpStatusCode.Created);
        var body = await r.JsonAsync();
        Assert.True(body["fever"]!.GetValue<bool>());
        Assert.Equal("Refused", body["outcome"]!.GetValue<string>());
        var passId = Guid.Parse(body["id"]!.GetValue<string>());
        Assert.Equal(AlertKind.Fever, await app.WithDbAsync(db => db.Set<Alert>().Where(a => a.DedupeKey == $"gate-fever:{passId:N}").Select(a => a.Kind).FirstAsync()));

        foreach (var t in new[] { 33.9m, 43.1m })
        {
            var clientId = Guid.NewGuid();
            var bad = await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new { clientId, direction = "In", temperature = t, visitor = Visitor() });
            var problem = await bad.ExpectAsync(HttpStatusCode.BadRequest);
            Assert.Contains("temperature", problem);
            Assert.Equal(0, await RowsAsync(clientId));
        }
    }

    [Fact]
    public async Task SomeoneUnderActiveHomeQuarantine_PassingRaisesABreach_AndAfterReleaseNone()
    {
        var grid1 = await app.As("grid1");
        var gate1 = await app.As("gate1");
        var gate = await EastGateAsync();
        var idNumber = RegisterPersonTests.NewIdNumber();
        var p = await grid1.PostJsonAsync("/api/people", new
        {
            name = "孙观察", gender = "Male", idNumber, phone = "13612340000", compoundId = (await Demo.AreaAsync(app, "春天大道")).Id,
            address = "春天大道", categories = new[] { "Returnee" },
        });
        await p.ExpectAsync(HttpStatusCode.Created);
        var personId = (await p.JsonAsync())["id"]!.GetValue<string>();
        var o = await grid1.PostJsonAsync($"/api/people/{personId}/quarantines", new { kind = "Home" });
        await o.ExpectAsync(HttpStatusCode.Created);
        var orderId = (await o.JsonAsync())["id"]!.GetValue<string>();
        // The household register knows them by ID number only (not linked): found all the same.
        var (resident, _) = await ResidentAsync(app, "孙观察", idNumber);

        var r = await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new { clientId = Guid.NewGuid(), direction = "Out", temperature = 36.6m, personId = resident });
        await r.ExpectAsync(HttpStatusCode.Created);
        var pass = Guid.Parse((await r.JsonAsync())["id"]!.GetValue<string>());
        var breach = await app.WithDbAsync(db => db.Set<Alert>().FirstAsync(a => a.DedupeKey == $"breach:{pass:N}"));
        Assert.Equal(AlertKind.QuarantineBreach, breach.Kind);
        Assert.Equal(Guid.Parse(personId), breach.PersonId);

        await (await grid1.PostJsonAsync($"/api/quarantines/{orderId}/close", new { status = "Released", note = "期满解除" })).ExpectAsync(HttpStatusCode.OK);
        r = await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new { clientId = Guid.NewGuid(), direction = "Out", temperature = 36.6m, personId = resident });
        await r.ExpectAsync(HttpStatusCode.Created);
        var after = Guid.Parse((await r.JsonAsync())["id"]!.GetValue<string>());
        Assert.False(await app.WithDbAsync(db => db.Set<Alert>().AnyAsync(a => a.DedupeKey == $"breach:{after:N}")));
        Assert.False((await r.JsonAsync())["quarantineBreach"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AGateKeeper_PostingToAnotherCompoundsGate_Gets404_AndCannotListPeople()
    {
        var gate1 = await app.As("gate1");
        var other = await Demo.GateAsync(app, "叉车厂小区正门");
        var clientId = Guid.NewGuid();
        await (await gate1.PostJsonAsync($"/api/gates/{other.Id}/passes", new { clientId, direction = "In", temperature = 36.5m, visitor = Visitor() })).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await RowsAsync(clientId));
        Assert.Equal(HttpStatusCode.Forbidden, (await gate1.GetAsync("/api/people")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await gate1.GetAsync($"/api/gates/{other.Id}/residents?q=101")).StatusCode);
    }

    [Fact]
    public async Task TheResidentLookup_FindsByRoomLast4OrName_MaskedAndOnlyInTheGatesCompound()
    {
        var gate1 = await app.As("gate1");
        var gate = await EastGateAsync();
        var idNumber = RegisterPersonTests.NewIdNumber();
        var (resident, room) = await ResidentAsync(app, "周查找", idNumber, phone: "13755556666");
        var (elsewhere, _) = await ResidentAsync(app, "周查找", compound: "西关小区");
        foreach (var q in new[] { room, idNumber[^4..], "6666", "周查" })
        {
            var hits = (await gate1.GetAsync($"/api/gates/{gate}/residents?q={Uri.EscapeDataString(q)}"));
            var text = await hits.ExpectAsync(HttpStatusCode.OK);
            Assert.Contains(resident.ToString(), text);
            Assert.DoesNotContain(elsewhere.ToString(), text);
            Assert.DoesNotContain(idNumber, text);
            Assert.DoesNotContain("13755556666", text);
            Assert.Contains("137****6666", text);
        }
        // Someone of another compound cannot be registered at this gate either.
        await (await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new { clientId = Guid.NewGuid(), direction = "In", temperature = 36.5m, personId = elsewhere })).ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AClosedCompound_NeedsAnApprovalReasonToGoOut_AndCountsAndRecordsFollow()
    {
        var leader = await app.As("leader");
        var gate1 = await app.As("gate1");
        var compound = await Demo.AreaAsync(app, "春天大道");
        var gate = (await Demo.GateAsync(app, "春天大道西门")).Id;
        await (await leader.PostJsonAsync($"/api/areas/{compound.Id}/closed-management", new { closed = true, reason = "疫情防控" })).ExpectAsync(HttpStatusCode.OK);
        try
        {
            Assert.Equal("Closed", (await gate1.GetJsonAsync($"/api/gates/{gate}"))["status"]!.GetValue<string>());
            var clientId = Guid.NewGuid();
            var r = await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new { clientId, direction = "Out", temperature = 36.5m, visitor = Visitor() });
            Assert.Contains("approvalReason", await r.ExpectAsync(HttpStatusCode.BadRequest));
            Assert.Equal(0, await RowsAsync(clientId));
            await (await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new { clientId, direction = "Out", temperature = 36.5m, visitor = Visitor(), approvalReason = "就医，社区书记批准" })).ExpectAsync(HttpStatusCode.Created);
            await (await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new { clientId = Guid.NewGuid(), direction = "In", temperature = 36.5m, visitor = Visitor() })).ExpectAsync(HttpStatusCode.Created);
        }
        finally
        {
            await (await leader.PostJsonAsync($"/api/areas/{compound.Id}/closed-management", new { closed = false, reason = "解除" })).ExpectAsync(HttpStatusCode.OK);
        }
        await (await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new { clientId = Guid.NewGuid(), direction = "In", temperature = 39.0m, visitor = Visitor("发热访客") })).ExpectAsync(HttpStatusCode.Created);

        var counts = await leader.GetJsonAsync($"/api/gate-passes/counts?compoundId={compound.Id}");
        var west = counts["gates"]!.AsArray().First(g => g!["id"]!.GetValue<string>() == gate.ToString())!;
        Assert.Equal(2, west["in"]!.GetValue<int>());
        Assert.Equal(1, west["out"]!.GetValue<int>());
        Assert.Equal(1, west["fever"]!.GetValue<int>());
        Assert.Equal(1, west["refused"]!.GetValue<int>());
        Assert.True(counts["compounds"]![0]!["in"]!.GetValue<int>() >= 2);

        var list = await leader.GetJsonAsync($"/api/gates/{gate}/passes?date=2020-02-07");
        Assert.Equal(3, list["total"]!.GetValue<int>());
        Assert.DoesNotContain("13800138000", list.ToJsonString());
        Assert.Contains("138****8000", list.ToJsonString());
        var xlsx = await leader.GetAsync($"/api/gates/{gate}/passes/export.xlsx?date=2020-02-07");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        // Records are for those who read people: a gate keeper sees counts of their gates, not the list.
        Assert.Equal(HttpStatusCode.Forbidden, (await gate1.GetAsync($"/api/gates/{gate}/passes")).StatusCode);
    }
}
