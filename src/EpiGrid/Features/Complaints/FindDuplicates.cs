using System.Security.Claims;
using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Complaints;

/// <summary>
/// 重复工单: at intake the desk is offered the open tickets that a new one probably repeats — the same caller's phone,
/// or the same place and a similar matter (character-bigram Jaccard ≥ 0.5) — received in the 48 hours before it.
/// Offered only while the new ticket can still be merged (received, not dispatched, nothing merged into it) and only
/// to the desk; candidates come through <see cref="ComplaintAccess.Visible"/> like every other complaint read.
/// </summary>
public sealed class FindDuplicates(AppDbContext db, OfficeClock clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(48);
    public const double SimilarText = 0.5;

    public sealed record Candidate(Guid Id, string Number, DateTimeOffset ReceivedAt, ComplaintStatus Status, string Summary,
        string ComplainantName, string? ComplainantPhone, int Calls, bool SamePhone, double Similarity, string Reason);

    /// <summary>Still a fresh ticket that may be merged into another.</summary>
    public static bool Mergeable(Complaint c) =>
        c.MergedIntoId is null && c.Status == ComplaintStatus.Received && c.DispatchedAt is null && c.Calls == 1;

    public async Task<IReadOnlyList<Candidate>> ForAsync(Complaint c, ClaimsPrincipal user)
    {
        if (!Mergeable(c) || !Rights.Has(user, Rights.HandleComplaints)) return [];
        var since = c.ReceivedAt - Window;
        var hash = c.ComplainantPhoneHash;
        var rows = await ComplaintAccess.Visible(db, user).AsNoTracking()
            .Where(x => x.Id != c.Id && x.MergedIntoId == null && x.Status != ComplaintStatus.Closed
                && x.ReceivedAt >= since && x.ReceivedAt <= c.ReceivedAt
                && ((hash != null && x.ComplainantPhoneHash == hash) || x.AreaId == c.AreaId))
            .OrderByDescending(x => x.ReceivedAt).Take(100)
            .Select(x => new { x.Id, x.Number, x.ReceivedAt, x.Status, x.Content, x.ComplainantName, x.ComplainantPhoneMasked, x.ComplainantPhoneHash, x.Calls })
            .ToListAsync();
        var mine = Bigrams(c.Content);
        return [.. rows
            .Select(x => (x, same: hash is not null && x.ComplainantPhoneHash == hash, sim: Jaccard(mine, Bigrams(x.Content))))
            .Where(t => t.same || t.sim >= SimilarText)
            .OrderByDescending(t => t.same).ThenByDescending(t => t.sim).ThenByDescending(t => t.x.ReceivedAt)
            .Take(10)
            .Select(t => new Candidate(t.x.Id, t.x.Number, clock.WithOffset(t.x.ReceivedAt), t.x.Status,
                t.x.Content.Length > 60 ? t.x.Content[..60] + "…" : t.x.Content, t.x.ComplainantName, t.x.ComplainantPhoneMasked, t.x.Calls,
                t.same, Math.Round(t.sim, 2), t.same ? "同一来电号码" : $"同一地点、诉求相近（相似度 {t.sim:P0}）"))];
    }

    /// <summary>The character bigrams of a text, letters and digits only (Chinese has no spaces to split words on).</summary>
    public static HashSet<string> Bigrams(string text)
    {
        var chars = text.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray();
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < chars.Length; i++) set.Add(new string(chars, i, 2));
        if (chars.Length == 1) set.Add(chars[0].ToString());
        return set;
    }

    public static double Jaccard(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 || b.Count == 0) return 0;
        var common = a.Count(b.Contains);
        return (double)common / (a.Count + b.Count - common);
    }
}
