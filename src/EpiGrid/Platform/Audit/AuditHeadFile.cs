using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EpiGrid.Data;
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
}

/// <summary>
/// The chain's head outside the database (ADR-019): the latest entry's Seq, Hash and time, with an HMAC of them under the
/// chain key. The database alone can then no longer lose its newest entries, or be rewritten with a valid chain, without
/// the check noticing: the entry the file names must still be there with the same hash.
/// </summary>
public sealed class AuditHeadFile(IOptions<EpiGridOptions> options, AuditChainKey key, TimeProvider time, ILogger<AuditHeadFile> log)
{
    public string Path => options.Value.Audit.HeadFile ?? throw new InvalidOperationException("EpiGrid:Audit:HeadFile is not set.");

    public sealed record Head(long Seq, string Hash, DateTime At, DateTime WrittenAt);

    public enum ReadState { Missing, Valid, Invalid }

    public sealed record Reading(ReadState State, Head? Head, string? Problem);

    private sealed record Stored(long Seq, string Hash, DateTime At, DateTime WrittenAt, string Mac);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Reads and checks the file: Missing (none yet), Valid, or Invalid (unreadable, or its HMAC does not verify).</summary>
    public Reading Read()
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
    /// is gone or has another hash, or the file does not verify): that file is the evidence, and is left as it is (the check
    /// reports it; an operator moves it aside once it has been looked at, as a restore does).
    /// </summary>
    public async Task<WriteOutcome> WriteLatestAsync(AppDbContext db, CancellationToken ct = default)
    {
        var current = Read();
        if (current.State == ReadState.Invalid)
        {
            log.LogError("The audit head file {Path} does not verify ({Problem}); left as it is, not overwritten.", Path, current.Problem);
            return new(false, null, "invalid");
        }
        if (current.Head is { } old)
        {
            var stored = await db.Set<AuditEntry>().AsNoTracking().Where(a => a.Seq == old.Seq).Select(a => a.Hash).FirstOrDefaultAsync(ct);
            if (stored != old.Hash)
            {
                log.LogError("The audit log no longer holds entry {Seq} of the head file {Path} with its hash (deleted or rewritten); the file is left as it is.", old.Seq, Path);
                return new(false, null, stored is null ? "entries missing" : "rewritten");
            }
        }
        var last = await db.Set<AuditEntry>().AsNoTracking().OrderByDescending(a => a.Seq).Select(a => new { a.Seq, a.Hash, a.At }).FirstOrDefaultAsync(ct);
        if (last is null) return new(false, null, null);
        var head = new Head(last.Seq, last.Hash, DateTime.SpecifyKind(last.At, DateTimeKind.Utc), AuditInterceptor.Truncate(time.GetUtcNow().UtcDateTime));
        Write(head);
        return new(true, head, null);
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
/// served the last hour's requests. Several nodes pointed at one shared file is safe too: writes are atomic renames, and a
/// node that writes an older head than another's leaves a file that still verifies.
/// </summary>
public sealed class AuditHeadCheck(AppDbContext db, AuditHeadFile head) : IPeriodicCheck
{
    public async Task RunAsync(CancellationToken ct) => await head.WriteLatestAsync(db, ct);
}
