using System.Security.Cryptography;
using System.Text;
using EpiGrid.Data;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Platform.Audit;

/// <summary>The hash chain of the audit log: how an entry's hash is made, and the check of the whole chain.</summary>
public static class AuditChain
{
    public static string HashOf(AuditEntry a)
    {
        var text = string.Join('\u001f',
            a.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture),
            a.PrevHash,
            a.At.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture),
            a.UserId?.ToString("N") ?? "",
            a.UserName, a.Action, a.Entity, a.EntityId, a.Details);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public sealed record Result(bool Intact, long Checked, long? BrokenAtId, string? Reason);

    /// <summary>Walks the whole log in order, in pages, recomputing every hash and link.</summary>
    public static async Task<Result> VerifyAsync(AppDbContext db, CancellationToken ct = default)
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
                if (a.Seq != lastSeq + 1 || a.PrevHash != prev) return new(false, count, a.Id, "与上一条记录的链接不符（记录被删除或插入）");
                if (HashOf(a) != a.Hash) return new(false, count, a.Id, "记录内容与其哈希不符（记录被修改）");
                prev = a.Hash;
                lastSeq = a.Seq;
            }
        }
        return new(true, count, null, null);
    }
}
