using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EpiGrid.Data;
using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Platform.Audit;

/// <summary>
/// The chain's key: HMAC-SHA256 key derived from the key-encryption key (<c>EpiGrid:KeyFile</c>) with HKDF and the label
/// <see cref="AuditChain.KeyPurpose"/>. Never stored: every node with the same key file derives the same key (ADR-019).
/// </summary>
public sealed class AuditChainKey(KeyRing keys)
{
    public byte[] Value { get; } = keys.DeriveKey(AuditChain.KeyPurpose);
}

/// <summary>
/// The hash chain of the audit log: how an entry's hash is made, and the check of the whole chain, which also compares
/// the chain with the head kept outside the database (<see cref="AuditHeadFile"/>) and reports what a one-time rewrite
/// found (<see cref="AuditChainUpgrade"/>).
/// </summary>
public static class AuditChain
{
    /// <summary>The chain rule in <see cref="AuditEntry.ChainVersion"/>: 2 = HMAC-SHA256 under the key, details masked (1, plain
    /// SHA-256 with personal text in clear, was never stored in the column: those builds do not know it).</summary>
    public const int Version = 2;

    /// <summary>The HKDF label of the chain key.</summary>
    public const string KeyPurpose = "EpiGrid audit chain v1";

    /// <summary>The entry's hash: HMAC-SHA256 under the chain key of (Seq, PrevHash, At, user, action, entity, id, details).
    /// Without the key file nobody can recompute it: a database edit cannot be covered up by rehashing.</summary>
    public static string HashOf(AuditEntry a, byte[] key) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Canonical(a)));

    /// <summary>The rule before T3 (plain SHA-256, anyone can recompute it). Used only by the one-time rewrite, to check the
    /// chain it replaces.</summary>
    internal static string LegacyHashOf(AuditEntry a) => Convert.ToHexStringLower(SHA256.HashData(Canonical(a)));

    private static byte[] Canonical(AuditEntry a) => Encoding.UTF8.GetBytes(string.Join('\u001f',
        a.Seq.ToString(CultureInfo.InvariantCulture),
        a.PrevHash,
        a.At.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
        a.UserId?.ToString("N") ?? "",
        a.UserName, a.Action, a.Entity, a.EntityId, a.Details));

    /// <summary>
    /// The check. <see cref="Intact"/> is true only when the chain verifies link by link under the key, agrees with the head
    /// file (or there is none yet: <see cref="Head"/> says so) and no one-time rewrite found the chain it replaced broken.
    /// <see cref="BrokenAtId"/> is the row to look at, when there is one; <see cref="Reason"/> the first problem.
    /// </summary>
    public sealed record Result(bool Intact, long Checked, long? BrokenAtId, string? Reason)
    {
        /// <summary>The last entry's place in the chain (0: empty).</summary>
        public long LastSeq { get; init; }

        /// <summary>The comparison with the head file.</summary>
        public HeadComparison Head { get; init; } = HeadComparison.None;

        /// <summary>The one-time rewrites of the log (T3): what each replaced, and whether that chain was intact.</summary>
        public IReadOnlyList<Rewrite> Rewrites { get; init; } = [];
    }

    /// <summary>
    /// <see cref="State"/>: <c>None</c> (no head file, and the chain records no head write for this node's file since the
    /// last restore: not a failure), <c>Matches</c>, <c>EntriesMissing</c> (the file names a later entry than the database's
    /// last: the newest entries were deleted), <c>Rewritten</c> (the entry at the file's place has another hash: the log was
    /// rewritten and rehashed), <c>Invalid</c> (the file does not verify under the chain key: altered, or written with another
    /// key file), <c>Missing</c> (the chain records a head written to this node's file, and there is none: deleted or moved),
    /// <c>Older</c> (the file names an earlier entry than the chain's newest record of a write to it: an older file put back).
    /// <see cref="RecordedSeq"/>, <see cref="RecordedAt"/>: that newest record (the entry written, when), if any.
    /// </summary>
    public sealed record HeadComparison(string State, long? Seq, string? Hash, DateTime? At, DateTime? WrittenAt, string Message)
    {
        public static readonly HeadComparison None = new("None", null, null, null, null, NoHeadMessage);

        public long? RecordedSeq { get; init; }
        public DateTime? RecordedAt { get; init; }

        [System.Text.Json.Serialization.JsonIgnore]
        public bool Failed => State is "EntriesMissing" or "Rewritten" or "Invalid" or "Missing" or "Older";
    }

    public const string NoHeadMessage = "尚无链头文件（启动约 20 秒后首次写入，此后每小时一次），本次只校验了数据库内的哈希链。";

    /// <summary>One <c>AuditChainRewritten</c> event: the chain it replaced.</summary>
    public sealed record Rewrite(long Id, DateTime At, long OldLastSeq, string OldLastHash, long Rewritten, bool OldChainIntact,
        long? OldBrokenAtId, string? OldChainReason);

    /// <summary>Walks the whole log in order, in pages, recomputing every hash and link; then this node's head file and the
    /// rewrites. Read in this order while the hourly write may run: the newest recorded write, the file, the last entry —
    /// each write puts the file in place before its event and after its entry, so the three never disagree by a race.</summary>
    public static async Task<Result> VerifyAsync(AppDbContext db, byte[] key, AuditHeadFile headFile, CancellationToken ct = default)
    {
        var chain = await WalkAsync(db, key, ct);
        var recorded = await AuditHeadFile.RecordedAsync(db, headFile.FileKey, chain.Intact ? chain.LastSeq : null, ct);
        return await FinishAsync(db, chain, headFile.Read(), recorded, ct);
    }

    /// <summary>The same with a file already read (<see cref="AuditHeadFile.Reading.FileKey"/> names its node's record).</summary>
    public static async Task<Result> VerifyAsync(AppDbContext db, byte[] key, AuditHeadFile.Reading head, CancellationToken ct = default)
    {
        var chain = await WalkAsync(db, key, ct);
        var recorded = head.FileKey is { } fileKey ? await AuditHeadFile.RecordedAsync(db, fileKey, chain.Intact ? chain.LastSeq : null, ct) : null;
        return await FinishAsync(db, chain, head, recorded, ct);
    }

    private static async Task<Result> FinishAsync(AppDbContext db, Result chain, AuditHeadFile.Reading head, (long Seq, DateTime At)? recorded, CancellationToken ct)
    {
        var lastSeq = await db.Set<AuditEntry>().MaxAsync(a => (long?)a.Seq, ct) ?? 0;
        var comparison = await CompareAsync(db, head, lastSeq, recorded, ct);
        var rewrites = await RewritesAsync(db, ct);
        var result = chain with { LastSeq = lastSeq, Head = comparison, Rewrites = rewrites };
        if (!chain.Intact) return result;
        if (comparison.Failed)
        {
            long? at = comparison.State == "Rewritten" && comparison.Seq is { } s
                ? await db.Set<AuditEntry>().Where(a => a.Seq == s).Select(a => (long?)a.Id).FirstOrDefaultAsync(ct) : null;
            return result with { Intact = false, BrokenAtId = at, Reason = comparison.Message };
        }
        if (rewrites.FirstOrDefault(r => !r.OldChainIntact) is { } bad)
        {
            return result with
            {
                Intact = false, BrokenAtId = bad.OldBrokenAtId ?? bad.Id,
                Reason = $"一次性重写（第 {bad.Id} 号记录）之前的哈希链已不完整：{bad.OldChainReason}",
            };
        }
        return result;
    }

    /// <summary>The walk from Seq 1; <see cref="Result.LastSeq"/> the last entry walked. Then every row at or below it must have
    /// been walked: a row at Seq 0 or below, or a second row with a Seq already taken, is outside the chain.</summary>
    private static async Task<Result> WalkAsync(AppDbContext db, byte[] key, CancellationToken ct)
    {
        var walked = await WalkFromOneAsync(db, key, ct);
        if (!walked.Intact) return walked;
        var rows = await db.Set<AuditEntry>().LongCountAsync(a => a.Seq <= walked.LastSeq, ct);
        if (rows == walked.Checked) return walked;
        var outside = await db.Set<AuditEntry>().AsNoTracking().Where(a => a.Seq < 1).OrderBy(a => a.Seq).Select(a => (long?)a.Id).FirstOrDefaultAsync(ct);
        return walked with { Intact = false, BrokenAtId = outside, Reason = $"{rows - walked.Checked} 条记录在链外（序号不在 1 至 {walked.LastSeq} 之间，或与其他记录重复）：被插入" };
    }

    private static async Task<Result> WalkFromOneAsync(AppDbContext db, byte[] key, CancellationToken ct)
    {
        var prev = "";
        long lastSeq = 0, count = 0;
        while (true)
        {
            var page = await db.Set<AuditEntry>().AsNoTracking().Where(a => a.Seq > lastSeq).OrderBy(a => a.Seq).Take(2000).ToListAsync(ct);
            if (page.Count == 0) break;
            foreach (var a in page)
            {
                count++;
                if (a.Seq != lastSeq + 1 || a.PrevHash != prev) return new(false, count, a.Id, LinkBroken);
                if (HashOf(a, key) != a.Hash) return new(false, count, a.Id, ContentAltered);
                prev = a.Hash;
                lastSeq = a.Seq;
            }
        }
        return new(true, count, null, null) { LastSeq = lastSeq };
    }

    internal const string LinkBroken = "与上一条记录的链接不符（记录被删除或插入）";
    internal const string ContentAltered = "记录内容与其哈希不符（记录被修改）";

    private static async Task<HeadComparison> CompareAsync(AppDbContext db, AuditHeadFile.Reading head, long lastSeq, (long Seq, DateTime At)? recorded, CancellationToken ct)
    {
        var compared = await CompareFileAsync(db, head, lastSeq, recorded, ct);
        return compared with { RecordedSeq = recorded?.Seq, RecordedAt = recorded?.At };
    }

    private static async Task<HeadComparison> CompareFileAsync(AppDbContext db, AuditHeadFile.Reading head, long lastSeq, (long Seq, DateTime At)? recorded, CancellationToken ct)
    {
        if (head.State == AuditHeadFile.ReadState.Missing)
        {
            return recorded is { } r
                ? new("Missing", null, null, null, null,
                    $"链头文件不见了：链中记录本节点于 {r.At:yyyy-MM-dd HH:mm:ss} UTC 把第 {r.Seq} 号写入了它，此后文件被删除或移走")
                : HeadComparison.None;
        }
        if (head.State == AuditHeadFile.ReadState.Invalid || head.Head is not { } h)
        {
            return new("Invalid", null, null, null, null, $"链头文件无法校验（被改动，或不是用本系统的密钥文件写的）：{head.Problem}");
        }
        if (h.Seq > lastSeq)
        {
            return new("EntriesMissing", h.Seq, h.Hash, h.At, h.WrittenAt,
                $"链头文件记录到第 {h.Seq} 号（{h.WrittenAt:yyyy-MM-dd HH:mm:ss} UTC 写入），数据库只到第 {lastSeq} 号：最新的 {h.Seq - lastSeq} 条记录被删除");
        }
        var stored = await db.Set<AuditEntry>().AsNoTracking().Where(a => a.Seq == h.Seq).Select(a => a.Hash).FirstOrDefaultAsync(ct);
        if (stored != h.Hash)
        {
            return new("Rewritten", h.Seq, h.Hash, h.At, h.WrittenAt,
                $"第 {h.Seq} 号记录的哈希与链头文件（{h.WrittenAt:yyyy-MM-dd HH:mm:ss} UTC 写入）不符：此号及之前的记录被改写或删除后，链被重新计算或重新接续");
        }
        if (recorded is { } w && h.Seq < w.Seq)
        {
            return new("Older", h.Seq, h.Hash, h.At, h.WrittenAt,
                $"链头文件只到第 {h.Seq} 号（{h.WrittenAt:yyyy-MM-dd HH:mm:ss} UTC 写入），链中记录本节点于 {w.At:yyyy-MM-dd HH:mm:ss} UTC 已写到第 {w.Seq} 号：文件被换回了旧的（回滚）");
        }
        return new("Matches", h.Seq, h.Hash, h.At, h.WrittenAt, $"与链头文件一致（第 {h.Seq} 号，{h.WrittenAt:yyyy-MM-dd HH:mm:ss} UTC 写入）");
    }

    private static async Task<IReadOnlyList<Rewrite>> RewritesAsync(AppDbContext db, CancellationToken ct)
    {
        var rows = await AuditChainUpgrade.Markers(db).AsNoTracking().OrderBy(a => a.Seq)
            .Select(a => new { a.Id, a.At, a.Details }).ToListAsync(ct);
        var list = new List<Rewrite>();
        foreach (var r in rows)
        {
            try
            {
                var d = JsonSerializer.Deserialize<AuditChainUpgrade.Details>(r.Details, AuditLog.Json)!;
                list.Add(new(r.Id, r.At, d.oldLastSeq, d.oldLastHash, d.rewritten, d.oldChainIntact, d.oldBrokenAtId, d.oldChainReason));
            }
            catch (JsonException)
            {
                list.Add(new(r.Id, r.At, 0, "", 0, false, r.Id, "重写记录的内容无法读取"));
            }
        }
        return list;
    }
}
