using System.Diagnostics;
using System.Text.Json;
using EpiGrid.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EpiGrid.Platform.Backup;

/// <summary>What a backup copies and a restore writes: the database, the key-encryption key file, the uploads and the
/// data-protection keys (so sign-in cookies and tokens stay valid). <paramref name="AuditHeadFile"/>: the audit chain's head
/// (ADR-019), not copied; a restore moves it aside.</summary>
public sealed record BackupTarget(bool Postgres, string ConnectionString, string DataDirectory, string KeyFile, string? AuditHeadFile = null)
{
    public static BackupTarget From(IServiceProvider services)
    {
        var config = services.GetRequiredService<IConfiguration>();
        var o = services.GetRequiredService<IOptions<EpiGridOptions>>().Value;
        var pg = DatabaseSetup.IsPostgres(config);
        return new(pg, pg ? config.GetConnectionString("Postgres")! : DatabaseSetup.SqliteConnectionString(config, o.DataDirectory), o.DataDirectory, o.KeyFile!,
            o.Audit.HeadFile);
    }
}

/// <summary>
/// <c>backup &lt;dir&gt;</c> while the app serves: SQLite through its online backup API (a consistent snapshot, even
/// with writers running), PostgreSQL through <c>pg_dump --format=custom</c> (a consistent snapshot too; pg_dump must be
/// on the PATH, the same major version as the server or newer); then the key file, <c>uploads/</c> and
/// <c>dp-keys/</c>, and a <c>manifest.json</c>. The directory holds the key with the ciphertext: it is created
/// owner-only (700), and must be kept like the key file itself.
/// <c>restore &lt;dir&gt;</c>, with the app stopped: writes them back (what was there is moved aside with a
/// <c>.before-restore-…</c> suffix; PostgreSQL: <c>pg_restore --clean</c> into the configured database, created if
/// missing).
/// </summary>
public static class BackupRestore
{
    public const string SqliteFile = "epigrid.db";
    public const string PgFile = "epigrid.pgdump";
    public const string KeyFileName = "epigrid.kek";
    private static readonly string[] Folders = ["uploads", "dp-keys"];

    public sealed record Manifest(DateTime CreatedAt, string Provider, string[] Files);

    public static async Task<Manifest> BackupAsync(BackupTarget from, string dir, TimeProvider time, CancellationToken ct = default)
    {
        dir = Path.GetFullPath(dir);
        Directory.CreateDirectory(dir);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var files = new List<string>();
        if (from.Postgres)
        {
            await RunToolAsync("pg_dump", from.ConnectionString, ["--format=custom", "--no-owner", "--file", Path.Combine(dir, PgFile)], ct);
            files.Add(PgFile);
        }
        else
        {
            var target = Path.Combine(dir, SqliteFile);
            if (File.Exists(target)) File.Delete(target);
            await using var source = new SqliteConnection(from.ConnectionString);
            await source.OpenAsync(ct);
            await using var dest = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString());
            await dest.OpenAsync(ct);
            source.BackupDatabase(dest); // the online backup API: a consistent copy while others write
            await using (var cmd = dest.CreateCommand())
            {
                cmd.CommandText = "PRAGMA journal_mode=DELETE;"; // one self-contained file
                await cmd.ExecuteNonQueryAsync(ct);
            }
            files.Add(SqliteFile);
        }
        File.Copy(from.KeyFile, Path.Combine(dir, KeyFileName), overwrite: true);
        OwnerOnly(Path.Combine(dir, KeyFileName));
        files.Add(KeyFileName);
        foreach (var folder in Folders)
        {
            var src = Path.Combine(from.DataDirectory, folder);
            var dst = Path.Combine(dir, folder);
            if (Directory.Exists(dst)) Directory.Delete(dst, recursive: true);
            if (!Directory.Exists(src)) continue;
            CopyTree(src, dst);
            files.Add(folder + "/");
        }
        var manifest = new Manifest(time.GetUtcNow().UtcDateTime, from.Postgres ? "Postgres" : "Sqlite", [.. files]);
        await File.WriteAllTextAsync(Path.Combine(dir, "manifest.json"), JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }), ct);
        return manifest;
    }

    public static async Task RestoreAsync(string dir, BackupTarget to, TimeProvider time, CancellationToken ct = default)
    {
        dir = Path.GetFullPath(dir);
        var manifest = JsonSerializer.Deserialize<Manifest>(await File.ReadAllTextAsync(Path.Combine(dir, "manifest.json"), ct))
            ?? throw new InvalidOperationException($"{dir} holds no manifest.json: not a backup.");
        if ((manifest.Provider == "Postgres") != to.Postgres)
        {
            throw new InvalidOperationException($"The backup is of {manifest.Provider}; the app is configured for {(to.Postgres ? "Postgres" : "Sqlite")}.");
        }
        var aside = ".before-restore-" + time.GetUtcNow().UtcDateTime.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        Directory.CreateDirectory(to.DataDirectory);
        if (to.Postgres)
        {
            var cs = new NpgsqlConnectionStringBuilder(to.ConnectionString);
            var database = cs.Database ?? throw new InvalidOperationException("ConnectionStrings:Postgres names no Database.");
            var admin = new NpgsqlConnectionStringBuilder(to.ConnectionString) { Database = "postgres", Pooling = false };
            await using (var conn = new NpgsqlConnection(admin.ToString()))
            {
                await conn.OpenAsync(ct);
                await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @d", conn);
                exists.Parameters.AddWithValue("d", database);
                if (await exists.ExecuteScalarAsync(ct) is null)
                {
                    await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", conn);
                    await create.ExecuteNonQueryAsync(ct);
                }
            }
            await RunToolAsync("pg_restore", to.ConnectionString, ["--clean", "--if-exists", "--no-owner", "--exit-on-error", "--single-transaction", Path.Combine(dir, PgFile)], ct);
        }
        else
        {
            var target = new SqliteConnectionStringBuilder(to.ConnectionString).DataSource;
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                if (File.Exists(target + suffix)) File.Move(target + suffix, target + suffix + aside);
            }
            File.Copy(Path.Combine(dir, SqliteFile), target);
        }
        if (File.Exists(to.KeyFile) && File.ReadAllText(to.KeyFile).Trim() != File.ReadAllText(Path.Combine(dir, KeyFileName)).Trim())
        {
            File.Move(to.KeyFile, to.KeyFile + aside);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(to.KeyFile)!);
        File.Copy(Path.Combine(dir, KeyFileName), to.KeyFile, overwrite: true);
        // The audit chain's head names the newest entry before the restore, which the restored log no longer has: kept aside
        // (what the log held then); RecordRestoreAsync then writes a fresh one (ADR-019).
        if (to.AuditHeadFile is { } head && File.Exists(head)) File.Move(head, head + aside);
        OwnerOnly(to.KeyFile);
        foreach (var folder in Folders)
        {
            var src = Path.Combine(dir, folder);
            if (!Directory.Exists(src)) continue;
            var dst = Path.Combine(to.DataDirectory, folder);
            if (Directory.Exists(dst)) Directory.Move(dst, dst + aside);
            CopyTree(src, dst);
        }
    }

    /// <summary>
    /// After <see cref="RestoreAsync"/>, on the restored database: migrates it to this build (and its chain, ADR-019), appends
    /// <see cref="AuditHeadFile.RestoredAction"/> (the backup's time, this node) and writes this node's head file afresh. Head
    /// writes the chain recorded before the restore are then no longer expected of any node's file; another node's file
    /// still naming the log before the restore makes that node's hourly write refuse, and raise an alert, until it is moved.
    /// </summary>
    /// <remarks><paramref name="dir"/> null: a restore made with the database's own tools (<c>record-restore</c>); the
    /// event then carries no backup time.</remarks>
    public static async Task RecordRestoreAsync(IServiceProvider services, string? dir, CancellationToken ct = default)
    {
        var manifest = dir is null ? null
            : JsonSerializer.Deserialize<Manifest>(await File.ReadAllTextAsync(Path.Combine(Path.GetFullPath(dir), "manifest.json"), ct));
        await DatabaseSetup.MigrateAsync(services);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var head = scope.ServiceProvider.GetRequiredService<Audit.AuditHeadFile>();
        Audit.AuditLog.Event(db, Audit.AuditHeadFile.RestoredAction, "AuditLog", Audit.AuditHeadFile.RestoreId,
            new { backupCreatedAt = manifest is null ? (DateTime?)null : DateTime.SpecifyKind(manifest.CreatedAt, DateTimeKind.Utc), by = head.Node });
        await db.SaveChangesAsync(ct);
        var written = await head.WriteLatestAsync(db, ct);
        if (!written.Written) throw new InvalidOperationException($"The audit head file {head.Path} was not written after the restore ({written.Refused}).");
    }

    private static void OwnerOnly(string file)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static void CopyTree(string src, string dst)
    {
        Directory.CreateDirectory(dst);
        foreach (var f in Directory.EnumerateFiles(src)) File.Copy(f, Path.Combine(dst, Path.GetFileName(f)), overwrite: true);
        foreach (var d in Directory.EnumerateDirectories(src)) CopyTree(d, Path.Combine(dst, Path.GetFileName(d)));
    }

    /// <summary>Runs pg_dump / pg_restore with the connection in libpq's environment variables (the password never on the command line).</summary>
    private static async Task RunToolAsync(string tool, string connectionString, string[] args, CancellationToken ct)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        var psi = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["PGHOST"] = cs.Host ?? "localhost";
        psi.Environment["PGPORT"] = cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (cs.Username is { } u) psi.Environment["PGUSER"] = u;
        if (cs.Password is { } p) psi.Environment["PGPASSWORD"] = p;
        if (cs.Database is { } d) psi.Environment["PGDATABASE"] = d;
        if (tool == "pg_restore") psi.ArgumentList.Insert(0, "--dbname=" + (cs.Database ?? "postgres"));
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{tool} did not start (is it on the PATH?)");
        var stderr = process.StandardError.ReadToEndAsync(ct);
        _ = process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {await stderr}");
    }
}
