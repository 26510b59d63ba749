using EpiGrid.Data;
using EpiGrid.Platform;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Complaints;

/// <summary>
/// A resident looks up their ticket: the number and the last 4 digits of the phone it was filed with must both
/// match; they learn only the status and the reply. Anything else is "not found".
/// </summary>
public sealed class LookUpComplaint(AppDbContext db, OfficeClock clock)
{
    public async Task<ComplaintsApi.PublicStatus?> RunAsync(string? number, string? phoneLast4)
    {
        var n = number?.Trim().ToUpperInvariant();
        var last4 = phoneLast4?.Trim();
        if (string.IsNullOrEmpty(n) || n.Length > 30 || last4 is not { Length: 4 } || !last4.All(char.IsAsciiDigit)) return null;
        var c = await db.Set<Complaint>().AsNoTracking()
            .Where(x => x.Number == n && x.ComplainantPhoneLast4 == last4)
            .Select(x => new { x.Number, x.Status, x.Reply, x.RepliedAt })
            .FirstOrDefaultAsync();
        return c is null ? null
            : new ComplaintsApi.PublicStatus(c.Number, c.Status, Complaint.Name(c.Status), c.Reply, c.RepliedAt is { } r ? clock.WithOffset(r) : null);
    }
}
