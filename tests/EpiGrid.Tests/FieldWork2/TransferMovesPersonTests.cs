using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using EpiGrid.Data;
using EpiGrid.Features.Alerts;
using EpiGrid.Features.Observation;
using EpiGrid.Features.People;
using EpiGrid.Platform.Audit;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.FieldWork2;

public sealed class TransferFactory : ReportFactory;

/// <summary>
/// T2: a transfer to a compound of another community (NotInJurisdiction → POST /api/tasks/{id}/transfer) takes the
/// person's whole file with them (ADR-018): the old community sees nothing of them, the new one all of it.
/// </summary>
public sealed class TransferMovesPersonTests(TransferFactory app) : IClassFixture<TransferFactory>
{
    private static string Id(JsonNode n) => n["id"]!.GetValue<string>();

    private async Task RunAsync<T>() where T : class, EpiGrid.Platform.Jobs.IPeriodicCheck
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<T>().RunAsync(CancellationToken.None);
    }

    /// <summary>A leader whose scope is one community (the demo's leaders see the whole subdistrict).</summary>
    private async Task<HttpClient> CommunityLeaderAsync(string userName, string community)
    {
        var area = await Demo.AreaAsync(app, community);
        var r = await (await app.As("admin")).PostJsonAsync("/api/users", new
        {
            userName, displayName = community + "书记", roles = new[] { "Leader" }, areaIds = new[] { area.Id }, password = AppFactory.NewPassword,
        });
        await r.ExpectAsync(HttpStatusCode.Created);
        return await app.As(userName);
    }

    /// <summary>Rows that name the person, of every scoped entity with a PersonId, the old community's scope could still read.</summary>
    private async Task<List<string>> LeftBehindAsync(Guid personId, string community)
    {
        var root = await Demo.AreaAsync(app, community);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var areaIds = await db.Areas.AsNoTracking().Where(a => a.Path.StartsWith(root.Path)).Select(a => a.Id).ToListAsync();
        db.Scope.Restrict(areaIds);
        var left = new List<string>();
        foreach (var type in db.Model.GetEntityTypes().Select(e => e.ClrType).Where(t => t.GetCustomAttribute<ScopedByAttribute>() is not null))
        {
            var property = type.GetProperty("PersonId");
            if (property is null) continue;
            var count = await (Task<int>)typeof(TransferMovesPersonTests).GetMethod(nameof(CountOfAsync), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(type).Invoke(null, [db, personId])!;
            if (count > 0) left.Add($"{type.Name}: {count}");
        }
        return left;
    }

    private static Task<int> CountOfAsync<T>(AppDbContext db, Guid personId) where T : class
    {
        // e => e.PersonId == personId, whether PersonId is a Guid or a Guid?.
        var e = System.Linq.Expressions.Expression.Parameter(typeof(T), "e");
        var property = System.Linq.Expressions.Expression.Property(e, "PersonId");
        var equal = System.Linq.Expressions.Expression.Equal(property, System.Linq.Expressions.Expression.Constant(personId, property.Type));
        return db.Set<T>().Where(System.Linq.Expressions.Expression.Lambda<Func<T, bool>>(equal, e)).CountAsync();
    }

    [Fact]
    public async Task TransferToAnotherCommunity_MovesOrderChecksLinksCareSuppliesTasksAndAlerts_OldCommunitySeesNothing()
    {
        app.At("2020-06-12T09:00:00");
        var grid1 = await app.As("grid1");
        var grid2 = await app.As("grid2");
        var leader = await app.As("leader");
        var stats = await app.As("stats");
        var oldLeader = await CommunityLeaderAsync("leader-xg", "西关社区");
        var newLeader = await CommunityLeaderAsync("leader-ccc", "叉车厂社区");
        var target = await Demo.AreaAsync(app, "叉车厂小区");
        var name = "移交" + Guid.NewGuid().ToString("N")[..6];

        // The person under home observation in 春天大道 (西关社区), with everything a quarantine brings.
        var person = await ReportKit.RegisterAsync(app, "grid1", "春天大道", "Returnee", name);
        var source = await ReportKit.RegisterAsync(app, "grid1", "春天大道", "Confirmed", "传染源" + Guid.NewGuid().ToString("N")[..6]); // a name apart: pages of the old community keep showing them
        var pid = Guid.Parse(person);
        var order = await ReportKit.OrderAsync(app, "grid1", person, "Home");
        await (await grid1.PostJsonAsync($"/api/people/{person}/health-checks", new { temperature = 36.6m, method = "Phone" })).ExpectAsync(HttpStatusCode.Created);
        await (await grid1.PostJsonAsync($"/api/people/{person}/health-checks", new { temperature = 37.6m, method = "Visit" })).ExpectAsync(HttpStatusCode.Created); // a Fever alert and a follow-up task
        await (await grid1.PostJsonAsync($"/api/people/{person}/care", new { kind = "Shopping", note = "代购蔬菜" })).ExpectAsync(HttpStatusCode.Created);
        await (await grid1.PostJsonAsync($"/api/people/{person}/contacts", new { sourcePersonId = source, relation = "同事" })).ExpectAsync(HttpStatusCode.Created);
        var supplies = await grid1.PostJsonAsync("/api/supplies", new { personId = person, items = new[] { "大米", "蔬菜" } });
        await supplies.ExpectAsync(HttpStatusCode.Created);
        var request = Id(await supplies.JsonAsync());
        var open = (await grid1.GetJsonAsync("/api/tasks?status=Open&pageSize=200"))["items"]!.AsArray().Where(t => t!["personId"]!.GetValue<string>() == person).ToList();
        Assert.Equal(["FeverFollowUp", "Verification"], open.Select(t => t!["kind"]!.GetValue<string>()).Order());
        var verification = Id(open.First(t => t!["kind"]!.GetValue<string>() == "Verification")!);
        Assert.Contains((await grid1.GetJsonAsync("/api/alerts?pageSize=200"))["items"]!.AsArray(), a => a!["personId"]?.GetValue<string>() == person);

        // The day's report is signed with the order counted in 西关社区.
        app.At("2020-06-12T15:10:00");
        await (await stats.PostJsonAsync("/api/reports/daily/review", new { date = "2020-06-12" })).ExpectAsync(HttpStatusCode.OK);
        await (await leader.PostJsonAsync("/api/reports/daily/sign", new { date = "2020-06-12", version = 1 })).ExpectAsync(HttpStatusCode.OK);
        var signed = await stats.GetJsonAsync("/api/reports/daily?date=2020-06-12");
        var signedXiguan = ReportKit.N(ReportKit.Row(signed, "西关社区"), "homeObservation");
        var signedChacheku = ReportKit.N(ReportKit.Row(signed, "叉车厂社区"), "homeObservation");
        Assert.True(signedXiguan >= 1);
        var before = await leader.GetJsonAsync("/api/dashboard?date=2020-06-13");

        // Not ours: the grid worker transfers the person to 叉车厂小区.
        app.At("2020-06-12T15:20:00");
        await (await grid1.PostJsonAsync($"/api/tasks/{verification}/attempts", new { method = "Visit", outcome = "NotInJurisdiction", note = "实际住叉车厂小区" })).ExpectAsync(HttpStatusCode.Created);
        var lastSeq = await app.WithDbAsync(db => db.Set<AuditEntry>().MaxAsync(a => a.Seq));
        var moved = await grid1.PostJsonAsync($"/api/tasks/{verification}/transfer", new { compoundId = target.Id });
        await moved.ExpectAsync(HttpStatusCode.OK);
        var movedTask = await moved.JsonAsync();
        Assert.Equal(target.Id, Guid.Parse(movedTask["compoundId"]!.GetValue<string>()));
        // The new grid worker is another community's account: not named to the old one (docs/api.md).
        Assert.Null(movedTask["assigneeId"]);
        Assert.Equal(await Demo.UserIdAsync(app, "grid2"), await app.WithDbAsync(db => db.Set<EpiGrid.Features.Tasks.WorkTask>().IgnoreQueryFilters()
            .Where(t => t.Id == Guid.Parse(verification)).Select(t => t.AssigneeId).FirstAsync()));

        // The old community — its grid worker and its leader — sees nothing of them.
        Assert.Empty(await LeftBehindAsync(pid, "西关社区"));
        foreach (var old in new[] { grid1, oldLeader })
        {
            Assert.Equal(0, (await old.GetJsonAsync($"/api/people?q={name}"))["total"]!.GetValue<int>());
            Assert.DoesNotContain(person, (await old.GetJsonAsync("/api/tasks?pageSize=200")).ToJsonString());
            Assert.DoesNotContain(person, (await old.GetJsonAsync("/api/alerts?pageSize=200")).ToJsonString());
            Assert.DoesNotContain(person, (await old.GetJsonAsync("/api/feed?hours=24")).ToJsonString());
            Assert.Equal(0, (await old.GetJsonAsync($"/api/supplies?personId={person}"))["total"]!.GetValue<int>());
            Assert.DoesNotContain(name, (await old.GetJsonAsync("/api/supplies?pageSize=200")).ToJsonString());
            foreach (var page in new[] { $"/People?q={name}", "/People", "/Today", "/Supplies", "/Feed", "/" })
            {
                var html = await old.GetAsync(page);
                Assert.True(html.StatusCode == HttpStatusCode.OK, $"{page} → {(int)html.StatusCode}");
                var text = await html.Content.ReadAsStringAsync();
                Assert.DoesNotContain(person, text);
                if (!page.Contains('?')) Assert.DoesNotContain(name, text); // the search box repeats the query
            }
            foreach (var url in new[] { $"/api/people/{person}", $"/api/people/{person}/quarantines", $"/api/people/{person}/health-checks",
                $"/api/people/{person}/contacts", $"/api/quarantines/{order}", $"/api/supplies/{request}", $"/People/Detail/{person}", $"/Supplies/Detail/{request}" })
            {
                Assert.True((await old.GetAsync(url)).StatusCode == HttpStatusCode.NotFound, $"{url} should be 404 for the old community");
            }
        }

        // One audit entry for the whole move, not one per moved row.
        var entries = await app.WithDbAsync(db => db.Set<AuditEntry>().AsNoTracking().Where(a => a.Seq > lastSeq).ToListAsync());
        var entry = Assert.Single(entries);
        Assert.Equal("Move", entry.Action);
        Assert.Equal(person, entry.EntityId);
        Assert.DoesNotContain(name, entry.Details); // the log names no one (ADR-004)

        // The new community sees the person, the running order and the open work, and cannot start a second order.
        var seen = await grid2.GetJsonAsync($"/api/people/{person}");
        Assert.Equal(target.Id, Guid.Parse(seen["compoundId"]!.GetValue<string>()));
        Assert.Null(seen["householdId"]);
        foreach (var now in new[] { grid2, newLeader })
        {
            Assert.Equal("Active", (await now.GetJsonAsync($"/api/quarantines/{order}"))["status"]!.GetValue<string>());
            Assert.Equal(2, (await now.GetJsonAsync($"/api/people/{person}/health-checks")).AsArray().Count);
            Assert.Equal(1, (await now.GetJsonAsync($"/api/supplies?personId={person}"))["total"]!.GetValue<int>());
        }
        await (await grid2.PostJsonAsync($"/api/people/{person}/quarantines", new { kind = "Centralized" })).ExpectAsync(HttpStatusCode.Conflict);
        var theirTasks = (await grid2.GetJsonAsync("/api/tasks?status=Open&pageSize=200"))["items"]!.AsArray().Where(t => t!["personId"]!.GetValue<string>() == person);
        Assert.Equal(["FeverFollowUp", "Verification"], theirTasks.Select(t => t!["kind"]!.GetValue<string>()).Order());
        var supply = await grid2.GetJsonAsync($"/api/supplies/{request}");
        Assert.Equal("Open", supply["status"]!.GetValue<string>()); // back to the new community's own volunteers
        Assert.Contains((await grid2.GetJsonAsync("/api/alerts?pageSize=200"))["items"]!.AsArray(), a => a!["personId"]?.GetValue<string>() == person);
        // The person's timeline says where they came from.
        var detail = await grid2.GetAsync($"/People/Detail/{person}");
        Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
        var detailHtml = await detail.Content.ReadAsStringAsync();
        Assert.Contains("移交：春天大道 → 叉车厂小区", detailHtml);
        Assert.Contains("代购蔬菜", detailHtml);

        // The live figures count the order in 叉车厂社区 now; the signed report keeps what it said.
        var after = await leader.GetJsonAsync("/api/dashboard?date=2020-06-13");
        Assert.Equal(ReportKit.N(ReportKit.Row(before, "西关社区"), "homeObservation") - 1, ReportKit.N(ReportKit.Row(after, "西关社区"), "homeObservation"));
        Assert.Equal(ReportKit.N(ReportKit.Row(before, "叉车厂社区"), "homeObservation") + 1, ReportKit.N(ReportKit.Row(after, "叉车厂社区"), "homeObservation"));
        var still = await stats.GetJsonAsync("/api/reports/daily?date=2020-06-12");
        Assert.Equal(1, still["version"]!.GetValue<int>());
        Assert.Equal(signedXiguan, ReportKit.N(ReportKit.Row(still, "西关社区"), "homeObservation"));
        Assert.Equal(signedChacheku, ReportKit.N(ReportKit.Row(still, "叉车厂社区"), "homeObservation"));

        // The evening check is missed: the alert and its task go to the new community, none to the old.
        app.At("2020-06-12T20:01:00");
        await RunAsync<MissedCheckRule>();
        var overdue = await app.WithDbAsync(db => db.Set<Alert>().AsNoTracking().Where(a => a.PersonId == pid && a.Kind == AlertKind.Overdue).ToListAsync());
        Assert.Equal(target.Id, Assert.Single(overdue).AreaId);
        var overdueId = overdue[0].Id.ToString();
        Assert.Contains(overdueId, (await grid2.GetJsonAsync("/api/alerts?pageSize=200")).ToJsonString());
        Assert.Contains(overdueId, (await newLeader.GetJsonAsync("/api/alerts?pageSize=200")).ToJsonString());
        Assert.DoesNotContain(overdueId, (await grid1.GetJsonAsync("/api/alerts?pageSize=200")).ToJsonString());
        Assert.DoesNotContain(overdueId, (await oldLeader.GetJsonAsync("/api/alerts?pageSize=200")).ToJsonString());
        Assert.Empty(await LeftBehindAsync(pid, "西关社区"));
    }

    [Fact]
    public void TransferCoverage_EveryScopedEntityNamingAPerson_IsCarriedOrDeliberatelyLeftInPlace()
    {
        // A new entity that lies in the person's area must be decided on (ADR-018), or a move would strand it in the old community.
        var model = app.With(sp => sp.GetRequiredService<AppDbContext>().Model);
        var scopedWithPerson = model.GetEntityTypes().Select(e => e.ClrType)
            .Where(t => t.GetCustomAttribute<ScopedByAttribute>() is not null && (t == typeof(Person) || t.GetProperty("PersonId") is not null)).ToList();
        Assert.Empty(scopedWithPerson.Except(MovePerson.Carried).Except(MovePerson.LeftInPlace).Select(t => t.Name));
        Assert.Empty(MovePerson.Carried.Intersect(MovePerson.LeftInPlace));
    }

    /// <summary>The person's open Verification task, as <paramref name="client"/> sees it.</summary>
    private static async Task<string> VerificationOfAsync(HttpClient client, string person) =>
        Id((await client.GetJsonAsync("/api/tasks?status=Open&pageSize=200"))["items"]!.AsArray()
            .First(t => t!["personId"]!.GetValue<string>() == person && t["kind"]!.GetValue<string>() == "Verification")!);

    private static async Task NotOursAsync(HttpClient client, string task) =>
        await (await client.PostJsonAsync($"/api/tasks/{task}/attempts", new { method = "Visit", outcome = "NotInJurisdiction" })).ExpectAsync(HttpStatusCode.Created);

    private static object RegistrationForm(string idNumber) => new
    {
        name = "登记移交", gender = "Male", idNumber, phone = "13812345678", address = "春天大道2号楼101", travelFrom = "湖北武汉",
        leftAt = "2020-06-01T09:00:00+08:00", arrivedAt = "2020-06-01T19:00:00+08:00", transport = "Rail", tripNumber = "K1234", consent = true,
    };

    [Fact]
    public async Task Transfer_MovesTheRegistrationThatBecameThePerson_LeavesAnotherCommunitysLinkedRegistrationWhereItIs()
    {
        app.At("2020-06-05T09:00:00");
        var grid1 = await app.As("grid1");
        var grid2 = await app.As("grid2");
        var id = EpiGrid.Tests.People.RegisterPersonTests.NewIdNumber();
        // 西关社区 confirms the person's own registration into 春天大道 …
        await (await app.Anonymous().PostJsonAsync("/api/public/registrations/610303002008", RegistrationForm(id))).ExpectAsync(HttpStatusCode.Created);
        var mask = id[..6] + "********" + id[^4..];
        var ours = (await grid1.GetJsonAsync("/api/registrations?status=Pending&pageSize=200"))["items"]!.AsArray().Last(x => x!["idNumberMasked"]!.GetValue<string>() == mask)!;
        var confirmed = await grid1.PostJsonAsync($"/api/registrations/{Id(ours)}/confirm", new { compoundId = (await Demo.AreaAsync(app, "春天大道")).Id });
        var person = (await confirmed.JsonAsync())["personId"]!.GetValue<string>();
        // … and 叉车厂社区 confirms the same person's registration on its own form, with its own note: linked to 西关社区's record.
        await (await app.Anonymous().PostJsonAsync("/api/public/registrations/610303002003", RegistrationForm(id))).ExpectAsync(HttpStatusCode.Created);
        var theirs = (await grid2.GetJsonAsync("/api/registrations?status=Pending&pageSize=200"))["items"]!.AsArray().Last(x => x!["idNumberMasked"]!.GetValue<string>() == mask)!;
        await (await grid2.PostJsonAsync($"/api/registrations/{Id(theirs)}/confirm", new { compoundId = (await Demo.AreaAsync(app, "叉车厂小区")).Id, note = "叉车厂社区的核实记录" }))
            .ExpectAsync(HttpStatusCode.OK);

        // 西关社区 finds the person lives in 福临佳苑 (福临堡社区).
        var task = await VerificationOfAsync(grid1, person);
        await NotOursAsync(grid1, task);
        await (await grid1.PostJsonAsync($"/api/tasks/{task}/transfer", new { compoundId = (await Demo.AreaAsync(app, "福临佳苑")).Id })).ExpectAsync(HttpStatusCode.OK);

        var fulinbao = await Demo.AreaAsync(app, "福临堡社区");
        var chacheku = await Demo.AreaAsync(app, "叉车厂社区");
        var rows = await app.WithDbAsync(db => db.Set<EpiGrid.Features.SelfRegistration.PendingRegistration>().IgnoreQueryFilters().AsNoTracking()
            .Where(r => r.Id == Guid.Parse(Id(ours)) || r.Id == Guid.Parse(Id(theirs))).ToDictionaryAsync(r => r.Id.ToString(), r => r.CommunityId));
        Assert.Equal(fulinbao.Id, rows[Id(ours)]);   // the registration that became the person goes with them
        Assert.Equal(chacheku.Id, rows[Id(theirs)]); // 叉车厂社区's own record stays 叉车厂社区's
        Assert.Contains((await grid2.GetJsonAsync("/api/registrations?status=Confirmed&pageSize=200"))["items"]!.AsArray(), x => Id(x!) == Id(theirs));
    }

    [Fact]
    public async Task Transfer_SetsTheNewAddressOnThePersonAndOpenRequests_OrThePersonsAddress_AndRevokesTheirSupplyLinks()
    {
        app.At("2020-06-05T10:00:00");
        var grid1 = await app.As("grid1");
        var spring = await Demo.AreaAsync(app, "春天大道");
        var target = await Demo.AreaAsync(app, "叉车厂小区");
        var household = Id(await (await grid1.PostJsonAsync("/api/households", new { compoundId = spring.Id, unit = "9", room = $"{Random.Shared.Next(100, 999)}" })).JsonAsync());
        async Task<(string Person, string Request, string Token)> SetUpAsync(string name)
        {
            var r = await grid1.PostJsonAsync("/api/people", new
            {
                name, gender = "Female", idNumber = EpiGrid.Tests.People.RegisterPersonTests.NewIdNumber(male: false), phone = "13612340000",
                compoundId = spring.Id, address = "和平路12号", categories = new[] { "Returnee", "HomeObservation" },
            });
            await r.ExpectAsync(HttpStatusCode.Created);
            var person = Id(await r.JsonAsync());
            var request = await grid1.PostJsonAsync("/api/supplies", new { personId = person, householdId = household, items = new[] { "大米" } });
            await request.ExpectAsync(HttpStatusCode.Created);
            var req = await request.JsonAsync();
            Assert.StartsWith("春天大道 ", req["deliveryAddress"]!.GetValue<string>()); // the old household's room
            var link = await grid1.PostJsonAsync("/api/supplies/links", new { personId = person });
            await link.ExpectAsync(HttpStatusCode.Created);
            return (person, Id(req), (await link.JsonAsync())["token"]!.GetValue<string>());
        }
        var withAddress = await SetUpAsync("新址" + Guid.NewGuid().ToString("N")[..6]);
        var without = await SetUpAsync("旧址" + Guid.NewGuid().ToString("N")[..6]);

        var t1 = await VerificationOfAsync(grid1, withAddress.Person);
        await NotOursAsync(grid1, t1);
        await (await grid1.PostJsonAsync($"/api/tasks/{t1}/transfer", new { compoundId = target.Id, address = new string('长', 201) })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await grid1.PostJsonAsync($"/api/tasks/{t1}/transfer", new { compoundId = target.Id, address = "叉车厂小区5号楼1单元302" })).ExpectAsync(HttpStatusCode.OK);
        var t2 = await VerificationOfAsync(grid1, without.Person);
        await NotOursAsync(grid1, t2);
        await (await grid1.PostJsonAsync($"/api/tasks/{t2}/transfer", new { compoundId = target.Id })).ExpectAsync(HttpStatusCode.OK);

        var grid2 = await app.As("grid2");
        Assert.Equal("叉车厂小区5号楼1单元302", (await grid2.GetJsonAsync($"/api/people/{withAddress.Person}"))["address"]!.GetValue<string>());
        Assert.Equal("叉车厂小区5号楼1单元302", (await grid2.GetJsonAsync($"/api/supplies/{withAddress.Request}"))["deliveryAddress"]!.GetValue<string>());
        Assert.Equal("和平路12号", (await grid2.GetJsonAsync($"/api/people/{without.Person}"))["address"]!.GetValue<string>());
        Assert.Equal("和平路12号", (await grid2.GetJsonAsync($"/api/supplies/{without.Request}"))["deliveryAddress"]!.GetValue<string>());
        // The old household's links stop working: they would file requests into the new community.
        foreach (var token in new[] { withAddress.Token, without.Token })
        {
            await (await app.Anonymous().GetAsync($"/api/public/supplies/{token}")).ExpectAsync(HttpStatusCode.NotFound);
        }
        var revoked = await app.WithDbAsync(db => db.Set<EpiGrid.Features.Supplies.SupplyLink>().IgnoreQueryFilters().AsNoTracking()
            .Where(l => l.TokenHash == EpiGrid.Features.Supplies.SupplyLink.Hash(withAddress.Token) || l.TokenHash == EpiGrid.Features.Supplies.SupplyLink.Hash(without.Token)).Select(l => l.RevokedAt).ToListAsync());
        Assert.All(revoked, r => Assert.NotNull(r));
    }

    [Fact]
    public async Task Transfer_OnlyAfterANotInJurisdictionAttempt_Else409()
    {
        app.At("2020-06-05T11:00:00");
        var grid1 = await app.As("grid1");
        var target = await Demo.AreaAsync(app, "叉车厂小区");
        var person = await ReportKit.RegisterAsync(app, "grid1", "春天大道", "Returnee", "前提" + Guid.NewGuid().ToString("N")[..6]);
        var task = await VerificationOfAsync(grid1, person);

        async Task RefusedAsync()
        {
            foreach (var body in new object[] { new { compoundId = target.Id }, new { otherOffice = "宝鸡市公安局" } })
            {
                var r = await grid1.PostJsonAsync($"/api/tasks/{task}/transfer", body);
                Assert.Contains("不属本辖区", await r.ExpectAsync(HttpStatusCode.Conflict));
                Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            }
        }
        await RefusedAsync(); // no attempt at all
        await NotOursAsync(grid1, task);
        await (await grid1.PostJsonAsync($"/api/tasks/{task}/attempts", new { method = "Phone", outcome = "NotReached" })).ExpectAsync(HttpStatusCode.Created);
        await RefusedAsync(); // the latest attempt says something else
        Assert.Equal(1, (await grid1.GetJsonAsync($"/api/people?q={(await grid1.GetJsonAsync($"/api/people/{person}"))["name"]!.GetValue<string>()}"))["total"]!.GetValue<int>());
        await NotOursAsync(grid1, task);
        await (await grid1.PostJsonAsync($"/api/tasks/{task}/transfer", new { compoundId = target.Id })).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AnAttemptOnAStaleTask_WhosePersonMovedMeanwhile_Is409_NothingLandsInTheOldCompound()
    {
        app.At("2020-06-05T12:00:00");
        var grid1 = await app.As("grid1");
        var spring = await Demo.AreaAsync(app, "春天大道");
        var target = await Demo.AreaAsync(app, "叉车厂小区");
        var person = await ReportKit.RegisterAsync(app, "grid1", "春天大道", "Returnee", "竞态" + Guid.NewGuid().ToString("N")[..6]);
        var pid = Guid.Parse(person);
        var task = await VerificationOfAsync(grid1, person);
        // What a request sees when it read the task before a move committed: the task in 春天大道, the person already gone.
        await app.WithDbAsync(db => db.Set<Person>().IgnoreQueryFilters().Where(p => p.Id == pid).ExecuteUpdateAsync(s => s.SetProperty(p => p.CompoundId, target.Id)));
        var r = await grid1.PostJsonAsync($"/api/tasks/{task}/attempts", new { method = "Visit", outcome = "NotReached" });
        Assert.Contains("已移交", await r.ExpectAsync(HttpStatusCode.Conflict));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<EpiGrid.Features.Tasks.Attempt>().IgnoreQueryFilters().CountAsync(a => a.PersonId == pid && a.CompoundId == spring.Id)));
    }

    [Fact]
    public async Task AHealthCheckOfAPersonReadBeforeTheirMove_Is409_NothingLandsInTheOldCompound()
    {
        app.At("2020-06-05T13:00:00");
        var spring = await Demo.AreaAsync(app, "春天大道");
        var target = await Demo.AreaAsync(app, "叉车厂小区");
        var person = await ReportKit.RegisterAsync(app, "grid1", "春天大道", "Returnee", "竞态" + Guid.NewGuid().ToString("N")[..6]);
        var pid = Guid.Parse(person);
        await using var stale = app.Services.CreateAsyncScope();
        var db = stale.ServiceProvider.GetRequiredService<AppDbContext>();
        // The request has read the person (in 春天大道) …
        Assert.Equal(spring.Id, (await db.Set<Person>().FirstAsync(p => p.Id == pid)).CompoundId);
        // … another moves them and commits …
        await using (var other = app.Services.CreateAsyncScope())
        {
            Assert.NotNull(await other.ServiceProvider.GetRequiredService<MovePerson>().MoveAsync(pid, target.Id, "测试"));
        }
        // … and the request saves its check with what it read: refused, not written into the old compound.
        var observe = stale.ServiceProvider.GetRequiredService<ObservePerson>();
        var e = await Assert.ThrowsAsync<EpiGrid.Platform.Validation.InvalidStepException>(() =>
            observe.CheckAsync(pid, new ObservePerson.CheckInput(38.2m, null, EpiGrid.Features.Observation.CheckMethod.Phone, null)));
        Assert.Contains("已移交", e.Message);
        Assert.Equal(0, await app.WithDbAsync(d => d.Set<HealthCheck>().IgnoreQueryFilters().CountAsync(c => c.PersonId == pid)));
        Assert.Equal(0, await app.WithDbAsync(d => d.Set<Alert>().IgnoreQueryFilters().CountAsync(a => a.PersonId == pid && a.AreaId == spring.Id)));
    }
}
