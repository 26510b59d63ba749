using System.Net;
using EpiGrid.Features.Alerts;
using EpiGrid.Features.Observation;
using EpiGrid.Features.Tasks;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Observation;

public sealed class ObservationFactory : AppFactory
{
    protected override bool UseFakeClock => true;
}

/// <summary>Observation rules on a fake clock that starts 2020-02-07 10:00 Baoji time.</summary>
public sealed class ObservationTests(ObservationFactory app) : IClassFixture<ObservationFactory>
{
    private Task<string> RegisterAsync(string? leftAt = "2020-01-25T16:30:00+08:00", string compound = "春天大道") => RegisterAsync(app, leftAt, compound);

    internal static async Task<string> RegisterAsync(AppFactory app, string? leftAt = "2020-01-25T16:30:00+08:00", string compound = "春天大道")
    {
        var grid1 = await app.As("grid1");
        var r = await grid1.PostJsonAsync("/api/people", new
        {
            name = "观察对象", gender = "Male", idNumber = RegisterPersonTests.NewIdNumber(), phone = "13612340000",
            compoundId = (await Demo.AreaAsync(app, compound)).Id, address = compound, categories = new[] { "Returnee" },
            travel = leftAt is null ? null : new { from = "湖北武汉", leftAt, arrivedAt = leftAt },
        });
        await r.ExpectAsync(HttpStatusCode.Created);
        return (await r.JsonAsync())["id"]!.GetValue<string>();
    }

    private async Task RunAsync<T>() where T : class, EpiGrid.Platform.Jobs.IPeriodicCheck
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<T>().RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Quarantine_EndsFourteenTimesTwentyFourHoursAfterTheLastExposure_AndDefaultsFromTravel()
    {
        var grid1 = await app.As("grid1");
        var person = await RegisterAsync();
        // No lastExposureAt: it is the travel's leftAt, 2020-01-25 16:30.
        var r = await grid1.PostJsonAsync($"/api/people/{person}/quarantines", new { kind = "Home" });
        await r.ExpectAsync(HttpStatusCode.Created);
        var order = await r.JsonAsync();
        Assert.Equal("2020-01-25T16:30:00+08:00", order["lastExposureAt"]!.GetValue<string>());
        Assert.Equal("2020-02-08T16:30:00+08:00", order["endsAt"]!.GetValue<string>());
        Assert.Equal("Active", order["status"]!.GetValue<string>());
        Assert.Equal("2020-02-07T10:00:00+08:00", order["startsAt"]!.GetValue<string>());
        await (await grid1.PostJsonAsync($"/api/people/{person}/quarantines", new { kind = "Home" })).ExpectAsync(HttpStatusCode.Conflict);

        // No travel: from startsAt.
        var other = await RegisterAsync(leftAt: null);
        var o2 = await (await grid1.PostJsonAsync($"/api/people/{other}/quarantines", new { kind = "Centralized", startsAt = "2020-02-06T09:00:00+08:00" })).JsonAsync();
        Assert.Equal("2020-02-20T09:00:00+08:00", o2["endsAt"]!.GetValue<string>());
        // Explicit last exposure wins.
        var third = await RegisterAsync();
        var o3 = await (await grid1.PostJsonAsync($"/api/people/{third}/quarantines", new { kind = "Home", lastExposureAt = "2020-02-01T20:00:00+08:00" })).JsonAsync();
        Assert.Equal("2020-02-15T20:00:00+08:00", o3["endsAt"]!.GetValue<string>());
    }

    [Fact]
    public async Task Temperature_37_5IsFeverWithAlertAndTask_37_2IsNot_43_5IsRefused()
    {
        var grid1 = await app.As("grid1");
        var person = await RegisterAsync();
        var high = await grid1.PostJsonAsync($"/api/people/{person}/health-checks", new { temperature = 37.5m, symptoms = new[] { "Cough" }, method = "Visit" });
        await high.ExpectAsync(HttpStatusCode.Created);
        Assert.True((await high.JsonAsync())["fever"]!.GetValue<bool>());
        var normal = await grid1.PostJsonAsync($"/api/people/{person}/health-checks", new { temperature = 37.2m, method = "Phone" });
        Assert.False((await normal.JsonAsync())["fever"]!.GetValue<bool>());
        var edge = await grid1.PostJsonAsync($"/api/people/{person}/health-checks", new { temperature = 37.3m, method = "Self" });
        Assert.True((await edge.JsonAsync())["fever"]!.GetValue<bool>());
        await (await grid1.PostJsonAsync($"/api/people/{person}/health-checks", new { temperature = 43.5m, method = "Visit" })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await grid1.PostJsonAsync($"/api/people/{person}/health-checks", new { temperature = 33.9m, method = "Visit" })).ExpectAsync(HttpStatusCode.BadRequest);

        var pid = Guid.Parse(person);
        var fevers = await app.WithDbAsync(db => db.Set<Alert>().Where(a => a.PersonId == pid && a.Kind == AlertKind.Fever).CountAsync());
        Assert.Equal(2, fevers); // 37.5 and 37.3, not 37.2
        var followUps = await app.WithDbAsync(db => db.Set<WorkTask>().Where(t => t.PersonId == pid && t.Kind == TaskKind.FeverFollowUp).CountAsync());
        Assert.Equal(2, followUps);
        var checks = await app.WithDbAsync(db => db.Set<HealthCheck>().Where(c => c.PersonId == pid).CountAsync());
        Assert.Equal(3, checks);
    }

    [Fact]
    public async Task ThreeAttemptsWithoutSuccess_Escalate_AndAReachedAttemptResetsTheCount()
    {
        var grid1 = await app.As("grid1");
        var person = await RegisterAsync();
        var tasks = await grid1.GetJsonAsync("/api/tasks?status=Open");
        var task = tasks["items"]!.AsArray().First(t => t!["personId"]!.GetValue<string>() == person)!;
        Assert.Equal("Verification", task["kind"]!.GetValue<string>());
        Assert.Equal(await Demo.UserIdAsync(app, "grid1"), Guid.Parse(task["assigneeId"]!.GetValue<string>()));
        Assert.Equal("2020-02-08T10:00:00+08:00", task["dueAt"]!.GetValue<string>()); // within 24 hours
        var tid = task["id"]!.GetValue<string>();
        var pid = Guid.Parse(person);
        Task<int> EscalationsAsync() => app.WithDbAsync(db => db.Set<Alert>().CountAsync(a => a.PersonId == pid && a.Kind == AlertKind.Escalation));

        async Task<System.Text.Json.Nodes.JsonNode> AttemptAsync(string outcome)
        {
            var r = await grid1.PostJsonAsync($"/api/tasks/{tid}/attempts", new { method = "Visit", outcome, note = "周女士不开门" });
            await r.ExpectAsync(HttpStatusCode.Created);
            return await r.JsonAsync();
        }
        await AttemptAsync("Refused");
        await AttemptAsync("NotReached");
        Assert.Equal(0, await EscalationsAsync());
        var third = await AttemptAsync("Refused");
        Assert.True(third["escalated"]!.GetValue<bool>());
        Assert.Equal(1, await EscalationsAsync());
        await AttemptAsync("NotReached"); // fourth in a row: no second alert
        Assert.Equal(1, await EscalationsAsync());

        // A second task shows the reset: fail twice, reach, fail twice — no escalation.
        var other = await RegisterAsync();
        var t2 = (await grid1.GetJsonAsync("/api/tasks?status=Open"))["items"]!.AsArray().First(t => t!["personId"]!.GetValue<string>() == other)!["id"]!.GetValue<string>();
        await (await grid1.PostJsonAsync($"/api/tasks/{t2}/attempts", new { method = "Phone", outcome = "NotReached" })).ExpectAsync(HttpStatusCode.Created);
        await (await grid1.PostJsonAsync($"/api/tasks/{t2}/attempts", new { method = "Phone", outcome = "WrongNumber" })).ExpectAsync(HttpStatusCode.Created);
        var reached = await (await grid1.PostJsonAsync($"/api/tasks/{t2}/attempts", new { method = "Visit", outcome = "Reached" })).JsonAsync();
        Assert.Equal("Done", reached["taskStatus"]!.GetValue<string>());
        await (await grid1.PostJsonAsync($"/api/tasks/{t2}/attempts", new { method = "Visit", outcome = "NotReached" })).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Alert>().CountAsync(a => a.PersonId == Guid.Parse(other) && a.Kind == AlertKind.Escalation)));
    }

    [Fact]
    public async Task RegistrationInACompoundWithoutGridWorker_WaitsInTheCommunitysQueue()
    {
        var grid2 = await app.As("leader");
        var compound = await Demo.AreaAsync(app, "太平堡村东区"); // 太平堡村's grid has no worker in the demo
        var stats = await app.As("stats");
        var r = await stats.PostJsonAsync("/api/people", new { name = "无网格员", gender = "Female", idNumber = RegisterPersonTests.NewIdNumber(male: false), phone = "13612340001",
            compoundId = compound.Id, address = "太平堡村东区", categories = new[] { "Returnee" } });
        await r.ExpectAsync(HttpStatusCode.Created);
        var pid = Guid.Parse((await r.JsonAsync())["id"]!.GetValue<string>());
        var task = await app.WithDbAsync(db => db.Set<WorkTask>().FirstAsync(t => t.PersonId == pid));
        Assert.Null(task.AssigneeId);
        var open = await grid2.GetJsonAsync("/api/tasks?status=Open");
        Assert.Contains(open["items"]!.AsArray(), t => t!["personId"]!.GetValue<string>() == pid.ToString() && t["assigneeId"] is null);
    }
}

/// <summary>Moves its own clock forward: a fixture of its own (a fake clock cannot go back).</summary>
public sealed class MissedSlotTests(ObservationFactory app) : IClassFixture<ObservationFactory>
{
    private async Task<string> RegisterAsync(string? leftAt = "2020-01-25T16:30:00+08:00", string compound = "春天大道") =>
        await ObservationTests.RegisterAsync(app, leftAt, compound);

    private async Task RunAsync<T>() where T : class, EpiGrid.Platform.Jobs.IPeriodicCheck
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<T>().RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task MissedEveningSlot_GivesOneOverdueAlertAndOneTask_HoweverOftenTheRuleRuns()
    {
        var grid1 = await app.As("grid1");
        var person = await RegisterAsync();
        await (await grid1.PostJsonAsync($"/api/people/{person}/quarantines", new { kind = "Home" })).ExpectAsync(HttpStatusCode.Created);
        // The morning check is in (10:00 is the deadline; the order started at 10:00 today).
        await (await grid1.PostJsonAsync($"/api/people/{person}/health-checks", new { temperature = 36.5m, method = "Phone" })).ExpectAsync(HttpStatusCode.Created);
        var pid = Guid.Parse(person);

        app.Clock.Advance(TimeSpan.FromHours(9)); // 19:00: the evening slot is still open
        await RunAsync<MissedCheckRule>();
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Alert>().CountAsync(a => a.PersonId == pid && a.Kind == AlertKind.Overdue)));

        app.Clock.Advance(TimeSpan.FromMinutes(61)); // 20:01: missed
        for (var i = 0; i < 5; i++) await RunAsync<MissedCheckRule>();
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Alert>().CountAsync(a => a.PersonId == pid && a.Kind == AlertKind.Overdue)));
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<WorkTask>().CountAsync(t => t.PersonId == pid && t.Kind == TaskKind.MissedCheck)));
    }

}

/// <summary>Moves its own clock forward: a fixture of its own.</summary>
public sealed class ReleaseTests(ObservationFactory app) : IClassFixture<ObservationFactory>
{
    private async Task<string> RegisterAsync(string? leftAt = "2020-01-25T16:30:00+08:00", string compound = "春天大道") =>
        await ObservationTests.RegisterAsync(app, leftAt, compound);

    private async Task RunAsync<T>() where T : class, EpiGrid.Platform.Jobs.IPeriodicCheck
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<T>().RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ReleaseJob_ReleasesOnTime_AndIsHarmlessWhenRunTwice()
    {
        var grid1 = await app.As("grid1");
        var person = await RegisterAsync();
        var order = await (await grid1.PostJsonAsync($"/api/people/{person}/quarantines", new { kind = "Home", lastExposureAt = "2020-02-01T08:00:00+08:00" })).JsonAsync();
        var id = Guid.Parse(order["id"]!.GetValue<string>());
        Assert.Equal("2020-02-15T08:00:00+08:00", order["endsAt"]!.GetValue<string>());

        app.Clock.SetUtcNow(new DateTimeOffset(2020, 2, 15, 7, 59, 0, TimeSpan.FromHours(8)));
        await RunAsync<ReleaseRule>();
        Assert.Equal(QuarantineStatus.Active, await app.WithDbAsync(db => db.Set<QuarantineOrder>().Where(o => o.Id == id).Select(o => o.Status).FirstAsync()));

        app.Clock.SetUtcNow(new DateTimeOffset(2020, 2, 15, 8, 0, 0, TimeSpan.FromHours(8)));
        await Task.WhenAll(RunAsync<ReleaseRule>(), RunAsync<ReleaseRule>());
        await RunAsync<ReleaseRule>();
        var released = await app.WithDbAsync(db => db.Set<QuarantineOrder>().AsNoTracking().FirstAsync(o => o.Id == id));
        Assert.Equal(QuarantineStatus.Released, released.Status);
        Assert.Equal(new DateTime(2020, 2, 15, 0, 0, 0, DateTimeKind.Utc), released.ClosedAt);
        var releases = await app.WithDbAsync(db => db.Set<EpiGrid.Platform.Audit.AuditEntry>().CountAsync(a => a.Action == "Release" && a.EntityId == id.ToString()));
        Assert.Equal(1, releases);
        var status = await app.WithDbAsync(db => db.Set<EpiGrid.Features.People.Person>().Where(p => p.Id == Guid.Parse(person)).Select(p => p.Status).FirstAsync());
        Assert.Equal(EpiGrid.Features.People.PersonStatus.Released, status);
    }

}
