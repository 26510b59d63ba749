using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EpiGrid.Data;
using EpiGrid.Features.Alerts;
using EpiGrid.Platform.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EpiGrid.Platform.Audit;

/// <summary>Settings under <c>EpiGrid:Audit</c>.</summary>
public sealed class AuditOptions
{
    /// <summary>Where the chain's head is written every hour (<c>EpiGrid:Audit:HeadFile</c>); default <c>audit-head.json</c> in the
    /// data directory. Outside the database: whoever can edit the database should not be able to edit it too.</summary>
    public string? HeadFile { get; set; }

    /// <summary>This node's name in the chain's <c>AuditHeadWritten</c> events (<c>EpiGrid:Audit:Node</c>); default the host
    /// name. It must stay the same across restarts (a container: a fixed host name, or set this).</summary>
    public string? Node { get; set; }
}

/// <summary>
/// The chain's head outside the database (ADR-019): the latest entry's Seq, Hash and time, with an HMAC of them under the
/// chain key. The database alone can then no longer lose its newest entries, or be rewritten with a valid chain, without
/// the check noticing: the entry the file names must still be there with the same hash.
/// </summary>
public sealed class AuditHeadFile(IOptions<EpiGridOptions> options, AuditChainKey key, TimeProvider time, ILogger<AuditHeadFile> log)
{
    /// <summary>The event appended after every head write: <c>Entity</c> <see cref="Entity"/>, <c>EntityId</c> the file's
    /// <see cref="FileKey"/>, details <c>seq</c> and <c>headFileHash</c> (the entry written) and <c>by</c> (the node).</summary>
    public const string WrittenAction = "AuditHeadWritten";
    public const string Entity = "AuditHeadFile";

    /// <summary>The event a restore appends (<c>Entity</c> "AuditLog", <c>EntityId</c> <see cref="RestoreId"/>): head writes
    /// recorded before it are no longer expected of any node's file.</summary>
    public const string RestoredAction = "AuditRestored";
    public const string RestoreId = "restore";

    public string Path => options.Value.Audit.HeadFile ?? throw new InvalidOperationException("EpiGrid:Audit:HeadFile is not set.");

    public string Node => string.IsNullOrWhiteSpace(options.Value.Audit.Node) ? Environment.MachineName : options.Value.Audit.Node;

    /// <summary>This node's file in the chain's events: "node:path" (a hash of it when longer than the column).</summary>
    public string FileKey
    {
        get
        {
            var k = Node + ":" + System.IO.Path.GetFullPath(Path);
            return k.Length <= 200 ? k : Node[..Math.Min(Node.Length, 100)] + ":sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(k)))[..32];
        }
    }

    public sealed record Head(long Seq, string Hash, DateTime At, DateTime WrittenAt);

    public enum ReadState { Missing, Valid, Invalid }

    /// <summary>The file as read; <see cref="FileKey"/> names it in the chain's <c>AuditHeadWritten</c> events.</summary>
    public sealed record Reading(ReadState State, Head? Head, string? Problem)
    {
        public string? FileKey { get; init; }
    }

    private sealed record Stored(long Seq, string Hash, DateTime At, DateTime WrittenAt, string Mac);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Reads and checks the file: Missing (none yet), Valid, or Invalid (unreadable, or its HMAC does not verify).</summary>
    public Reading Read() => ReadFile() with { FileKey = FileKey };

    private Reading ReadFile()
    {
        var path = Path;
        if (!File.Exists(path)) return new(ReadState.Missing, null, null);
        try
        {
            var s = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path), Json);
            if (s is null || s.Hash is null || s.Mac is null) return new(ReadState.Invalid, null, "内容不完整");
            var head = new Head(s.Seq, s.Hash, DateTime.SpecifyKind(s.At, DateTimeKind.Utc), DateTime.SpecifyKind(s.WrittenAt, DateTimeKind.Utc));
            var expected = Convert.FromHexString(Mac(head));
            var given = s.Mac.Length == expected.Length * 2 ? Convert.FromHexString(s.Mac) : [];
            if (!CryptographicOperations.FixedTimeEquals(expected, given)) return new(ReadState.Invalid, null, "HMAC 不符");
            return new(ReadState.Valid, head, null);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or FormatException or NotSupportedException)
        {
            return new(ReadState.Invalid, null, e.GetType().Name);
        }
    }

    private string Mac(Head h) => Convert.ToHexStringLower(HMACSHA256.HashData(key.Value, Encoding.UTF8.GetBytes(string.Join('\n',
        "EpiGrid audit head v1", h.Seq.ToString(CultureInfo.InvariantCulture), h.Hash,
        h.At.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
        h.WrittenAt.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture)))));

    /// <summary>What <see cref="WriteLatestAsync"/> did.</summary>
    public sealed record WriteOutcome(bool Written, Head? Head, string? Refused);

    /// <summary>
    /// Writes the database's latest entry as the head — unless the file already there disagrees with the database (its entry
    /// is gone or has another hash, the file does not verify, or it names an earlier entry than the chain's newest record of a
    /// write to it): that file is the evidence, and is left as it is (the check
    /// reports it; an operator moves it aside once it has been looked at, as a restore does). After a write, appends
    /// <see cref="WrittenAction"/> (this node's file, the entry written), so that the file missing or older later shows.
    /// </summary>
    public async Task<WriteOutcome> WriteLatestAsync(AppDbContext db, CancellationToken ct = default)
    {
        var current = Read();
        if (current.State == ReadState.Invalid)
        {
            log.LogError("The audit head file {Path} does not verify ({Problem}); left as it is, not overwritten.", Path, current.Problem);
            return new(false, null, "invalid");
        }
        // A file the chain says was written, and is gone: the evidence of what it named went with it. Writing a new one would
        // clear the check's failure within the hour; an operator who has looked runs record-restore (deploy.md).
        var recorded = await RecordedAsync(db, FileKey, null, ct);
        if (current.State == ReadState.Missing && recorded is not null)
        {
            log.LogError("The audit head file {Path} is missing though the chain records a head written to it; not written again.", Path);
            return new(false, null, "missing");
        }
        if (current.Head is { } old)
        {
            var stored = await db.Set<AuditEntry>().AsNoTracking().Where(a => a.Seq == old.Seq).Select(a => a.Hash).FirstOrDefaultAsync(ct);
            if (stored != old.Hash)
            {
                log.LogError("The audit log no longer holds entry {Seq} of the head file {Path} with its hash (deleted or rewritten); the file is left as it is.", old.Seq, Path);
                return new(false, null, stored is null ? "entries missing" : "rewritten");
            }
            // An older file put back (a rollback): overwriting it would clear the check's failure within the hour.
            if (recorded is { } w && old.Seq < w.Seq)
            {
                log.LogError("The audit head file {Path} names entry {Seq}, but the chain records a head written to it up to entry {Recorded}: an older file was put back; left as it is.", Path, old.Seq, w.Seq);
                return new(false, null, "older");
            }
        }
        var head = await WriteLastAsync(db, ct);
        if (head is null) return new(false, null, null);
        // The file first, then the event: a failed write never leaves the chain claiming a head that is not there. Then the
        // file once more, naming the event itself (a failure there leaves the first file, which the event covers).
        AuditLog.Event(db, WrittenAction, Entity, FileKey, new { seq = head.Seq, headFileHash = head.Hash, by = Node });
        await db.SaveChangesAsync(ct);
        return new(true, await WriteLastAsync(db, ct) ?? head, null);
    }

    private async Task<Head?> WriteLastAsync(AppDbContext db, CancellationToken ct)
    {
        var last = await db.Set<AuditEntry>().AsNoTracking().OrderByDescending(a => a.Seq).Select(a => new { a.Seq, a.Hash, a.At }).FirstOrDefaultAsync(ct);
        if (last is null) return null;
        var head = new Head(last.Seq, last.Hash, DateTime.SpecifyKind(last.At, DateTimeKind.Utc), AuditInterceptor.Truncate(time.GetUtcNow().UtcDateTime));
        Write(head);
        return head;
    }

    /// <summary>The newest head write the chain records for this file since the last restore: (entry written, event's time).
    /// Only rows in the chain count (Seq 1 to <paramref name="lastSeq"/>, the check's walk; no bound: 1 up), with their own
    /// action: a row put outside the chain cannot stand for a restore or a write.</summary>
    internal static async Task<(long Seq, DateTime At)?> RecordedAsync(AppDbContext db, string fileKey, long? lastSeq, CancellationToken ct)
    {
        var max = lastSeq ?? long.MaxValue;
        var restoredAt = await db.Set<AuditEntry>().AsNoTracking()
            .Where(a => a.Entity == "AuditLog" && a.EntityId == RestoreId && a.Action == RestoredAction && a.Seq >= 1 && a.Seq <= max)
            .MaxAsync(a => (long?)a.Seq, ct) ?? 0;
        var last = await db.Set<AuditEntry>().AsNoTracking()
            .Where(a => a.Entity == Entity && a.EntityId == fileKey && a.Action == WrittenAction && a.Seq > restoredAt && a.Seq <= max)
            .OrderByDescending(a => a.Seq).Select(a => new { a.At, a.Details }).FirstOrDefaultAsync(ct);
        if (last is null) return null;
        try
        {
            return JsonNode.Parse(last.Details)?["seq"]?.GetValue<long>() is { } seq ? (seq, DateTime.SpecifyKind(last.At, DateTimeKind.Utc)) : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Atomically: a temporary file (owner-only) in the same directory, flushed, then renamed over the old one.</summary>
    private void Write(Head head)
    {
        var path = System.IO.Path.GetFullPath(Path);
        var dir = System.IO.Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(dir);
        var temp = System.IO.Path.Combine(dir, "." + System.IO.Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new Stored(head.Seq, head.Hash, head.At, head.WrittenAt, Mac(head)), Json);
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var fs = new FileStream(temp, fileOptions))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
    }
}

/// <summary>
/// Writes the chain's head to the head file every hour, on every node (<c>everyNode</c>): each node's file is its own
/// (in its data directory by default), so each node's check compares with a head at most an hour old whichever node
/// served the last hour's requests. A write refused (the file there disagrees with the database) or failed (disk,
/// permissions, database) raises an <see cref="AlertKind.AuditChain"/> alert at the top of the org tree, once a day per
/// node while it lasts: after a restore on another node, or an altered log, someone must look.
/// </summary>
public sealed class AuditHeadCheck(AppDbContext db, AuditHeadFile head, TimeProvider time, ILogger<AuditHeadCheck> log) : IPeriodicCheck
{
    public async Task RunAsync(CancellationToken ct)
    {
        string problem;
        Exception? failure = null;
        try
        {
            var outcome = await head.WriteLatestAsync(db, ct);
            if (outcome.Refused is null) return;
            problem = outcome.Refused switch
            {
                "invalid" => "文件无法校验（被改动，或不是用本系统的密钥文件写的）",
                "missing" => "链中记录本节点写过链头文件，文件却不见了（被删除或移走）",
                "older" => "文件被换回了旧的链头文件（链中记录本节点已把更新的条目写入过它）",
                "entries missing" => "文件记录的条目在数据库中已不存在（最新记录被删除，或数据库被恢复到更早的备份）",
                _ => "文件记录的条目在数据库中的哈希不同（记录被改写，或数据库被恢复到其他备份）",
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            (problem, failure) = ("写入失败：" + e.GetType().Name, e);
        }
        db.ChangeTracker.Clear();
        var top = await db.Areas.IgnoreQueryFilters().OrderBy(a => a.Depth).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct);
        if (top is { } area)
        {
            var day = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            var node = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(head.FileKey)))[..16];
            await RaiseAlert.AddAsync(db, time, AlertKind.AuditChain,
                $"审计链头文件未更新（节点 {head.Node}）：{problem}。请审计员在审计日志页校验哈希链，按部署文档处理", area,
                dedupeKey: $"audit-head:{node}:{day}", ct: ct);
            await db.SaveChangesAsync(ct);
        }
        if (failure is not null) throw new InvalidOperationException("The audit head file could not be written.", failure);
        log.LogError("The audit head file {Path} was not written ({Problem}); alert raised.", head.Path, problem);
    }
}
