using System.Globalization;
using System.Text.Json;
using EpiGrid.Platform.Backup;
using EpiGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Trust;

public sealed class BackupRetentionFactory : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
        [new("EpiGrid:Backup:KeepDays", "30"), new("EpiGrid:Backup:KeepLast", "2"), new("EpiGrid:Backup:BeforeRestoreDays", "30")];
}

/// <summary>Review of T3: the app's own backups and the copies a restore moves aside are kept for a period, not for ever.</summary>
public sealed class BackupRetentionTests(BackupRetentionFactory app) : IClassFixture<BackupRetentionFactory>
{
    private static string Stamp(DateTime t) => t.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    /// <summary>A backup directory's name, as the backup command makes it.</summary>
    private static string BackupStamp(DateTime t) => t.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Backups_older_than_the_period_go_except_the_newest_ones_and_before_restore_copies_go_after_their_period()
    {
        var backups = Path.Combine(app.DataDirectory, "backups");
        if (Directory.Exists(backups)) Directory.Delete(backups, recursive: true);
        var now = DateTime.UtcNow;
        string Backup(int daysAgo)
        {
            var dir = Path.Combine(backups, BackupStamp(now.AddDays(-daysAgo)));
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "manifest.json"), JsonSerializer.Serialize(new BackupRestore.Manifest(now.AddDays(-daysAgo), "Sqlite", ["epigrid.db"])));
            File.WriteAllText(Path.Combine(dir, "epigrid.db"), "x");
            return dir;
        }
        var (young, second, old1, old2) = (Backup(1), Backup(41), Backup(61), Backup(81));
        var notOurs = Path.Combine(backups, "operator-notes");
        Directory.CreateDirectory(notOurs);

        var oldDb = Path.Combine(app.DataDirectory, "epigrid.db.before-restore-" + Stamp(now.AddDays(-40)));
        var newDb = Path.Combine(app.DataDirectory, "epigrid.db.before-restore-" + Stamp(now.AddDays(-2)));
        var oldUploads = Path.Combine(app.DataDirectory, "uploads.before-restore-" + Stamp(now.AddDays(-40)));
        var keyFile = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EpiGrid.Platform.EpiGridOptions>>().Value.KeyFile!;
        var oldKey = keyFile + ".before-restore-" + Stamp(now.AddDays(-40));
        File.WriteAllText(oldKey, "x");
        File.WriteAllText(oldDb, "x");
        File.WriteAllText(newDb, "x");
        Directory.CreateDirectory(Path.Combine(oldUploads, "inspections"));
        File.WriteAllText(Path.Combine(oldUploads, "inspections", "a.jpg"), "x");

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<BackupRetentionCheck>().RunAsync(CancellationToken.None);
        }

        Assert.True(Directory.Exists(young));   // within the period
        Assert.True(Directory.Exists(second));  // past it, but one of the newest two
        Assert.False(Directory.Exists(old1));
        Assert.False(Directory.Exists(old2));
        Assert.True(Directory.Exists(notOurs)); // no manifest: not a backup of the app's
        Assert.False(File.Exists(oldDb));
        Assert.False(Directory.Exists(oldUploads));
        Assert.True(File.Exists(newDb));
        Assert.True(File.Exists(oldKey)); // a key copy may be the only key to older backups kept elsewhere
        if (!AppFactory.OnPostgres) Assert.True(File.Exists(Path.Combine(app.DataDirectory, "epigrid.db"))); // the live database untouched
    }

    [Fact]
    public async Task The_backup_command_without_a_directory_writes_into_the_backups_directory_and_prunes_it()
    {
        var backups = Path.Combine(app.DataDirectory, "backups");
        if (Directory.Exists(backups)) Directory.Delete(backups, recursive: true);
        var stale = Path.Combine(backups, "19990101-000000");
        Directory.CreateDirectory(stale);
        File.WriteAllText(Path.Combine(stale, "manifest.json"), JsonSerializer.Serialize(new BackupRestore.Manifest(new DateTime(1999, 1, 1), "Sqlite", ["epigrid.db"])));

        var first = await BackupRetention.BackupAsync(app.Services, null, TimeProvider.System);
        var second = await BackupRetention.BackupAsync(app.Services, null, TimeProvider.System);
        Assert.StartsWith(backups, first, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(second, "manifest.json")));
        Assert.False(Directory.Exists(stale)); // older than 30 days and not among the newest two
        Assert.Empty(Directory.EnumerateDirectories(backups, "*.partial")); // written aside, renamed when complete
    }

    [Fact]
    public async Task A_foreign_directory_with_any_manifest_survives_and_an_old_failed_backup_goes()
    {
        var backups = Path.Combine(app.DataDirectory, "backups");
        if (Directory.Exists(backups)) Directory.Delete(backups, recursive: true);
        var now = DateTime.UtcNow;
        foreach (var days in new[] { 1, 2 })
        {
            var dir = Path.Combine(backups, BackupStamp(now.AddDays(-days)));
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "manifest.json"), JsonSerializer.Serialize(new BackupRestore.Manifest(now.AddDays(-days), "Sqlite", ["epigrid.db"])));
        }
        // Not the app's: another tool's directory with its own manifest.json, and one named like a backup with an empty one.
        var foreign = Path.Combine(backups, "photos");
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "manifest.json"), "{}");
        File.WriteAllText(Path.Combine(foreign, "a.jpg"), "x");
        var stampedForeign = Path.Combine(backups, BackupStamp(now.AddDays(-90)));
        Directory.CreateDirectory(stampedForeign);
        File.WriteAllText(Path.Combine(stampedForeign, "manifest.json"), "{}");
        // Failed backups (no manifest: it is written last): the old one goes, the recent one may still be running.
        var oldPartial = Path.Combine(backups, BackupStamp(now.AddDays(-40)) + ".partial");
        var newPartial = Path.Combine(backups, BackupStamp(now.AddHours(-1)) + ".partial");
        foreach (var d in new[] { oldPartial, newPartial })
        {
            Directory.CreateDirectory(d);
            File.WriteAllText(Path.Combine(d, "epigrid.kek"), "x");
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<BackupRetentionCheck>().RunAsync(CancellationToken.None);
        }

        Assert.True(File.Exists(Path.Combine(foreign, "a.jpg")));
        Assert.True(Directory.Exists(stampedForeign));
        Assert.False(Directory.Exists(oldPartial));
        Assert.True(Directory.Exists(newPartial));
    }
}

public sealed class ZeroBackupPeriodFactory : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("EpiGrid:Backup:KeepDays", "0")];
}

public sealed class BackupRetentionSettingsTests
{
    [Fact]
    public void A_backup_period_of_zero_days_stops_the_start()
    {
        using var app = new ZeroBackupPeriodFactory();
        var e = Assert.ThrowsAny<Exception>(() => app.Services);
        Assert.Contains("KeepDays", e.ToString());
    }
}
