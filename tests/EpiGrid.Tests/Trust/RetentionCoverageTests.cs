using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EpiGrid.Data;
using EpiGrid.Features.Alerts;
using EpiGrid.Features.Retention;
using EpiGrid.Features.Tasks;
using EpiGrid.Platform.Audit;
using EpiGrid.Tests.Imports;
using EpiGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EpiGrid.Tests.Trust;

public sealed class RetentionCoverageFactory : AppFactory
{
    /// <summary>A webhook nobody answers (a loopback port just freed): the alerts' messages stay queued in the outbox,
    /// as they do while the receiver is down or after its address was removed from the settings.</summary>
    private static string DeadWebhook()
    {
        var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return $"http://127.0.0.1:{port}/alerts/";
    }

    protected override bool UseFakeClock => true;
    // The clock moves by two years; the sign-in tokens must outlive that.
    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
        [new("EpiGrid:TokenLifetime", "3650.00:00:00"), new("EpiGrid:Alerts:WebhookUrl", DeadWebhook())];
}

/// <summary>
/// PIPL retention over the whole database: one record of every kind that holds personal data, each with its own
/// markers (name, ID number, phone, free texts), is kept while its period runs and gone everywhere — every table, the
/// SQLite file and its WAL, or a pg_dump — once every period has passed; the statistics and the audit chain stay.
/// </summary>
public abstract class RetentionCoverage
{
    protected readonly RetentionCoverageFactory app;

    protected RetentionCoverage(RetentionCoverageFactory app) => this.app = app;

    protected static readonly DateOnly Day = new(2020, 2, 7);

    /// <summary>An 18-digit ID number with a valid check character, unlike anything the demo office holds (Beijing, 1975).</summary>
    protected static string Id(int n, int year = 1975)
    {
        var body = $"110101{year}050{n}3{n}1"; // 17th digit odd: a man
        return body + EpiGrid.Platform.Validation.IdNumber.CheckCharacter(body);
    }

    protected static string Phone(int n) => $"158091{n}7{n}{n}{n}"; // last 4 digits unlike the demo office's

    /// <param name="Other">A further marker the tables must lose, which the audit log may keep (a column it records in clear).</param>
    protected sealed record Marked(string Kind, string Name, string IdNumber, string Phone, string Text, string? Other = null);

    // One person per kind of record; Text is a free text (address, note, description) that names them too.
    protected static readonly Marked Visitor = new("visitor pass", "留存测试甲", Id(1), Phone(1), "留存测试来处甲");
    protected static readonly Marked Reviewed = new("self-registration (rejected)", "留存测试乙", Id(2), Phone(2), "留存测试住址乙");
    protected static readonly Marked Pending = new("self-registration (never reviewed)", "留存测试庚", Id(7), Phone(7), "留存测试住址庚");
    protected static readonly Marked MovedOut = new("household resident (moved out)", "留存测试丙", Id(3), Phone(3), "留存测试丙");
    protected static readonly Marked Complainant = new("closed complaint", "留存测试丁", Id(4), Phone(4), "留存测试地址丁", "12345-20200207-9917");
    protected static readonly Marked Listed = new("import row", "留存测试戊", Id(5), Phone(5), "留存测试住址戊");
    protected static readonly Marked Watched = new("person under watch", "留存测试己", Id(6), Phone(6), "留存测试住址己");
    protected static readonly Marked FeverVisitor = new("visitor with a fever at the gate", "留存测试辛", Id(8), Phone(8), "留存测试来处辛");
    protected static readonly Marked Inspected = new("inspection (findings, note, photo)", "留存测试壬", Id(0), Phone(0), "留存测试检查壬");
    protected static readonly Marked Typist = new("user name typed at a failed sign-in", "留存测试癸", Id(7, 1977), "15809171001", "留存测试癸");
    protected static readonly Marked[] Everyone = [Visitor, Reviewed, Pending, MovedOut, Complainant, Listed, Watched, FeverVisitor, Inspected, Typist];

    /// <summary>The tables (and columns) whose text holds <paramref name="marker"/>: every string column of the model.</summary>
    protected Task<List<string>> WhereAsync(string marker) => app.WithDbAsync(async db =>
    {
        var hits = new List<string>();
        foreach (var et in db.Model.GetEntityTypes())
        {
            if (et.GetTableName() is not { } table) continue;
            var store = StoreObjectIdentifier.Table(table, et.GetSchema());
            foreach (var p in et.GetProperties().Where(p => p.ClrType == typeof(string)))
            {
                if (p.GetColumnName(store) is not { } column) continue;
                var sql = $"SELECT CAST(COUNT(*) AS INTEGER) AS \"Value\" FROM \"{table}\" WHERE \"{column}\" LIKE {{0}}";
                var n = await db.Database.SqlQueryRaw<int>(sql, "%" + marker + "%").SingleAsync();
                if (n > 0 && !hits.Contains($"{table}.{column}")) hits.Add($"{table}.{column}");
            }
        }
        return hits;
    });

    protected async Task<string> StatisticsAsync()
    {
        var leader = await app.As("leader");
        var stats = await app.As("stats");
        return string.Join("\n",
            (await leader.GetJsonAsync($"/api/gate-passes/counts?from={Day:yyyy-MM-dd}&to={Day:yyyy-MM-dd}")).ToJsonString(),
            (await leader.GetJsonAsync("/api/complaints/stats?from=2020-02-01&to=2020-02-29")).ToJsonString(),
            (await leader.GetJsonAsync($"/api/reports/daily?date={Day:yyyy-MM-dd}")).ToJsonString(),
            (await leader.GetJsonAsync("/api/people?category=Returnee"))["total"]!.ToJsonString(),
            (await stats.GetJsonAsync("/api/imports"))["items"]!.AsArray()
                .Select(i => $"{i!["id"]} {i["status"]} {i["total"]} {i["imported"]} {i["matched"]} {i["rejected"]} {i["unplaced"]}").Aggregate("", (a, b) => a + b + ";"));
    }

    protected async Task RunRetentionAsync()
    {
        var before = await StatisticsAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AnonymiseExpired>().RunOnceAsync();
            await scope.ServiceProvider.GetRequiredService<PurgeExpired>().RunOnceAsync();
        }
        Assert.Equal(before, await StatisticsAsync());
    }

    private static bool Audit(string table) => table.StartsWith("AuditLog.", StringComparison.Ordinal);

    /// <summary>Kept where the work reads it: the audit log's copy does not count.</summary>
    protected async Task AssertKeptAsync(params Marked[] people)
    {
        foreach (var p in people) Assert.True((await WhereAsync(p.Name)).Any(t => !Audit(t)), $"{p.Kind}: {p.Name} removed before its period ended");
    }

    /// <summary>The columns (named …Last4) holding exactly <paramref name="last4"/>.</summary>
    protected Task<List<string>> WhereLast4Async(string last4) => app.WithDbAsync(async db =>
    {
        var hits = new List<string>();
        foreach (var et in db.Model.GetEntityTypes())
        {
            if (et.GetTableName() is not { } table) continue;
            var store = StoreObjectIdentifier.Table(table, et.GetSchema());
            foreach (var p in et.GetProperties().Where(p => p.ClrType == typeof(string) && p.Name.EndsWith("Last4", StringComparison.Ordinal)))
            {
                if (p.GetColumnName(store) is not { } column) continue;
                var sql = $"SELECT CAST(COUNT(*) AS INTEGER) AS \"Value\" FROM \"{table}\" WHERE \"{column}\" = {{0}}";
                var n = await db.Database.SqlQueryRaw<int>(sql, last4).SingleAsync();
                if (n > 0) hits.Add($"{table}.{column}");
            }
        }
        return hits;
    });

    protected async Task AssertGoneFromTablesAsync(params Marked[] people)
    {
        var left = new List<string>();
        foreach (var p in people)
        {
            // In clear, and as the lookup hash every protected column stores beside the cipher.
            var privacy = app.With(sp => sp.GetRequiredService<EpiGrid.Platform.Privacy.PrivacyKit>());
            var hashes = new[]
            {
                privacy.LookupHash(EpiGrid.Platform.Privacy.ProtectedKind.IdNumber, p.IdNumber),
                privacy.LookupHash(EpiGrid.Platform.Privacy.ProtectedKind.Phone, p.Phone),
            };
            foreach (var m in new[] { p.Name, p.IdNumber, p.Phone, p.Text }.Concat(hashes).Concat(p.Other is null ? [] : [p.Other]))
            {
                var tables = (await WhereAsync(m)).Where(t => !Audit(t)).ToList();
                if (tables.Count > 0) left.Add($"{p.Kind} «{m}» in {string.Join(", ", tables)}");
            }
            // The last four digits, where they are kept for the search.
            foreach (var last4 in new[] { p.IdNumber[^4..], p.Phone[^4..] })
            {
                var tables = await WhereLast4Async(last4);
                if (tables.Count > 0) left.Add($"{p.Kind} last 4 «{last4}» in {string.Join(", ", tables)}");
            }
        }
        Assert.True(left.Count == 0, string.Join("\n", left));
    }

    protected Guid Import { get; private set; }

    /// <summary>SQLite's secure_delete on a connection from the pool (PostgreSQL: none).</summary>
    protected Task<long?> SecureDeleteAsync() => AppFactory.OnPostgres ? Task.FromResult<long?>(null) : app.WithDbAsync(async db =>
    {
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = "PRAGMA secure_delete;";
        return (long?)Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    });

    protected async Task SeedAsync()
    {
        var spring = await Demo.AreaAsync(app, "春天大道");
        var gate = (await Demo.GateAsync(app, "春天大道东门")).Id;
        var gate1 = await app.As("gate1");
        var grid1 = await app.As("grid1");
        var hotline = await app.As("hotline");

        // A visitor registered at the gate.
        await (await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new
        {
            clientId = Guid.NewGuid(), direction = "In", temperature = 36.5m, plate = "陕C1A234",
            visitor = new { name = Visitor.Name, phone = Visitor.Phone, idNumber = Visitor.IdNumber, from = Visitor.Text, to = "留存测试去处甲" },
        })).ExpectAsync(HttpStatusCode.Created);

        // A visitor with a fever, sent back at the gate: an alert naming them and where they came from, and its webhook message.
        await (await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new
        {
            clientId = Guid.NewGuid(), direction = "In", temperature = 38.4m,
            visitor = new { name = FeverVisitor.Name, phone = FeverVisitor.Phone, idNumber = FeverVisitor.IdNumber, from = FeverVisitor.Text, to = "留存测试去处辛" },
        })).ExpectAsync(HttpStatusCode.Created);
        var feverAlert = await app.WithDbAsync(db => db.Set<Alert>().IgnoreQueryFilters().Where(a => a.Subject.Contains(FeverVisitor.Name)).Select(a => a.Id).SingleAsync());
        await (await grid1.PostJsonAsync($"/api/alerts/{feverAlert}/acknowledge", new { note = $"已劝返{FeverVisitor.Name}，通知{FeverVisitor.Text}" })).ExpectAsync(HttpStatusCode.OK);

        // Two self-registrations: one rejected by the grid worker, one never reviewed.
        foreach (var r in new[] { Reviewed, Pending })
        {
            await (await app.Anonymous().PostJsonAsync("/api/public/registrations/610303002008", new
            {
                name = r.Name, gender = "Male", idNumber = r.IdNumber, phone = r.Phone, address = r.Text, travelFrom = "湖北武汉",
                leftAt = "2020-01-21T09:00:00+08:00", arrivedAt = "2020-01-21T19:00:00+08:00", transport = "Rail", tripNumber = "K1234",
                companions = "同行" + r.Name, symptoms = "无", consent = true,
            })).ExpectAsync(HttpStatusCode.Created);
        }
        var pending = (await grid1.GetJsonAsync("/api/registrations?status=Pending"))["items"]!.AsArray().First(x => x!["name"]!.GetValue<string>() == Reviewed.Name)!;
        await (await grid1.PostJsonAsync($"/api/registrations/{pending["id"]}/reject", new { reason = $"{Reviewed.Name}已在外地登记" })).ExpectAsync(HttpStatusCode.NoContent);

        // A resident of the register who passes the gate, then moves out.
        var household = await CreatedAsync(grid1.PostJsonAsync("/api/households", new { compoundId = spring.Id, room = "9901" }));
        var resident = await CreatedAsync(grid1.PostJsonAsync($"/api/households/{household["id"]}/residents", new
        {
            name = MovedOut.Name, relation = "户主", gender = "Male", idNumber = MovedOut.IdNumber, phone = MovedOut.Phone, type = "Renting",
        }));
        await (await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new
        {
            clientId = Guid.NewGuid(), direction = "Out", temperature = 36.4m, personId = Guid.Parse(resident["id"]!.GetValue<string>()),
        })).ExpectAsync(HttpStatusCode.Created);
        await (await grid1.PostJsonAsync($"/api/households/{household["id"]}/residents/{resident["id"]}/move-out", new { })).ExpectAsync(HttpStatusCode.OK);

        // A complaint, handled and closed; its texts name the caller, their phone and ID number.
        var ticket = await CreatedAsync(hotline.PostJsonAsync("/api/complaints", new
        {
            channel = "Phone", category = "Help", urgency = "Normal", areaId = spring.Id,
            content = $"{Complainant.Name}来电（{Complainant.Phone}，身份证{Complainant.IdNumber}）：居家隔离缺米面，请求代购。",
            complainantName = Complainant.Name, complainantPhone = Complainant.Phone, address = Complainant.Text, concerning = "邻居" + Complainant.Name,
            upstreamNumber = Complainant.Other, // the 12345 platform's number leads back to the caller there
        }));
        var id = ticket["id"]!.GetValue<string>();
        var complaintId = id;
        await (await hotline.PostJsonAsync($"/api/complaints/{id}/dispatch", new
        {
            handlerId = await Demo.UserIdAsync(app, "grid1"), responderId = await Demo.UserIdAsync(app, "leader"),
        })).ExpectAsync(HttpStatusCode.OK);
        await (await grid1.PostJsonAsync($"/api/complaints/{id}/actions", new { kind = "Visit", note = $"上门给{Complainant.Name}送米面" })).ExpectAsync(HttpStatusCode.Created);
        await (await hotline.PostJsonAsync($"/api/complaints/{id}/reply", new { text = $"已电话告知{Complainant.Name}（{Complainant.Phone}）" })).ExpectAsync(HttpStatusCode.OK);
        await (await hotline.PostJsonAsync($"/api/complaints/{id}/follow-up", new { satisfaction = "Satisfied", note = $"{Complainant.Name}表示满意" })).ExpectAsync(HttpStatusCode.OK);
        // The complainant's home was disinfected for the ticket: the record names the place and the caller.
        await (await grid1.PostJsonAsync("/api/disinfection/records", new
        {
            areaId = spring.Id, place = Complainant.Text, agent = "84消毒液", complaintId, note = $"应{Complainant.Name}要求消杀楼道",
        })).ExpectAsync(HttpStatusCode.Created);

        // An upper-level list: a row waiting to be placed (its address is no compound), and a rejected row.
        var stats = await app.As("stats");
        // The file's name, as the upper level sent it, names the person too.
        var uploaded = await stats.PostAsync("/api/imports", ImportData.Upload(ImportData.Xlsx(
        [
            ImportData.Returnee(Listed.Name, "男", Listed.IdNumber, Listed.Phone, Listed.Text),
            ImportData.Returnee("留存测试错行", "男", Listed.IdNumber[..17] + (Listed.IdNumber[17] == '0' ? '1' : '0'), "15809170099", "留存测试错行住址"),
        ]), name: $"{Listed.Name}等返乡人员.xlsx"));
        var import = Guid.Parse(JsonNode.Parse(await uploaded.ExpectAsync(HttpStatusCode.Accepted))!["id"]!.GetValue<string>());
        Import = import;
        var done = await ImportData.WaitAsync(stats, import);
        Assert.Equal("Completed", done["status"]!.GetValue<string>());

        // A person under watch whose observation ended.
        var person = await CreatedAsync(grid1.PostJsonAsync("/api/people", new
        {
            name = Watched.Name, gender = "Male", idNumber = Watched.IdNumber, phone = Watched.Phone, compoundId = spring.Id, address = Watched.Text,
            categories = new[] { "Returnee", "HomeObservation" },
            travel = new { from = "武汉", leftAt = "2020-02-01T08:00:00+08:00", arrivedAt = "2020-02-01T18:00:00+08:00", transport = "Rail", tripNumber = "G88" },
        }));
        var personId = Guid.Parse(person["id"]!.GetValue<string>());
        var order = await CreatedAsync(grid1.PostJsonAsync($"/api/people/{personId}/quarantines", new { kind = "Home", site = Watched.Text }));
        // Under watch, they leave through the gate: a quarantine breach alert naming them (and its webhook message).
        await (await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new { clientId = Guid.NewGuid(), direction = "Out", temperature = 36.6m, personId }))
            .ExpectAsync(HttpStatusCode.Created);
        var breach = await app.WithDbAsync(db => db.Set<Alert>().IgnoreQueryFilters().Where(a => a.PersonId == personId && a.Kind == AlertKind.QuarantineBreach).Select(a => a.Id).SingleAsync());
        await (await grid1.PostJsonAsync($"/api/alerts/{breach}/resolve", new { note = $"已劝{Watched.Name}返回{Watched.Text}" })).ExpectAsync(HttpStatusCode.OK);
        // A fever at a health check (an alert naming them, a follow-up task) and the clinic's outcome naming them.
        var check = await CreatedAsync(grid1.PostJsonAsync($"/api/people/{personId}/health-checks", new { temperature = 38.2m, method = "Visit" }));
        await (await grid1.PostJsonAsync($"/api/health-checks/{check["id"]}/clinic", new { outcome = $"{Watched.Name}经发热门诊排除" })).ExpectAsync(HttpStatusCode.OK);
        // Care, supplies brought to their door, a contact, a household visit that names them.
        await (await grid1.PostJsonAsync($"/api/people/{personId}/care", new { kind = "Counselling", note = $"与{Watched.Name}谈心" })).ExpectAsync(HttpStatusCode.Created);
        var supply = await CreatedAsync(grid1.PostJsonAsync("/api/supplies", new { personId, items = new[] { "大米", "给" + Watched.Name + "的药" }, note = $"{Watched.Name}腿脚不便", preferredTime = "下午" }));
        await (await grid1.PostJsonAsync($"/api/supplies/{supply["id"]}/delivered", new { deliveredBy = "志愿者", note = $"放在{Watched.Text}门口" })).ExpectAsync(HttpStatusCode.OK);
        var source = (await CreatedAsync(grid1.PostJsonAsync("/api/people", new
        {
            name = "接触源人员", gender = "Male", idNumber = Id(9), phone = Phone(9), compoundId = spring.Id, address = "春天大道1号楼", categories = new[] { "Confirmed" },
        })))["id"]!.GetValue<string>();
        await (await grid1.PostJsonAsync($"/api/people/{personId}/contacts", new { sourcePersonId = source, relation = $"{Watched.Name}的同事" })).ExpectAsync(HttpStatusCode.Created);
        await (await grid1.PostJsonAsync($"/api/households/{household["id"]}/visits", new { outcome = "SomeoneReturned", occupants = 2, note = $"{Watched.Name}居家观察中，电话{Watched.Phone}" })).ExpectAsync(HttpStatusCode.Created);
        await (await grid1.PostJsonAsync($"/api/quarantines/{order["id"]}/extend", new { days = 1, reason = $"{Watched.Name}同住人发热" })).ExpectAsync(HttpStatusCode.OK);
        await (await grid1.PostJsonAsync($"/api/quarantines/{order["id"]}/close", new { status = "Released", note = $"{Watched.Name}期满解除" })).ExpectAsync(HttpStatusCode.OK);
        // Their verification: not reached here, then handed to another office named after them (the task's note).
        var task = await app.WithDbAsync(db => db.Set<WorkTask>().IgnoreQueryFilters().Where(t => t.PersonId == personId && t.Kind == TaskKind.Verification).Select(t => t.Id).SingleAsync());
        await (await grid1.PostJsonAsync($"/api/tasks/{task}/attempts", new { method = "Phone", outcome = "NotInJurisdiction", note = $"{Watched.Name}说住在外区" })).ExpectAsync(HttpStatusCode.Created);
        await (await grid1.PostJsonAsync($"/api/tasks/{task}/transfer", new { otherOffice = $"{Watched.Name}户籍地街道" })).ExpectAsync(HttpStatusCode.OK);
        // A disinfection of their door, tied to no complaint; the day's report, its remark naming them.
        await (await grid1.PostJsonAsync("/api/disinfection/records", new
        {
            areaId = spring.Id, place = Watched.Text, agent = "84消毒液", note = $"{Watched.Name}家门口",
        })).ExpectAsync(HttpStatusCode.Created);
        await (await stats.PostJsonAsync("/api/reports/daily/review", new
        {
            date = Day.AddDays(-1).ToString("yyyy-MM-dd"), remarks = new[] { new { areaId = (await Demo.AreaAsync(app, "西关社区")).Id, remark = $"{Watched.Name}已落实居家观察" } },
        })).ExpectAsync(HttpStatusCode.OK);

        // An inspection of a shop whose findings and note name the shopkeeper, with a photo.
        var shop = await CreatedAsync(grid1.PostJsonAsync("/api/premises", new { kind = "FoodShop", name = "春天大道留存测试超市", compoundId = spring.Id }));
        var inspection = await CreatedAsync(grid1.PostJsonAsync($"/api/premises/{shop["id"]}/inspections", new
        {
            date = Day.ToString("yyyy-MM-dd"), inspectors = "王芳", wildAnimals = "Pass", feverMedicineRegister = "NotApplicable",
            staffMasks = "Pass", disinfection = "Pass", other = "Pass", otherNote = Inspected.Text, findings = $"店主{Inspected.Name}（{Inspected.Phone}）配合检查",
        }));
        var photo = new ByteArrayContent([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0xFF, 0xD9]);
        photo.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/jpeg");
        await (await grid1.PostAsync($"/api/inspections/{inspection["id"]}/photos", new MultipartFormDataContent { { photo, "file", "现场.jpg" } })).ExpectAsync(HttpStatusCode.Created);

        // Someone typed their name, ID number and phone where the sign-in form asks for the account.
        foreach (var typed in new[] { Typist.Name, Typist.IdNumber, Typist.Phone })
        {
            await (await app.Anonymous().PostJsonAsync("/api/auth/login", new { userName = typed, password = "Wrong#12345678" })).ExpectAsync(HttpStatusCode.Unauthorized);
        }

        // The alerts' webhook messages are still queued (nobody answers): they carry the names too.
        Assert.Contains(await app.WithDbAsync(db => db.Set<AlertDelivery>().Select(d => d.Payload).ToListAsync()), p => p.Contains(FeverVisitor.Name, StringComparison.Ordinal));
        Assert.Contains(await app.WithDbAsync(db => db.Set<AlertDelivery>().Select(d => d.Payload).ToListAsync()), p => p.Contains(Watched.Name, StringComparison.Ordinal));
    }

    private static async Task<JsonNode> CreatedAsync(Task<HttpResponseMessage> post)
    {
        var r = await post;
        return JsonNode.Parse(await r.ExpectAsync(HttpStatusCode.Created))!;
    }

    protected string[] PhotoFiles() => Directory.Exists(Path.Combine(app.DataDirectory, "uploads", "inspections"))
        ? Directory.GetFiles(Path.Combine(app.DataDirectory, "uploads", "inspections")) : [];

    protected string[] ImportFiles() => Directory.Exists(Path.Combine(app.DataDirectory, "uploads", "imports"))
        ? Directory.GetFiles(Path.Combine(app.DataDirectory, "uploads", "imports")) : [];

    /// <summary>SQLite: the database file and its WAL as they are on disk (the retention run ends with a checkpoint);
    /// PostgreSQL: a plain pg_dump of the test's database.</summary>
    protected async Task<byte[]> DatabaseBytesAsync()
    {
        if (!AppFactory.OnPostgres)
        {
            var file = Path.Combine(app.DataDirectory, "epigrid.db");
            var bytes = new List<byte>();
            foreach (var f in new[] { file, file + "-wal" }.Where(File.Exists))
            {
                await using var s = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var ms = new MemoryStream();
                await s.CopyToAsync(ms);
                bytes.AddRange(ms.ToArray());
            }
            return [.. bytes];
        }
        var cs = new NpgsqlConnectionStringBuilder(app.PostgresConnectionString);
        var psi = new ProcessStartInfo("pg_dump") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-h", cs.Host!, "-p", cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", cs.Username!, "-d", cs.Database!, "--no-owner" }) psi.ArgumentList.Add(a);
        psi.Environment["PGPASSWORD"] = cs.Password;
        using var proc = Process.Start(psi)!;
        using var output = new MemoryStream();
        var copy = proc.StandardOutput.BaseStream.CopyToAsync(output);
        var err = proc.StandardError.ReadToEndAsync();
        await copy;
        await proc.WaitForExitAsync();
        Assert.True(proc.ExitCode == 0, await err);
        return output.ToArray();
    }
}

/// <summary>Each period in turn: kept until it ends, then gone from every table (AuditLog aside: t3-audit masks it).</summary>
public sealed class RetentionCoverageTests : RetentionCoverage, IClassFixture<RetentionCoverageFactory>
{
    public RetentionCoverageTests(RetentionCoverageFactory app) : base(app) { }

    [Fact]
    public async Task Every_kind_of_personal_record_is_kept_for_its_period_then_gone_from_every_table()
    {
        await SeedAsync();
        foreach (var p in Everyone) Assert.True((await WhereAsync(p.Name)).Count > 0, $"{p.Kind}: {p.Name} not seeded");
        Assert.Contains("Complaint.Content", await WhereAsync(Complainant.IdNumber)); // the search sees digits where they are in clear
        Assert.NotEmpty(ImportFiles());
        var secureDelete = await SecureDeleteAsync();

        app.Clock.Advance(TimeSpan.FromDays(29));
        await RunRetentionAsync();
        // Everyone is kept until their period ends.
        await AssertKeptAsync(Everyone);

        app.Clock.Advance(TimeSpan.FromDays(2)); // day 31: visitors' passes, self-registrations, a resident who moved out
        await RunRetentionAsync();
        await AssertGoneFromTablesAsync(Visitor, FeverVisitor, Reviewed, Pending, MovedOut);
        await AssertKeptAsync(Complainant, Listed, Watched, Inspected, Typist);
        Assert.NotEmpty(ImportFiles());

        app.Clock.Advance(TimeSpan.FromDays(60)); // day 91: import rows and files
        await RunRetentionAsync();
        await AssertGoneFromTablesAsync(Listed);
        Assert.Empty(ImportFiles());
        await AssertKeptAsync(Complainant, Watched, Inspected, Typist);
        // The import keeps its counts; its feedback sheet can no longer be made, and says why.
        var stats = await app.As("stats");
        Assert.Equal(1, (await stats.GetJsonAsync($"/api/imports/{Import}"))["unplaced"]!.GetValue<int>());
        Assert.Contains("保存期限", await (await stats.GetAsync($"/api/imports/{Import}/feedback.xlsx")).ExpectAsync(HttpStatusCode.Conflict));

        app.Clock.Advance(TimeSpan.FromDays(90)); // day 181: the person under watch; sign-in records
        await RunRetentionAsync();
        await AssertGoneFromTablesAsync(Watched, Typist);
        await AssertKeptAsync(Complainant, Inspected);
        Assert.NotEmpty(PhotoFiles());

        app.Clock.Advance(TimeSpan.FromDays(550)); // day 731: the closed complaint; the inspection's texts and photos
        await RunRetentionAsync();
        await AssertGoneFromTablesAsync(Everyone);
        Assert.Empty(PhotoFiles());

        // The pooled connection retention used is handed back as it was: the gate writer's inserts do not zero freed space.
        Assert.Equal(secureDelete, await SecureDeleteAsync());

        // Once: a second run finds nothing more to do and changes nothing.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var again = await scope.ServiceProvider.GetRequiredService<PurgeExpired>().RunOnceAsync();
            Assert.Equal(0, again.Total);
        }
        // Each run is audited with counts, never with personal text; the chain holds.
        var events = await app.WithDbAsync(db => db.Set<AuditEntry>().Where(e => e.Action == "Retention").Select(e => e.Entity + " " + e.Details).ToListAsync());
        foreach (var kind in new[] { "GatePass", "PendingRegistration", "Resident", "ImportJob", "Complaint" }) Assert.Contains(events, e => e.StartsWith(kind + " ", StringComparison.Ordinal));
        foreach (var p in Everyone) Assert.DoesNotContain(events, e => e.Contains(p.Name, StringComparison.Ordinal));
        var chain = await (await app.As("auditor")).GetJsonAsync("/api/audit/verify");
        Assert.True(chain["intact"]!.GetValue<bool>(), chain.ToJsonString());
    }
}

/// <summary>The whole database as bytes: the SQLite file and WAL, or a pg_dump.</summary>
public sealed class RetentionDatabaseSearchTests : RetentionCoverage, IClassFixture<RetentionCoverageFactory>
{
    public RetentionDatabaseSearchTests(RetentionCoverageFactory app) : base(app) { }

    [Fact]
    public async Task After_every_period_no_seeded_name_ID_number_or_phone_is_anywhere_in_the_database_file_or_dump()
    {
        await SeedAsync();
        app.Clock.Advance(TimeSpan.FromDays(731));
        await RunRetentionAsync(); // the statistics, read before and after at the same time, are the same

        var dump = await DatabaseBytesAsync();
        var found = new List<string>();
        foreach (var p in Everyone)
        {
            foreach (var m in new[] { p.Name, p.IdNumber, p.Phone, p.Text })
            {
                if (dump.AsSpan().IndexOf(Encoding.UTF8.GetBytes(m)) >= 0) found.Add($"{p.Kind} «{m}» (tables: {string.Join(", ", await WhereAsync(m))})");
            }
        }
        Assert.True(found.Count == 0, "found in the database:\n" + string.Join("\n", found));
        var chain = await (await app.As("auditor")).GetJsonAsync("/api/audit/verify");
        Assert.True(chain["intact"]!.GetValue<bool>(), chain.ToJsonString());
    }
}
