using EpiGrid.Data;
using EpiGrid.Platform.Privacy;

namespace EpiGrid.Platform;

/// <summary>Operator commands: <c>dotnet run --project src/EpiGrid -- rotate-key</c>.</summary>
public static class Commands
{
    public static async Task<bool> TryRunAsync(WebApplication app, string[] args)
    {
        switch (args[0])
        {
            case "rotate-key":
            {
                await app.StartEpiGridAsync();
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var (id, n) = await KeyRotation.RotateAsync(db, app.Services.GetRequiredService<KeyRing>(), app.Services.GetRequiredService<TimeProvider>());
                Console.WriteLine($"数据密钥已轮换：新密钥 #{id}，已重新加密 {n} 个值。Data key rotated to #{id}; {n} values re-encrypted.");
                return true;
            }
            case "generate-people":
            {
                var count = args.Length > 1 && int.TryParse(args[1], out var n) && n > 0 ? n : 100_000;
                await app.StartEpiGridAsync();
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var sw = System.Diagnostics.Stopwatch.StartNew();
                var written = await Features.People.GeneratePeople.RunAsync(db, app.Services.GetRequiredService<PrivacyKit>(), count);
                Console.WriteLine($"已生成 {written:N0} 名人员，用时 {sw.Elapsed.TotalSeconds:N1} 秒。Generated {written:N0} people in {sw.Elapsed.TotalSeconds:N1} s.");
                return true;
            }
            case "generate-passes":
            {
                var count = args.Length > 1 && int.TryParse(args[1], out var n) && n > 0 ? n : 1_000_000;
                await app.StartEpiGridAsync();
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var sw = System.Diagnostics.Stopwatch.StartNew();
                var written = await Features.Reports.GeneratePasses.RunAsync(db, count, app.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
                Console.WriteLine($"已生成 {written:N0} 条卡口登记，用时 {sw.Elapsed.TotalSeconds:N1} 秒。Generated {written:N0} gate passes in {sw.Elapsed.TotalSeconds:N1} s.");
                return true;
            }
            case "count-passes":
            {
                await app.StartEpiGridAsync();
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                Console.WriteLine(await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.LongCountAsync(db.Set<Features.Gates.GatePass>()));
                return true;
            }
            case "generate-import-file":
            {
                // generate-import-file N path [matchShare] [badShare] [seed]: a returnee-form list for the imports benchmark (R1).
                var count = args.Length > 1 && int.TryParse(args[1], out var n) && n > 0 ? n : 100_000;
                var path = args.Length > 2 ? args[2] : "import-list.xlsx";
                var match = args.Length > 3 && double.TryParse(args[3], System.Globalization.CultureInfo.InvariantCulture, out var m) ? m : 0.1;
                var bad = args.Length > 4 && double.TryParse(args[4], System.Globalization.CultureInfo.InvariantCulture, out var b) ? b : 0.01;
                await app.StartEpiGridAsync();
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var sw = System.Diagnostics.Stopwatch.StartNew();
                var seed = args.Length > 5 && int.TryParse(args[5], out var sd) ? sd : Environment.TickCount; // a new list each run unless a seed is given
                var written = await Features.Imports.GenerateImportFile.RunAsync(db, app.Services.GetRequiredService<PrivacyKit>(), count, path, match, bad, seed);
                Console.WriteLine($"已生成名单 {path}：{written:N0} 行，用时 {sw.Elapsed.TotalSeconds:N1} 秒。Wrote {written:N0} rows to {path} in {sw.Elapsed.TotalSeconds:N1} s.");
                return true;
            }
            case "count-people":
            {
                await app.StartEpiGridAsync();
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                Console.WriteLine(await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Set<Features.People.Person>()));
                return true;
            }
            case "backup":
            {
                // Online: the app may be serving at the same time (Platform/Backup/BackupRestore.cs). Without a directory: a new
                // one in EpiGrid:Backup:Directory, which is then pruned (BackupRetention).
                var dir = await Backup.BackupRetention.BackupAsync(app.Services, args.Length > 1 ? args[1] : null, app.Services.GetRequiredService<TimeProvider>());
                Console.WriteLine($"备份完成：{dir}。Backup written to {dir}.");
                Console.WriteLine("备份含密钥文件，请妥善保管。The backup holds the key file: keep it as safe as the key itself.");
                return true;
            }
            case "restore" when args.Length > 1:
            {
                // With the app stopped: what is there is moved aside, not deleted.
                await Backup.BackupRestore.RestoreAsync(args[1], Backup.BackupTarget.From(app.Services), app.Services.GetRequiredService<TimeProvider>());
                // The restore in the audit chain, and this node's head file written afresh (ADR-019).
                await Backup.BackupRestore.RecordRestoreAsync(app.Services, args[1]);
                Console.WriteLine($"已从 {Path.GetFullPath(args[1])} 恢复。Restored from {Path.GetFullPath(args[1])}; start the app as usual.");
                return true;
            }
            case "record-restore":
            {
                // After a restore made with pg_restore or sqlite3 (app stopped, this node's old head file moved aside): the
                // restore in the audit chain and this node's head file written afresh, as `restore` does (ADR-019).
                await Backup.BackupRestore.RecordRestoreAsync(app.Services, null);
                Console.WriteLine("已在审计日志中记录恢复，并重写本节点的链头文件。Restore recorded in the audit log; this node's head file written.");
                return true;
            }
            case "reset-password" when args.Length > 1:
            {
                // The only way to reset an auditor's password (三员分立); works for any account. The new password comes
                // from EPIGRID_NEW_PASSWORD or the first line of stdin, never from the command line (shell history).
                var password = Environment.GetEnvironmentVariable("EPIGRID_NEW_PASSWORD");
                if (string.IsNullOrEmpty(password))
                {
                    if (!Console.IsInputRedirected) Console.Error.Write("新密码 New password: ");
                    password = Console.ReadLine();
                }
                await app.StartEpiGridAsync();
                var outcome = await Auth.OperatorCommands.ResetPasswordAsync(app.Services, args[1], password);
                (outcome.Ok ? Console.Out : Console.Error).WriteLine(outcome.Message);
                if (!outcome.Ok) Environment.ExitCode = 1;
                return true;
            }
            case "reset-password":
                Console.Error.WriteLine("用法 Usage: EPIGRID_NEW_PASSWORD=... dotnet run --project src/EpiGrid -- reset-password <userName>  (or the password on stdin)");
                Environment.ExitCode = 2;
                return true;
            case "restore":
                Console.Error.WriteLine($"用法 Usage: dotnet run --project src/EpiGrid -- {args[0]} <dir>");
                Environment.ExitCode = 2;
                return true;
            default:
                return false;
        }
    }
}
