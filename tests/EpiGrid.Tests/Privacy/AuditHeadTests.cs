using EpiGrid.Data;
using EpiGrid.Features.Alerts;
using EpiGrid.Platform.Audit;
using EpiGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Privacy;

/// <summary>
/// Review of T3: the chain records every head write (<c>AuditHeadWritten</c>: which node's file, which entry), so a head
/// file deleted or put back older no longer passes as "no head file yet"; an older build cannot append to the keyed
/// chain; a refused head write raises an alert.
/// </summary>
public sealed class AuditHeadTests
{
    private static async Task WriteHeadAsync(AppFactory f)
    {
        await using var scope = f.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AuditHeadCheck>().RunAsync(CancellationToken.None);
    }

    private static string HeadPath(AppFactory f) => f.Services.GetRequiredService<AuditHeadFile>().Path;

    [Fact]
    public async Task A_head_file_deleted_after_a_head_was_written_fails_the_check_on_the_api_and_the_page()
    {
        using var app = new AppFactory();
        await WriteHeadAsync(app);
        Assert.True(File.Exists(HeadPath(app)));
        File.Delete(HeadPath(app));

        var check = await (await app.As("auditor")).GetJsonAsync("/api/audit/verify");
        Assert.False(check["intact"]!.GetValue<bool>(), check.ToJsonString());
        Assert.Equal("Missing", check["head"]!["state"]!.GetValue<string>());
        var html = await AuditPrivacyTests.VerifyOnThePageAsync(app);
        Assert.Contains("链头文件不见了", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_older_head_file_put_back_fails_the_check()
    {
        using var app = new AppFactory();
        await WriteHeadAsync(app);
        var old = await File.ReadAllTextAsync(HeadPath(app));
        await app.WithDbAsync(async db =>
        {
            AuditLog.Event(db, "Export", "测试", "", new { rows = 1 });
            await db.SaveChangesAsync();
        });
        await WriteHeadAsync(app);
        await File.WriteAllTextAsync(HeadPath(app), old); // the file rolled back to an older, valid head

        var check = await (await app.As("auditor")).GetJsonAsync("/api/audit/verify");
        Assert.False(check["intact"]!.GetValue<bool>(), check.ToJsonString());
        Assert.Equal("Older", check["head"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refused_head_write_raises_an_alert_instead_of_only_logging()
    {
        using var app = new AppFactory();
        await File.WriteAllTextAsync(HeadPath(app), """{"seq":1,"hash":"00","at":"2020-01-01T00:00:00Z","writtenAt":"2020-01-01T00:00:00Z","mac":"00"}""");
        await WriteHeadAsync(app);
        await WriteHeadAsync(app); // once a day, not once an hour

        var alerts = await app.WithDbAsync(db => db.Set<Alert>().IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.DedupeKey!.StartsWith("audit-head:")).ToListAsync());
        var alert = Assert.Single(alerts);
        Assert.Contains("链头文件", alert.Subject, StringComparison.Ordinal);
        Assert.Equal(AlertStatus.Open, alert.Status);
        // The admin's list shows it.
        var list = await (await app.As("admin")).GetJsonAsync("/api/alerts?status=Open");
        Assert.Contains(alert.Id.ToString(), list.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_older_build_appending_with_its_column_list_fails_and_the_new_build_appends_to_a_chain_that_verifies()
    {
        using var app = new AppFactory();
        var last = await app.WithDbAsync(db => db.Set<AuditEntry>().AsNoTracking().OrderByDescending(a => a.Seq).FirstAsync());
        var at = DateTime.UtcNow;
        var details = """{"fields":["idNumber"],"reason":"为联系家属"}""";
        var hash = AuditPrivacyTests.LegacyHash(last.Seq + 1, last.Hash, at, null, "grid1", "Reveal", "Person", "1", details);
        // The insert of a build from before the keyed chain: its column list, its unkeyed hash, its details in clear.
        var e = await Assert.ThrowsAnyAsync<Exception>(() => app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"""
            INSERT INTO "AuditLog" ("Seq", "At", "UserId", "UserName", "Action", "Entity", "EntityId", "Details", "PrevHash", "Hash")
            VALUES ({last.Seq + 1}, {at}, {(Guid?)null}, {"grid1"}, {"Reveal"}, {"Person"}, {"1"}, {details}, {last.Hash}, {hash})
            """)));
        // The column without a default: SQLite "NOT NULL constraint failed: AuditLog.ChainVersion", PostgreSQL "null value in
        // column "ChainVersion" … violates not-null constraint".
        Assert.Contains("ChainVersion", e.Message, StringComparison.Ordinal);
        Assert.Contains("NOT NULL", e.Message.Replace("not-null", "NOT NULL", StringComparison.Ordinal), StringComparison.Ordinal);

        await app.WithDbAsync(async db =>
        {
            AuditLog.Event(db, "Export", "测试", "", new { rows = 2 });
            await db.SaveChangesAsync();
        });
        var check = await (await app.As("auditor")).GetJsonAsync("/api/audit/verify");
        Assert.True(check["intact"]!.GetValue<bool>(), check.ToJsonString());
    }

    [Fact]
    public async Task A_row_inserted_outside_the_chain_with_seq_0_breaks_the_check()
    {
        using var app = new AppFactory();
        var first = await app.WithDbAsync(db => db.Set<AuditEntry>().AsNoTracking().OrderBy(a => a.Seq).FirstAsync());
        // Someone with database access: a Reveal by another user, at Seq 0, which the walk from 1 never reads.
        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"""
            INSERT INTO "AuditLog" ("Seq", "At", "UserId", "UserName", "Action", "Entity", "EntityId", "Details", "PrevHash", "Hash", "ChainVersion")
            VALUES ({0L}, {DateTime.UtcNow}, {(Guid?)null}, {"grid2"}, {"Reveal"}, {"Person"}, {"1"}, {"{}"}, {""}, {first.Hash}, {2})
            """));

        var check = await (await app.As("auditor")).GetJsonAsync("/api/audit/verify");
        Assert.False(check["intact"]!.GetValue<bool>(), check.ToJsonString());
        Assert.Contains("链外", check["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_older_head_file_put_back_is_not_overwritten_by_the_hourly_write_and_raises_an_alert()
    {
        using var app = new AppFactory();
        await WriteHeadAsync(app);
        var old = await File.ReadAllTextAsync(HeadPath(app));
        await app.WithDbAsync(async db =>
        {
            AuditLog.Event(db, "Export", "测试", "", new { rows = 1 });
            await db.SaveChangesAsync();
        });
        await WriteHeadAsync(app);
        await File.WriteAllTextAsync(HeadPath(app), old);

        var outcome = await AuditPrivacyTests.WriteHeadAsync(app);
        Assert.Equal("older", outcome.Refused);
        await WriteHeadAsync(app); // the hourly check
        Assert.Equal(old, await File.ReadAllTextAsync(HeadPath(app)));
        var alert = Assert.Single(await app.WithDbAsync(db => db.Set<Alert>().IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.DedupeKey!.StartsWith("audit-head:")).ToListAsync()));
        Assert.Equal(AlertKind.AuditChain, alert.Kind);
        Assert.Contains("旧的链头文件", alert.Subject, StringComparison.Ordinal);
        var check = await (await app.As("auditor")).GetJsonAsync("/api/audit/verify");
        Assert.False(check["intact"]!.GetValue<bool>(), check.ToJsonString());
        Assert.Equal("Older", check["head"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_head_write_records_the_entry_hash_and_the_node_in_clear()
    {
        using var app = new AppFactory();
        await WriteHeadAsync(app);
        var written = await app.WithDbAsync(db => db.Set<AuditEntry>().AsNoTracking()
            .Where(a => a.Action == AuditHeadFile.WrittenAction).OrderByDescending(a => a.Seq).FirstAsync());
        var d = System.Text.Json.Nodes.JsonNode.Parse(written.Details)!;
        var hashOf = await app.WithDbAsync(db => db.Set<AuditEntry>().AsNoTracking()
            .Where(a => a.Seq == d["seq"]!.GetValue<long>()).Select(a => a.Hash).FirstAsync());
        Assert.Equal(hashOf, d["headFileHash"]!.GetValue<string>());
        Assert.Equal(app.Services.GetRequiredService<AuditHeadFile>().Node, d["by"]!.GetValue<string>());
    }
}
