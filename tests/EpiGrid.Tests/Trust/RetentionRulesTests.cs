using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using EpiGrid.Features.Complaints;
using EpiGrid.Features.Gates;
using EpiGrid.Features.Imports;
using EpiGrid.Features.People;
using EpiGrid.Features.Retention;
using EpiGrid.Tests.Imports;
using EpiGrid.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EpiGrid.Tests.Trust;

/// <summary>Work that never ends: a ticket the caller never confirmed, a file left Active with no order.</summary>
public sealed class RetentionStalledTests(RetentionFactory app) : IClassFixture<RetentionFactory>
{
    private Task<HttpClient> FreshAsync(string user)
    {
        app.ForgetToken(user);
        return app.As(user);
    }

    private static async Task<JsonNode> CreatedAsync(Task<HttpResponseMessage> post) => JsonNode.Parse(await (await post).ExpectAsync(HttpStatusCode.Created))!;

    private Task<Complaint> ComplaintAsync(string id) =>
        app.WithDbAsync(db => db.Set<Complaint>().IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Id == Guid.Parse(id)));

    private async Task<Counts> PurgeAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var c = await scope.ServiceProvider.GetRequiredService<PurgeExpired>().RunOnceAsync();
        return new(c.Complaints);
    }

    private sealed record Counts(int Complaints);

    [Fact]
    public async Task A_complaint_that_never_closes_loses_its_personal_texts_the_closed_period_after_its_last_step()
    {
        var hotline = await FreshAsync("hotline");
        var spring = await Demo.AreaAsync(app, "春天大道");
        async Task<string> FileAsync(HttpClient c, string name, string phone) => (await CreatedAsync(c.PostJsonAsync("/api/complaints", new
        {
            channel = "Hotline12345", category = "Help", urgency = "Normal", areaId = spring.Id,
            content = $"{name}来电（{phone}）求助", complainantName = name, complainantPhone = phone, address = name + "家", upstreamNumber = "SX" + phone,
        })))["id"]!.GetValue<string>();
        var grid1 = await Demo.UserIdAsync(app, "grid1");
        var leader = await Demo.UserIdAsync(app, "leader");

        var silent = await FileAsync(hotline, "搁置甲", "13912340001"); // received, never dispatched
        var unreached = await FileAsync(hotline, "搁置乙", "13912340002"); // answered, the caller never reached for the follow-up
        await (await hotline.PostJsonAsync($"/api/complaints/{unreached}/dispatch", new { handlerId = grid1, responderId = leader })).ExpectAsync(HttpStatusCode.OK);
        await (await hotline.PostJsonAsync($"/api/complaints/{unreached}/reply", new { text = "已电话告知搁置乙" })).ExpectAsync(HttpStatusCode.OK);
        var busy = await FileAsync(hotline, "搁置丙", "13912340003");

        app.Clock.Advance(TimeSpan.FromDays(400));
        hotline = await FreshAsync("hotline");
        await (await hotline.PostJsonAsync($"/api/complaints/{busy}/dispatch", new { handlerId = grid1, responderId = leader })).ExpectAsync(HttpStatusCode.OK);

        app.Clock.Advance(TimeSpan.FromDays(331)); // 731 days after the first two were last touched; 331 after the third
        var stats = await (await FreshAsync("leader")).GetJsonAsync("/api/complaints/stats?from=2020-02-01&to=2020-02-29");
        Assert.True((await PurgeAsync()).Complaints >= 2);
        Assert.Equal(stats.ToJsonString(), (await (await FreshAsync("leader")).GetJsonAsync("/api/complaints/stats?from=2020-02-01&to=2020-02-29")).ToJsonString());
        foreach (var (id, status) in new[] { (silent, ComplaintStatus.Received), (unreached, ComplaintStatus.Replied) })
        {
            var c = await ComplaintAsync(id);
            Assert.Equal(AnonymiseExpired.Name, c.ComplainantName);
            Assert.Equal(AnonymiseExpired.Name, c.Content);
            Assert.Null(c.ComplainantPhoneHash);
            Assert.Null(c.ComplainantPhoneLast4);
            Assert.Null(c.Address);
            Assert.Null(c.Reply);
            Assert.Null(c.UpstreamNumber);
            Assert.Equal(status, c.Status); // the ticket's state and number stay: the hotline's figures do not move
        }
        Assert.Equal("搁置丙", (await ComplaintAsync(busy)).ComplainantName);
        Assert.Equal(0, (await PurgeAsync()).Complaints); // once

        app.Clock.Advance(TimeSpan.FromDays(400));
        Assert.True((await PurgeAsync()).Complaints >= 1);
        Assert.Equal(AnonymiseExpired.Name, (await ComplaintAsync(busy)).ComplainantName);
    }

    private async Task<Guid> RegisterAsync(HttpClient grid, string name)
    {
        var p = await CreatedAsync(grid.PostJsonAsync("/api/people", new
        {
            name, gender = "Male", idNumber = People.RegisterPersonTests.NewIdNumber(), phone = "13712345678", compoundId = (await Demo.AreaAsync(app, "春天大道")).Id,
            address = "春天大道6号楼" + name, categories = new[] { "Returnee" },
        }));
        return Guid.Parse(p["id"]!.GetValue<string>());
    }

    private Task<Person> PersonAsync(Guid id) => app.WithDbAsync(db => db.Set<Person>().IgnoreQueryFilters().AsNoTracking().SingleAsync(p => p.Id == id));

    private async Task<int> AnonymiseAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AnonymiseExpired>().RunOnceAsync();
    }

    [Fact]
    public async Task A_person_left_active_with_no_order_is_de_identified_the_period_after_the_last_step_and_one_under_an_order_never()
    {
        var grid = await FreshAsync("grid1");
        var idle = await RegisterAsync(grid, "无单甲"); // registered, then nothing
        var checkedLater = await RegisterAsync(grid, "无单乙");
        var watched = await RegisterAsync(grid, "在管丙");
        await CreatedAsync(grid.PostJsonAsync($"/api/people/{watched}/quarantines", new { kind = "Home" })); // never closed

        app.Clock.Advance(TimeSpan.FromDays(100));
        grid = await FreshAsync("grid1");
        await CreatedAsync(grid.PostJsonAsync($"/api/people/{checkedLater}/health-checks", new { temperature = 36.5m, method = "Visit" }));

        app.Clock.Advance(TimeSpan.FromDays(81)); // 181 days after registration, 81 after the last check
        var active = await app.WithDbAsync(db => db.Set<Person>().IgnoreQueryFilters().CountAsync(p => p.Status == PersonStatus.Active));
        Assert.True(await AnonymiseAsync() >= 1);
        var p = await PersonAsync(idle);
        Assert.Equal(AnonymiseExpired.Name, p.Name);
        Assert.Null(p.PhoneHash);
        Assert.NotNull(p.AnonymisedAt);
        Assert.Equal(PersonStatus.Active, p.Status); // the counts by status stay
        Assert.Equal(active, await app.WithDbAsync(db => db.Set<Person>().IgnoreQueryFilters().CountAsync(p => p.Status == PersonStatus.Active)));
        Assert.Equal("无单乙", (await PersonAsync(checkedLater)).Name);
        Assert.Equal("在管丙", (await PersonAsync(watched)).Name);

        app.Clock.Advance(TimeSpan.FromDays(400));
        await AnonymiseAsync();
        Assert.Equal(AnonymiseExpired.Name, (await PersonAsync(checkedLater)).Name);
        Assert.Equal("在管丙", (await PersonAsync(watched)).Name); // under an order: never, however long
    }

    [Fact]
    public async Task A_person_left_active_with_no_order_whose_only_recent_work_is_care_or_an_open_supply_request_is_not_de_identified()
    {
        var grid = await FreshAsync("grid1");
        var cared = await RegisterAsync(grid, "照护丁");
        var supplied = await RegisterAsync(grid, "物资戊");
        var by = await Demo.UserIdAsync(app, "grid1");
        var compound = (await PersonAsync(supplied)).CompoundId;
        await app.WithDbAsync(async db =>
        {
            db.Add(new EpiGrid.Features.Supplies.SupplyRequest
            {
                PersonId = supplied, CompoundId = compound, DeliveryAddress = "春天大道6号楼", Items = "米", RequestedAt = app.Clock.GetUtcNow().UtcDateTime,
                Status = EpiGrid.Features.Supplies.SupplyStatus.Open,
            });
            await db.SaveChangesAsync();
        });
        app.Clock.Advance(TimeSpan.FromDays(100));
        await app.WithDbAsync(async db =>
        {
            db.Add(new EpiGrid.Features.Tasks.CareRecord { PersonId = cared, CompoundId = compound, Kind = EpiGrid.Features.Tasks.CareKind.Shopping, Note = "代购", At = app.Clock.GetUtcNow().UtcDateTime, ByUserId = by });
            await db.SaveChangesAsync();
        });

        app.Clock.Advance(TimeSpan.FromDays(81)); // 181 days after registration, 81 after the care record
        await AnonymiseAsync();
        Assert.Equal("照护丁", (await PersonAsync(cared)).Name);
        Assert.Equal("物资戊", (await PersonAsync(supplied)).Name);
    }
}

/// <summary>A backlog of many batches: each batch starts where the last one ended.</summary>
public sealed class RetentionBatchTests(RetentionFactory app) : IClassFixture<RetentionFactory>
{
    private const string Prefix = "积压访客";

    private async Task<PurgeExpired.Counts> PurgeAsync(CancellationToken ct = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PurgeExpired>().RunOnceAsync(ct);
    }

    [Fact]
    public async Task A_pass_the_run_cannot_change_does_not_hold_it_and_every_other_pass_of_a_long_backlog_is_stripped_once()
    {
        var gate = await Demo.GateAsync(app, "春天大道东门");
        var now = app.Clock.GetUtcNow().UtcDateTime;
        // 1203 visitors, three to a second (ties across the batches' edges), taken before any other pass of this test.
        var clients = Enumerable.Range(0, 1203).Select(_ => Guid.NewGuid()).ToList();
        await app.WithDbAsync(async db =>
        {
            db.AddRange(Enumerable.Range(0, 1203).Select(i => new GatePass
            {
                ClientId = clients[i], GateId = gate.Id, CompoundId = gate.CompoundId, Direction = PassDirection.In, Temperature = 36.5m,
                Outcome = PassOutcome.Admitted, TakenAt = now.AddSeconds(-2000 + i / 3), ReceivedAt = now, Name = Prefix + i, Visitor = true,
                VisitorFrom = "积压来处", Plate = "陕C" + i,
            }));
            await db.SaveChangesAsync();
        });
        // One pass the database refuses to change (a row another process holds, a trigger): the run must move past it.
        var table = app.With(sp => sp.GetRequiredService<EpiGrid.Data.AppDbContext>().Model.FindEntityType(typeof(GatePass))!.GetTableName()!);
        var keep = AppFactory.OnPostgres
            ? new[]
            {
                "CREATE FUNCTION retention_test_keep() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$",
                $"CREATE TRIGGER retention_test_keep BEFORE UPDATE ON \"{table}\" FOR EACH ROW WHEN (OLD.\"Name\" = '{Prefix}500') EXECUTE FUNCTION retention_test_keep()",
            }
            : [$"CREATE TRIGGER retention_test_keep BEFORE UPDATE ON \"{table}\" FOR EACH ROW WHEN OLD.\"Name\" = '{Prefix}500' BEGIN SELECT RAISE(IGNORE); END"];
        foreach (var sql in keep) await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(sql));

        app.Clock.Advance(TimeSpan.FromDays(31));
        // A guard against a run that never ends (the loop re-reading the same row), not a measure of speed.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var first = await PurgeAsync(guard.Token);
        Assert.True(first.VisitorPasses >= 1203, first.ToString());
        Assert.Equal([Prefix + "500"], await app.WithDbAsync(db => db.Set<GatePass>().IgnoreQueryFilters().Where(g => g.Name.StartsWith(Prefix)).Select(g => g.Name).ToListAsync()));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<GatePass>().IgnoreQueryFilters().CountAsync(g => g.VisitorFrom == "积压来处" && g.Name != Prefix + "500")));

        // The next run tries the row again, once.
        Assert.Equal(1, (await PurgeAsync(guard.Token)).VisitorPasses);
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(AppFactory.OnPostgres ? $"DROP TRIGGER retention_test_keep ON \"{table}\"" : "DROP TRIGGER retention_test_keep"));
        Assert.Equal(1, (await PurgeAsync(guard.Token)).VisitorPasses);
        Assert.Equal(0, (await PurgeAsync(guard.Token)).VisitorPasses);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<GatePass>().IgnoreQueryFilters().CountAsync(g => g.Name.StartsWith(Prefix))));
        // The rows stay (the gates' counts), each stripped.
        Assert.Equal(1203, await app.WithDbAsync(db => db.Set<GatePass>().IgnoreQueryFilters()
            .CountAsync(g => clients.Contains(g.ClientId) && g.Name == AnonymiseExpired.Name && g.Plate == null)));
    }
}

/// <summary>Log lines the app wrote, kept for a test to read.</summary>
public sealed class LogSink : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Lines.Enqueue((category, logLevel, formatter(state, exception)));
    }
}

public sealed class RetentionLogFactory : AppFactory
{
    public LogSink Logs { get; } = new();
    protected override bool UseFakeClock => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(l => l.AddProvider(Logs));
    }
}

/// <summary>SQLite's end-of-run checkpoint: a reader holding an old snapshot (a long export, a backup) can keep it from
/// finishing; the run says so instead of holding the gate's writes for the whole busy timeout. PostgreSQL has no such step.</summary>
public sealed class RetentionCheckpointTests(RetentionLogFactory app) : IClassFixture<RetentionLogFactory>
{
    private async Task PassAsync(HttpClient gate1, Guid gate) =>
        await (await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new
        {
            clientId = Guid.NewGuid(), direction = "In", temperature = 36.5m,
            visitor = new { name = "检查点访客", phone = "13912349999", idNumber = People.RegisterPersonTests.NewIdNumber(), from = "宝鸡", to = "春天大道" },
        }))
            .ExpectAsync(HttpStatusCode.Created);

    private List<string> CheckpointWarnings() => [.. app.Logs.Lines
        .Where(l => l.Level == LogLevel.Warning && l.Category.StartsWith("EpiGrid.Features.Retention", StringComparison.Ordinal) && l.Message.Contains("checkpoint", StringComparison.Ordinal))
        .Select(l => l.Message)];

    [Fact]
    public async Task A_checkpoint_a_reader_keeps_from_finishing_is_logged_with_its_result_and_the_gate_still_writes()
    {
        if (AppFactory.OnPostgres) return; // the WAL checkpoint is SQLite's
        var gate = (await Demo.GateAsync(app, "春天大道东门")).Id;
        var gate1 = await app.As("gate1");
        await PassAsync(gate1, gate);

        await using (var reader = new SqliteConnection($"Data Source={Path.Combine(app.DataDirectory, "epigrid.db")}"))
        {
            await reader.OpenAsync();
            await using var tx = reader.BeginTransaction(deferred: true); // a reader: no write lock
            await using (var cmd = reader.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = "SELECT COUNT(*) FROM \"Areas\"";
                await cmd.ExecuteScalarAsync(); // the reader's snapshot starts here
            }
            await PassAsync(gate1, gate); // pages the checkpoint cannot copy while that snapshot is open

            await using (var scope = app.Services.CreateAsyncScope())
            {
                var run = scope.ServiceProvider.GetRequiredService<PurgeExpired>().RunOnceAsync();
                await PassAsync(gate1, gate);
                await run;
            }
            var warning = Assert.Single(CheckpointWarnings());
            Assert.Matches(@"busy\D*1", warning);
            Assert.Matches(@"frames\D*\d+", warning);
        }

        // The reader gone, the next run's checkpoint finishes and says nothing.
        await using (var scope = app.Services.CreateAsyncScope()) await scope.ServiceProvider.GetRequiredService<PurgeExpired>().RunOnceAsync();
        Assert.Single(CheckpointWarnings());
    }
}

/// <summary>The imports' files: one that cannot be removed does not stop the run; files no import names are swept.</summary>
public sealed class RetentionImportFileTests(RetentionLogFactory app) : IClassFixture<RetentionLogFactory>
{
    private string Dir => app.With(sp => sp.GetRequiredService<ImportFiles>().Directory);

    private Task<ImportJob> JobAsync(Guid id) => app.WithDbAsync(db => db.Set<ImportJob>().IgnoreQueryFilters().AsNoTracking().SingleAsync(i => i.Id == id));

    private async Task<PurgeExpired.Counts> PurgeAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PurgeExpired>().RunOnceAsync();
    }

    /// <summary>Root ignores file permissions: the immutable attribute stops even root; anyone else, a read-only directory.</summary>
    private static void Lock(string path, bool locked)
    {
        if (Environment.UserName == "root")
        {
            using var p = Process.Start("chattr", [locked ? "+i" : "-i", path])!;
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
        }
        else
        {
            File.SetUnixFileMode(Path.GetDirectoryName(path)!, locked ? (UnixFileMode)0b101_101_101 : (UnixFileMode)0b111_111_101);
        }
    }

    [Fact]
    public async Task A_file_that_cannot_be_removed_is_logged_and_tried_again_and_the_other_imports_are_purged()
    {
        var stats = await app.As("stats");
        var first = await ImportData.UploadAsync(stats, ImportData.Xlsx([ImportData.Returnee("文件甲", "男", People.RegisterPersonTests.NewIdNumber(), "13700000011", "外地某处甲")]));
        await ImportData.WaitAsync(stats, first);
        var second = await ImportData.UploadAsync(stats, ImportData.Xlsx([ImportData.Returnee("文件乙", "男", People.RegisterPersonTests.NewIdNumber(), "13700000012", "外地某处乙")]));
        await ImportData.WaitAsync(stats, second);
        var firstPath = Path.Combine(Dir, (await JobAsync(first)).StoredName);
        var secondPath = Path.Combine(Dir, (await JobAsync(second)).StoredName);

        app.Clock.Advance(TimeSpan.FromDays(91));
        Lock(firstPath, true);
        try
        {
            await PurgeAsync();
            Assert.True(File.Exists(firstPath));
            Assert.NotEqual("", (await JobAsync(first)).StoredName); // named still: the next run tries again
            Assert.Contains(app.Logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains(Path.GetFileName(firstPath), StringComparison.Ordinal));
            Assert.Equal(0, await app.WithDbAsync(db => db.Set<ImportRow>().IgnoreQueryFilters().CountAsync(r => r.ImportId == second)));
            Assert.Equal(File.Exists(secondPath), (await JobAsync(second)).StoredName != "");
        }
        finally
        {
            Lock(firstPath, false);
        }
        await PurgeAsync();
        Assert.False(File.Exists(firstPath));
        Assert.False(File.Exists(secondPath));
        Assert.Equal("", (await JobAsync(first)).StoredName);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<ImportRow>().IgnoreQueryFilters().CountAsync(r => r.ImportId == first)));
    }

    [Fact]
    public async Task A_file_no_import_names_is_removed_once_it_is_a_day_old()
    {
        Directory.CreateDirectory(Dir);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        string Orphan(TimeSpan age)
        {
            var path = Path.Combine(Dir, Guid.NewGuid().ToString("N") + ".xlsx.enc");
            File.WriteAllBytes(path, [1, 2, 3]);
            File.SetLastWriteTimeUtc(path, now - age);
            return path;
        }
        var old = Orphan(TimeSpan.FromDays(2)); // an upload whose save failed after the file was written
        var fresh = Orphan(TimeSpan.FromMinutes(5)); // an upload being saved right now
        var stats = await app.As("stats");
        var named = await ImportData.UploadAsync(stats, ImportData.Xlsx([ImportData.Returnee("文件丙", "男", People.RegisterPersonTests.NewIdNumber(), "13700000013", "外地某处丙")]));
        await ImportData.WaitAsync(stats, named);
        var namedPath = Path.Combine(Dir, (await JobAsync(named)).StoredName);
        File.SetLastWriteTimeUtc(namedPath, now - TimeSpan.FromDays(2));

        await PurgeAsync();
        Assert.False(File.Exists(old));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(namedPath)); // its import's period has not passed
    }
}

/// <summary>"已匿名" claimed more than was done: the records keep their dates and links, so they are de-identified.</summary>
public sealed class RetentionWordingTests(RetentionFactory app) : IClassFixture<RetentionFactory>
{
    private const string Old = "已匿名";
    private const string New = "已去标识化";

    [Fact]
    public async Task Records_treated_under_the_old_marker_read_de_identified_after_the_next_runs()
    {
        app.ForgetToken("grid1");
        var grid = await app.As("grid1");
        var person = JsonNode.Parse(await (await grid.PostJsonAsync("/api/people", new
        {
            name = "旧标记甲", gender = "Male", idNumber = People.RegisterPersonTests.NewIdNumber(), phone = "13712345678",
            compoundId = (await Demo.AreaAsync(app, "春天大道")).Id, address = "春天大道7号楼", categories = new[] { "Returnee" },
        })).ExpectAsync(HttpStatusCode.Created))!["id"]!.GetValue<string>();
        var id = Guid.Parse(person);
        await (await grid.PostJsonAsync($"/api/people/{id}/care", new { kind = "Counselling", note = "谈心" })).ExpectAsync(HttpStatusCode.Created);
        // As an earlier version left them: the person, their care note, and a visitor's pass.
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var gate = await Demo.GateAsync(app, "春天大道东门");
        var pass = Guid.NewGuid();
        await app.WithDbAsync(async db =>
        {
            await db.Set<Person>().IgnoreQueryFilters().Where(p => p.Id == id)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.Name, Old).SetProperty(p => p.IdNumberMasked, Old).SetProperty(p => p.AnonymisedAt, now));
            await db.Set<EpiGrid.Features.Tasks.CareRecord>().IgnoreQueryFilters().Where(c => c.PersonId == id).ExecuteUpdateAsync(u => u.SetProperty(c => c.Note, Old));
            db.Add(new GatePass
            {
                ClientId = pass, GateId = gate.Id, CompoundId = gate.CompoundId, Direction = PassDirection.In, Temperature = 36.5m,
                Outcome = PassOutcome.Admitted, TakenAt = now.AddDays(-40), ReceivedAt = now.AddDays(-40), Name = Old, Visitor = true,
            });
            await db.SaveChangesAsync();
        });

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AnonymiseExpired>().RunOnceAsync();
            await scope.ServiceProvider.GetRequiredService<PurgeExpired>().RunOnceAsync();
        }
        var p = await app.WithDbAsync(db => db.Set<Person>().IgnoreQueryFilters().AsNoTracking().SingleAsync(x => x.Id == id));
        Assert.Equal((New, New), (p.Name, p.IdNumberMasked));
        Assert.Equal(New, await app.WithDbAsync(db => db.Set<EpiGrid.Features.Tasks.CareRecord>().IgnoreQueryFilters().Where(c => c.PersonId == id).Select(c => c.Note).SingleAsync()));
        Assert.Equal(New, await app.WithDbAsync(db => db.Set<GatePass>().IgnoreQueryFilters().Where(g => g.ClientId == pass).Select(g => g.Name).SingleAsync()));
        Assert.Equal(New, AnonymiseExpired.Name);
    }
}

public sealed class ShortSignInPeriodFactory : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("EpiGrid:Retention:SignInDays", "90")];
}

/// <summary>Sign-in records are network logs: kept six months or more.</summary>
public sealed class RetentionSignInSettingsTests
{
    [Fact]
    public void A_sign_in_period_under_six_months_stops_the_start()
    {
        using var app = new ShortSignInPeriodFactory();
        var e = Assert.ThrowsAny<Exception>(() => app.Services);
        Assert.Contains("SignInDays", e.ToString());
    }
}
