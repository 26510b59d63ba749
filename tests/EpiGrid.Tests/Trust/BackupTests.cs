using System.Collections.Concurrent;
using System.Net;
using EpiGrid.Data;
using EpiGrid.Features.Alerts;
using EpiGrid.Platform;
using EpiGrid.Platform.Audit;
using EpiGrid.Platform.Backup;
using EpiGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EpiGrid.Tests.Trust;

public sealed class BackupTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task A_backup_taken_while_writing_restores_into_a_fresh_data_directory_with_protected_fields_readable()
    {
        var grid = await app.As("grid1");
        var compound = (await Demo.AreaAsync(app, "春天大道")).Id;
        var idNumber = People.RegisterPersonTests.NewIdNumber();
        async Task<Guid?> RegisterAsync(string name, string id)
        {
            var r = await grid.PostJsonAsync("/api/people", new
            {
                name, gender = "Male", idNumber = id, phone = "13811112222", compoundId = compound,
                address = "春天大道2号楼", categories = new[] { "Returnee" },
            });
            return r.StatusCode == HttpStatusCode.Created ? Guid.Parse((await r.JsonAsync())["id"]!.GetValue<string>()) : null;
        }
        var first = (await RegisterAsync("备份甲", idNumber))!.Value;
        var photo = Path.Combine(app.DataDirectory, "uploads", "inspections", "probe.jpg");
        Directory.CreateDirectory(Path.GetDirectoryName(photo)!);
        await File.WriteAllBytesAsync(photo, [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]);

        // Writers keep registering while the backup runs.
        var acknowledgedBeforeBackup = new ConcurrentBag<Guid>();
        var backupStarted = false;
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                var started = Volatile.Read(ref backupStarted);
                var id = await RegisterAsync($"并发{w}-{n++}", People.RegisterPersonTests.NewIdNumber());
                if (id is { } x && !started) acknowledgedBeforeBackup.Add(x);
            }
        })).ToArray();
        await Task.Delay(300);
        var dir = Path.Combine(Path.GetTempPath(), "epigrid-backup-" + Guid.NewGuid().ToString("N"));
        Volatile.Write(ref backupStarted, true);
        var ackSnapshot = acknowledgedBeforeBackup.ToArray();
        var manifest = await BackupRestore.BackupAsync(BackupTarget.From(app.Services), dir, TimeProvider.System);
        await Task.Delay(200);
        stop.Cancel();
        await Task.WhenAll(writers);
        Assert.Contains("epigrid.kek", manifest.Files);
        Assert.Contains("uploads/", manifest.Files);

        // A second node's head file, written after the backup: it names entries the restored log will not have.
        await app.WithDbAsync(async db =>
        {
            AuditLog.Event(db, "Export", "测试", "", new { rows = 1 });
            await db.SaveChangesAsync();
        });
        var nodeBFile = Path.Combine(app.DataDirectory, "node-b", "audit-head.json");
        await NodeB(app, nodeBFile).Check.RunAsync(CancellationToken.None);
        Assert.True(File.Exists(nodeBFile));

        using var restored = new AppFactory(); // not started: the restore runs with the app stopped
        try
        {
            var head = Path.Combine(restored.DataDirectory, "audit-head.json");
            var target = new BackupTarget(AppFactory.OnPostgres,
                AppFactory.OnPostgres ? restored.PostgresConnectionString : $"Data Source={Path.Combine(restored.DataDirectory, "epigrid.db")}",
                restored.DataDirectory, Path.Combine(restored.DataDirectory, "epigrid.kek"), head);
            await File.WriteAllTextAsync(head, "{}"); // a head from before the restore: it names entries the restored log lacks
            await BackupRestore.RestoreAsync(dir, target, TimeProvider.System);
            await BackupRestore.RecordRestoreAsync(restored.Services, dir); // what the restore command does next
            Assert.Single(Directory.GetFiles(restored.DataDirectory, "audit-head.json.before-restore-*"));
            // This node's head written afresh, the restore recorded in the chain.
            Assert.True(File.Exists(head));
            var events = await restored.WithDbAsync(db => db.Set<AuditEntry>().AsNoTracking().OrderByDescending(a => a.Seq).Take(2).ToListAsync());
            Assert.Equal(["AuditHeadWritten", "AuditRestored"], events.Select(e => e.Action));
            var afterRestore = await (await restored.As("auditor")).GetJsonAsync("/api/audit/verify");
            Assert.True(afterRestore["intact"]!.GetValue<bool>(), afterRestore.ToJsonString());
            Assert.Equal("Matches", afterRestore["head"]!["state"]!.GetValue<string>());

            // The other node's file still names the log before the restore: its hourly write refuses, and says so in an alert.
            await NodeB(restored, nodeBFile).Check.RunAsync(CancellationToken.None);
            var alert = await restored.WithDbAsync(db => db.Set<Alert>().IgnoreQueryFilters().AsNoTracking()
                .SingleAsync(a => a.Kind == AlertKind.AuditChain));
            Assert.Contains("node-b", alert.Subject, StringComparison.Ordinal);

            var grid2 = await restored.As("grid1");
            var p = await grid2.GetJsonAsync($"/api/people/{first}");
            Assert.Equal("备份甲", p["name"]!.GetValue<string>());
            // The protected fields decrypt with the restored key file.
            var revealed = await (await restored.As("grid1")).PostJsonAsync($"/api/people/{first}/reveal", new { reason = "恢复核验" });
            Assert.Equal(idNumber, (await revealed.JsonAsync())["idNumber"]!.GetValue<string>());
            // Every registration acknowledged before the backup began is in it.
            foreach (var id in ackSnapshot) (await grid2.GetAsync($"/api/people/{id}")).EnsureStatus(HttpStatusCode.OK);
            Assert.True(File.Exists(Path.Combine(restored.DataDirectory, "uploads", "inspections", "probe.jpg")));
            var chain = await (await restored.As("auditor")).GetJsonAsync("/api/audit/verify");
            Assert.True(chain["intact"]!.GetValue<bool>(), chain.ToJsonString());
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private sealed record Node(AuditHeadFile Head, AuditHeadCheck Check, IServiceScope Scope);

    /// <summary>Another node on the same database: its own head file and name.</summary>
    private static Node NodeB(AppFactory f, string path)
    {
        var scope = f.Services.CreateScope();
        var sp = scope.ServiceProvider;
        var o = new EpiGridOptions { Audit = { HeadFile = path, Node = "node-b" } };
        var head = new AuditHeadFile(Options.Create(o), sp.GetRequiredService<AuditChainKey>(), TimeProvider.System, NullLogger<AuditHeadFile>.Instance);
        return new(head, new AuditHeadCheck(sp.GetRequiredService<AppDbContext>(), head, TimeProvider.System, NullLogger<AuditHeadCheck>.Instance), scope);
    }
}
