using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EpiGrid.Platform.Jobs;
using Microsoft.Extensions.Options;

namespace EpiGrid.Platform.Backup;

/// <summary>Settings under <c>EpiGrid:Backup</c> (README "Retention"): the app's own backups and the copies a restore moves aside.</summary>
public sealed class BackupOptions
{
    /// <summary>Where <c>backup</c> without a directory writes (one <c>yyyyMMdd-HHmmss</c> directory per backup), and the only
    /// place backups are pruned; default <c>backups</c> in the data directory. Best on another disk.</summary>
    public string? Directory { get; set; }

    /// <summary>Days a backup in <see cref="Directory"/> is kept; default 30.</summary>
    public int KeepDays { get; set; } = 30;

    /// <summary>The newest backups kept whatever their age (backups that stopped never leave none); default 7.</summary>
    public int KeepLast { get; set; } = 7;

    /// <summary>Days the <c>.before-restore-&lt;time&gt;</c> copies a restore leaves (database, head file, uploads, dp-keys)
    /// are kept; default 30. The key file's are never removed.</summary>
    public int BeforeRestoreDays { get; set; } = 30;
}

/// <summary>
/// The retention of backups: <c>backup</c> without a directory writes into <see cref="BackupOptions.Directory"/> and then
/// prunes it; <see cref="BackupRetentionCheck"/> prunes it daily on every node, with the <c>.before-restore</c> copies.
/// Only directories named and described (<c>manifest.json</c>) as the backup command makes them are backups of the app's;
/// anything else there is left alone, and so is a backup written to a directory given on the command line outside
/// <see cref="BackupOptions.Directory"/>.
/// </summary>
public static partial class BackupRetention
{
    /// <summary>The backup command's directory name: its time, and a counter when two fall in the same second.</summary>
    public const string StampFormat = "yyyyMMdd-HHmmss";

    /// <summary>The suffix of a backup being written: renamed away when complete, so one left with it failed.</summary>
    public const string PartialSuffix = ".partial";

    public static async Task<string> BackupAsync(IServiceProvider services, string? dir, TimeProvider time, CancellationToken ct = default)
    {
        var o = services.GetRequiredService<IOptions<EpiGridOptions>>().Value;
        var root = Root(o.Backup.Directory!);
        if (dir is null)
        {
            var stamp = time.GetUtcNow().UtcDateTime.ToString(StampFormat, CultureInfo.InvariantCulture);
            dir = Path.Combine(root, stamp);
            for (var n = 2; System.IO.Directory.Exists(dir) || System.IO.Directory.Exists(dir + PartialSuffix); n++)
            {
                dir = Path.Combine(root, stamp + "-" + n.ToString(CultureInfo.InvariantCulture));
            }
            await BackupRestore.BackupAsync(BackupTarget.From(services), dir + PartialSuffix, time, ct);
            System.IO.Directory.Move(dir + PartialSuffix, dir);
        }
        else
        {
            dir = Root(dir);
            await BackupRestore.BackupAsync(BackupTarget.From(services), dir, time, ct);
        }
        if (string.Equals(Path.GetDirectoryName(dir), root, StringComparison.Ordinal)) PruneBackups(o.Backup, root, time.GetUtcNow().UtcDateTime);
        return dir;
    }

    /// <summary>A directory's full path without a trailing separator.</summary>
    private static string Root(string dir) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir));

    /// <summary>Deletes the backups in <paramref name="root"/> older than <see cref="BackupOptions.KeepDays"/>, except the
    /// newest <see cref="BackupOptions.KeepLast"/>, and the failed ones (<see cref="PartialSuffix"/>) older than that period.
    /// A backup is a directory named as the backup command names it, not a link, whose <c>manifest.json</c> names a provider,
    /// a time and its files; anything else is left alone. A directory that cannot be deleted is logged and skipped. Returns
    /// what it deleted.</summary>
    public static List<string> PruneBackups(BackupOptions o, string root, DateTime now, ILogger? log = null)
    {
        var deleted = new List<string>();
        root = Root(root);
        if (!System.IO.Directory.Exists(root)) return deleted;
        var cutoff = now.AddDays(-o.KeepDays);
        var backups = new List<(string Dir, DateTime CreatedAt)>();
        var failed = new List<string>();
        foreach (var d in new DirectoryInfo(root).EnumerateDirectories())
        {
            if (d.LinkTarget is not null) continue;
            var m = StampName().Match(d.Name);
            if (!m.Success) continue;
            if (m.Groups["partial"].Success)
            {
                if (DateTime.TryParseExact(m.Groups["stamp"].Value, StampFormat, CultureInfo.InvariantCulture,
                        DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var started) && started < cutoff) failed.Add(d.FullName);
                continue;
            }
            if (ReadManifest(Path.Combine(d.FullName, "manifest.json"), log) is { } createdAt) backups.Add((d.FullName, createdAt));
        }
        var expired = backups.OrderByDescending(b => b.CreatedAt).Skip(o.KeepLast).Where(b => b.CreatedAt < cutoff).Select(b => b.Dir);
        foreach (var d in expired.Concat(failed).ToList())
        {
            try
            {
                System.IO.Directory.Delete(d, recursive: true);
                deleted.Add(d);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log?.LogError(e, "Backup retention: {Path} could not be deleted; skipped.", d);
            }
        }
        return deleted;
    }

    /// <summary>A backup's time, if <paramref name="path"/> is a manifest the backup command wrote.</summary>
    private static DateTime? ReadManifest(string path, ILogger? log)
    {
        try
        {
            if (!File.Exists(path)) return null;
            var m = JsonSerializer.Deserialize<BackupRestore.Manifest>(File.ReadAllText(path));
            return m is { Provider: "Sqlite" or "Postgres", Files.Length: > 0 } && m.CreatedAt != default ? m.CreatedAt : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            log?.LogWarning("Backup retention: {Path} could not be read ({Error}); that directory is left alone.", path, e.GetType().Name);
            return null;
        }
    }

    [GeneratedRegex(@"^(?<stamp>\d{8}-\d{6})(-\d+)?(?<partial>\.partial)?$", RegexOptions.CultureInvariant)]
    private static partial Regex StampName();

    /// <summary>Deletes the <c>.before-restore-&lt;time&gt;</c> copies older than <see cref="BackupOptions.BeforeRestoreDays"/>
    /// wherever a restore leaves them: beside the database file, the head file, and in the data directory — except the key
    /// file's, which are kept.</summary>
    public static List<string> PruneBeforeRestore(BackupOptions o, BackupTarget target, DateTime now)
    {
        var places = new HashSet<string>(StringComparer.Ordinal) { Path.GetFullPath(target.DataDirectory) };
        void Beside(string? file)
        {
            if (Path.GetDirectoryName(Path.GetFullPath(file ?? "")) is { } d && file is not null) places.Add(d);
        }
        Beside(target.AuditHeadFile);
        if (!target.Postgres) Beside(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(target.ConnectionString).DataSource);
        var cutoff = now.AddDays(-o.BeforeRestoreDays);
        // The key file's copies stay: one may be the only key to older backups kept elsewhere (deploy.md).
        var keyCopies = Path.GetFileName(target.KeyFile) + ".before-restore-";
        var deleted = new List<string>();
        foreach (var place in places.Where(System.IO.Directory.Exists))
        {
            foreach (var entry in System.IO.Directory.EnumerateFileSystemEntries(place, "*.before-restore-*"))
            {
                if (Path.GetFileName(entry).StartsWith(keyCopies, StringComparison.Ordinal)) continue;
                var m = Aside().Match(Path.GetFileName(entry));
                if (!m.Success || !DateTime.TryParseExact(m.Groups[1].Value, "yyyyMMddHHmmss", CultureInfo.InvariantCulture,
                        DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) || at >= cutoff) continue;
                if (System.IO.Directory.Exists(entry)) System.IO.Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
                deleted.Add(entry);
            }
        }
        return deleted;
    }

    [GeneratedRegex(@"\.before-restore-(\d{14})$", RegexOptions.CultureInvariant)]
    private static partial Regex Aside();
}

/// <summary>Daily, on every node (each has its own data directory): <see cref="BackupRetention"/>'s pruning.</summary>
public sealed class BackupRetentionCheck(IServiceProvider services, IOptions<EpiGridOptions> options, TimeProvider time, ILogger<BackupRetentionCheck> log) : IPeriodicCheck
{
    public Task RunAsync(CancellationToken ct)
    {
        var o = options.Value.Backup;
        var now = time.GetUtcNow().UtcDateTime;
        var deleted = BackupRetention.PruneBackups(o, o.Directory!, now, log);
        deleted.AddRange(BackupRetention.PruneBeforeRestore(o, BackupTarget.From(services), now));
        if (deleted.Count > 0) log.LogInformation("Backup retention: removed {Paths}.", string.Join(", ", deleted));
        return Task.CompletedTask;
    }
}
