using System.Security.Cryptography;
using System.Text;
using EpiGrid.Data;
using EpiGrid.Platform;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Complaints;

/// <summary>
/// A resident looks up their ticket: the number and the last 4 digits of the phone it was filed with must both
/// match; they learn only the status and the reply. Anything else is "not found".
/// <para>
/// Numbers are sequential and the secret is 4 digits, so guessing is limited per ticket, in the database (every node,
/// across restarts): the <see cref="MaxFailures"/>th wrong try in a row locks the ticket's lookup for
/// <see cref="LockFor"/>, during which even the right digits get "not found"; a right answer before that starts the
/// count again. An unknown number, wrong digits, a locked ticket and malformed input all get the same answer
/// (null → the same 404 and page message), so the answer tells nobody whether a number exists. The digits are
/// compared in constant time; an unknown number costs the one lookup query, a wrong guess that query plus one
/// atomic update (the update is not worth faking for unknown numbers: the lock, not the timing, is what stops guessing).
/// </para>
/// </summary>
public sealed class LookUpComplaint(AppDbContext db, OfficeClock clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockFor = TimeSpan.FromHours(1);

    public async Task<ComplaintsApi.PublicStatus?> RunAsync(string? number, string? phoneLast4)
    {
        var n = number?.Trim().ToUpperInvariant();
        var last4 = phoneLast4?.Trim();
        if (string.IsNullOrEmpty(n) || n.Length > 30 || last4 is not { Length: 4 } || !last4.All(char.IsAsciiDigit)) return null;
        var c = await db.Set<Complaint>().AsNoTracking()
            .Where(x => x.Number == n)
            .Select(x => new { x.Id, x.Number, x.ComplainantPhoneLast4, x.Status, x.Reply, x.RepliedAt, x.LookupFailures, x.LookupLockedUntil })
            .FirstOrDefaultAsync();
        if (c is null) return null;

        var now = clock.UtcNow;
        var right = CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(c.ComplainantPhoneLast4 is { Length: 4 } stored ? stored : "----"), Encoding.ASCII.GetBytes(last4));
        if (c.LookupLockedUntil > now) return null; // locked: not counted, the same answer whatever the digits

        var open = db.Set<Complaint>().Where(x => x.Id == c.Id && (x.LookupLockedUntil == null || x.LookupLockedUntil <= now));
        if (!right)
        {
            // Atomic: parallel guesses each add one in the database, and the one that reaches the limit locks; once
            // locked, the others match no row. (SET expressions read the row as it was before this update.)
            var until = now + LockFor;
            await open.ExecuteUpdateAsync(s => s
                .SetProperty(x => x.LookupLockedUntil, x => x.LookupFailures + 1 >= MaxFailures ? until : x.LookupLockedUntil)
                .SetProperty(x => x.LookupFailures, x => x.LookupFailures + 1 >= MaxFailures ? 0 : x.LookupFailures + 1));
            return null;
        }
        // Right, and not locked when read: start the count again — unless a parallel guess has just locked it.
        if ((c.LookupFailures != 0 || c.LookupLockedUntil is not null)
            && await open.ExecuteUpdateAsync(s => s.SetProperty(x => x.LookupFailures, 0).SetProperty(x => x.LookupLockedUntil, (DateTime?)null)) == 0)
            return null;
        return new ComplaintsApi.PublicStatus(c.Number, c.Status, Complaint.Name(c.Status), c.Reply, c.RepliedAt is { } r ? clock.WithOffset(r) : null);
    }
}
