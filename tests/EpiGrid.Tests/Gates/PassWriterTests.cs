using System.Net;
using System.Net.Http.Json;
using EpiGrid.Features.Gates;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Gates;

/// <summary>
/// The group-commit writer behind <c>POST /api/gates/{id}/passes</c> (ADR-010) and the per-node caches the pass relies
/// on (ADR-009): what a gate keeper sees must not change because passes are now committed together.
/// </summary>
public sealed class PassWriterTests(GatesFactory app) : IClassFixture<GatesFactory>
{
    private static object Visitor() => new { name = "赵访客", phone = "13800138000", idNumber = RegisterPersonTests.NewIdNumber(), from = "宝鸡", to = "春天大道" };

    [Fact]
    public async Task TheSameClientId_PostedTwentyTimesAtOnce_IsOneRow_OneCreated_AndEveryAnswerHasItsId()
    {
        var gate1 = await app.As("gate1");
        var gate = (await Demo.GateAsync(app, "春天大道东门")).Id;
        var clientId = Guid.NewGuid();
        var body = new { clientId, direction = "In", temperature = 36.6m, visitor = Visitor() };
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            var r = await gate1.PostJsonAsync($"/api/gates/{gate}/passes", body);
            return (r.StatusCode, Id: (await r.JsonAsync())["id"]!.GetValue<string>());
        }));
        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(19, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Single(answers.Select(a => a.Id).Distinct());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<GatePass>().IgnoreQueryFilters().CountAsync(p => p.ClientId == clientId)));
    }

    [Fact]
    public async Task ResidentsPostedTogether_AreEachStoredWithTheirOwnName_AndOneFromAnotherCompoundIsRejectedAlone()
    {
        var gate1 = await app.As("gate1");
        var gate = (await Demo.GateAsync(app, "春天大道东门")).Id;
        var residents = new List<(Guid Id, string Name)>();
        for (var i = 0; i < 5; i++)
        {
            var name = $"居民{i}号";
            residents.Add(((await GatePassTests.ResidentAsync(app, name)).Resident, name));
        }
        var (stranger, _) = await GatePassTests.ResidentAsync(app, "别处居民", compound: "西关小区");
        var posts = residents.Select(r => (r.Id, r.Name, ClientId: Guid.NewGuid())).ToList();
        var strangerClient = Guid.NewGuid();

        var results = await Task.WhenAll(posts.Select(p => gate1.PostJsonAsync($"/api/gates/{gate}/passes",
                new { clientId = p.ClientId, direction = "Out", temperature = 36.3m, personId = p.Id }))
            .Append(gate1.PostJsonAsync($"/api/gates/{gate}/passes", new { clientId = strangerClient, direction = "Out", temperature = 36.3m, personId = stranger })));

        foreach (var r in results.Take(5)) await r.ExpectAsync(HttpStatusCode.Created);
        Assert.Contains("personId", await results[5].ExpectAsync(HttpStatusCode.BadRequest));
        var stored = await app.WithDbAsync(db =>
        {
            var ids = posts.Select(p => p.ClientId).Append(strangerClient).ToList();
            return db.Set<GatePass>().IgnoreQueryFilters().Where(p => ids.Contains(p.ClientId)).ToListAsync();
        });
        Assert.Equal(5, stored.Count);
        foreach (var p in posts)
        {
            var row = stored.Single(s => s.ClientId == p.ClientId);
            Assert.Equal(p.Name, row.Name);
            Assert.Equal(p.Id, row.ResidentId);
            Assert.False(row.Visitor);
        }
    }

    [Fact]
    public async Task MovingAGateKeeperToAnotherGate_EndsTheirTokenAtOnce_AndTheNewTokenReachesOnlyTheNewGate()
    {
        var admin = await app.As("admin");
        var east = (await Demo.GateAsync(app, "春天大道东门")).Id;
        var other = (await Demo.GateAsync(app, "叉车厂小区正门")).Id;
        var userName = $"gk{Guid.NewGuid():N}"[..12];
        var create = await admin.PostJsonAsync("/api/users", new
        {
            userName, displayName = "临时值守", phone = "13700001111", roles = new[] { "GateKeeper" }, gateIds = new[] { east }, password = "Gate#2020x",
        });
        var id = (await create.JsonAsync())["id"]!.GetValue<string>();
        var keeper = await app.As(userName, "Gate#2020x");
        var body = new { clientId = Guid.NewGuid(), direction = "In", temperature = 36.5m, visitor = Visitor() };
        await (await keeper.PostJsonAsync($"/api/gates/{east}/passes", body)).ExpectAsync(HttpStatusCode.Created);

        var move = await admin.PutAsJsonAsync($"/api/users/{id}", new
        {
            userName, displayName = "临时值守", phone = "13700001111", roles = new[] { "GateKeeper" }, gateIds = new[] { other },
        });
        await move.ExpectAsync(HttpStatusCode.OK);
        // The cached account state of this node was emptied by the change: the old token is refused on the next request.
        await (await keeper.PostJsonAsync($"/api/gates/{east}/passes", new { clientId = Guid.NewGuid(), direction = "In", temperature = 36.5m, visitor = Visitor() }))
            .ExpectAsync(HttpStatusCode.Unauthorized);

        app.ForgetToken(userName);
        var again = await app.As(userName, "Gate#2020x");
        await (await again.PostJsonAsync($"/api/gates/{east}/passes", new { clientId = Guid.NewGuid(), direction = "In", temperature = 36.5m, visitor = Visitor() }))
            .ExpectAsync(HttpStatusCode.NotFound);
        await (await again.PostJsonAsync($"/api/gates/{other}/passes", new { clientId = Guid.NewGuid(), direction = "In", temperature = 36.5m, visitor = Visitor() }))
            .ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_pass_the_writer_binds_itself_is_stored_exactly_as_EF_would_store_it_column_by_column()
    {
        var gate = await Demo.GateAsync(app, "春天大道东门");
        var compound = (await Demo.AreaAsync(app, "春天大道")).Id;
        var kit = app.Services.GetRequiredService<EpiGrid.Platform.Privacy.PrivacyKit>();
        var takenAt = new DateTime(2020, 2, 7, 2, 3, 4, DateTimeKind.Utc).AddTicks(1234567);
        var idNumber = kit.Protect(EpiGrid.Platform.Privacy.ProtectedKind.IdNumber, "610303198001011234");
        var phone = kit.Protect(EpiGrid.Platform.Privacy.ProtectedKind.Phone, "13800138000");
        GatePass Make(Guid clientId)
        {
            var p = new GatePass
            {
                ClientId = clientId, GateId = gate.Id, CompoundId = compound, Direction = PassDirection.Out, Temperature = 36.8m,
                Outcome = PassOutcome.Admitted, ApprovalReason = "就医", TakenAt = takenAt, ReceivedAt = takenAt.AddSeconds(3.5), Visitor = true,
                Name = "格式对照", Plate = "陕C12345", VisitorFrom = "宝鸡", VisitorTo = "", // "" must stay text, not become NULL
            };
            p.SetVisitorIdNumber(idNumber);
            p.SetVisitorPhone(phone);
            return p;
        }
        var byWriter = Make(Guid.NewGuid());
        var byEf = Make(Guid.NewGuid());
        var written = await app.Services.GetRequiredService<PassWriter>().WriteAsync(new PassWriter.Pending(byWriter, null, byWriter.VisitorIdNumberHash));
        Assert.Equal(PassWriter.Outcome.Created, written.Outcome);
        await app.WithDbAsync(async db => { db.Add(byEf); await db.SaveChangesAsync(); });

        // Every column's stored value, as SQL sees it (quote() on SQLite, the text form on PostgreSQL).
        var rows = await app.WithDbAsync(async db =>
        {
            var entity = db.Model.FindEntityType(typeof(GatePass))!;
            var table = entity.GetTableName()!;
            var columns = entity.GetProperties().Select(p => p.GetColumnName()).Where(c => c is not ("Id" or "ClientId")).ToList();
            var sqlite = db.Database.IsSqlite();
            var select = string.Join(", ", columns.Select(c => sqlite ? $"quote(\"{c}\")" : $"\"{c}\"::text"));
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            var result = new List<string[]>();
            foreach (var id in new[] { byWriter.ClientId, byEf.ClientId })
            {
                await using var cmd = connection.CreateCommand();
                cmd.CommandText = $"SELECT {select} FROM \"{table}\" WHERE \"ClientId\" = @id";
                var p = cmd.CreateParameter();
                p.ParameterName = "@id";
                p.Value = id;
                cmd.Parameters.Add(p);
                await using var reader = await cmd.ExecuteReaderAsync();
                Assert.True(await reader.ReadAsync());
                result.Add([.. columns.Select((c, i) => c + "=" + (reader.IsDBNull(i) ? "NULL" : reader.GetValue(i).ToString()))]);
            }
            return result;
        });
        Assert.Equal(rows[1], rows[0]);
        // And EF reads the writer's row back as it reads its own (PostgreSQL keeps microseconds, both the same way).
        var back = await app.WithDbAsync(db => db.Set<GatePass>().IgnoreQueryFilters().AsNoTracking()
            .Where(p => p.ClientId == byWriter.ClientId || p.ClientId == byEf.ClientId).ToListAsync());
        var (w, e) = (back.Single(p => p.ClientId == byWriter.ClientId), back.Single(p => p.ClientId == byEf.ClientId));
        Assert.Equal((e.TakenAt, e.ReceivedAt, e.Temperature, e.Direction, e.GateId, e.VisitorIdNumberCipher), (w.TakenAt, w.ReceivedAt, w.Temperature, w.Direction, w.GateId, w.VisitorIdNumberCipher));
        Assert.Equal(byWriter.TakenAt.Ticks / 10, w.TakenAt.Ticks / 10);
    }
}
