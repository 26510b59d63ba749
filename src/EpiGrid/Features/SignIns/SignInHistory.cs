using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Web;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.SignIns;

/// <summary>Reads the sign-in history: one's own (any signed-in user), or any account's (the auditor).</summary>
public sealed class SignInHistory(AppDbContext db, OfficeClock clock)
{
    public sealed record Item(Guid Id, DateTimeOffset At, string UserName, Guid? UserId, string ClientAddress, string UserAgent,
        bool Succeeded, SignInOutcome Outcome, string Channel);

    /// <summary>Newest first. <paramref name="userId"/> and/or <paramref name="userName"/> (as typed at sign-in) narrow it.</summary>
    public async Task<PageOf<Item>> ListAsync(Guid? userId, string? userName, bool? succeeded, int? page, int? pageSize, CancellationToken ct = default)
    {
        var q = db.Set<SignInRecord>().AsNoTracking();
        if (userId is { } id) q = q.Where(r => r.UserId == id);
        if (!string.IsNullOrWhiteSpace(userName)) q = q.Where(r => r.UserName == userName.Trim());
        if (succeeded is { } s) q = q.Where(r => r.Succeeded == s);
        var result = await q.OrderByDescending(r => r.At).ThenByDescending(r => r.Id).PageAsync(page, pageSize, 50, ct);
        return new PageOf<Item>([.. result.Items.Select(r => new Item(r.Id, clock.WithOffset(r.At), r.UserName, r.UserId, r.ClientAddress,
            r.UserAgent, r.Succeeded, r.Outcome, r.Channel))], result.Total);
    }
}
