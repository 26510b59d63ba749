using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Alerts;

/// <summary>
/// The live connections open on this node, each with what it joined with: the account's security stamp, roles, password
/// and groups. A request is checked on arrival (<see cref="ActiveAccountCheck"/>); a connection arrives once and then
/// lives for hours, so this watcher checks it again every <see cref="EpiGridOptions.AccountCacheSeconds"/>, and soon after
/// a change saved on this node (<see cref="AccountCache.NextChange"/>) (T2, ADR-009):
/// <list type="bullet">
/// <item>an account disabled or gone, its password or its roles changed, or its stamp renewed for anything else: the
/// connection is closed (its token or cookie no longer opens anything either);</item>
/// <item>only its scope changed (the stamp too, as every account edit renews it): the connection is moved to the
/// groups of the new scope and stays open, so a leader's page keeps its alerts without a reconnect.</item>
/// </list>
/// A round reads the stamps and disabled flags of all connected accounts in one query; roles, password and scope only
/// for an account whose stamp changed (every edit of them renews it). Each node watches its own connections, so it works
/// the same with the Redis backplane. An expired token or cookie is SignalR's own check (<c>CloseOnAuthenticationExpiration</c>).
/// </summary>
public sealed class LiveConnections(AccountCache accounts, IServiceScopeFactory scopes, IHubContext<LiveHub> hub,
    IOptions<EpiGridOptions> options, IOptions<IdentityOptions> identity, TimeProvider time, ILogger<LiveConnections> log) : BackgroundService
{
    /// <summary>How long one connection's group changes may take. The Redis backplane waits up to 30 s for an
    /// acknowledgement when the connection has just gone (a tab closed mid-round); a round must not hang on that.</summary>
    private static readonly TimeSpan GroupTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Changes saved on this node wake the watcher, but a burst of them (an import of accounts) costs at most one
    /// round per this much.</summary>
    private static readonly TimeSpan MinRoundGap = TimeSpan.FromMilliseconds(250);

    /// <summary>At most this many ids in one <c>IN (…)</c>: SQLite limits the parameters of a statement.</summary>
    private const int IdsPerQuery = 500;

    /// <summary>What an account's connection depends on, as the database has it now.</summary>
    private sealed record Standing(string[] Roles, string PasswordMark, string[] Groups);

    private sealed class Entry(HubCallerContext context, Guid userId, string? stamp, Standing rights)
    {
        public HubCallerContext Context { get; } = context;
        public Guid UserId { get; } = userId;
        public string? Stamp { get; set; } = stamp;
        public Standing Standing { get; set; } = rights;
    }

    private readonly ConcurrentDictionary<string, Entry> _entries = new();

    /// <summary>Joins the connection to the groups of its account's scope ("node:{areaId}", and "all" for an admin) and
    /// remembers what it joined with.</summary>
    public async Task JoinAsync(HubCallerContext context, IGroupManager groups, AppDbContext db)
    {
        var user = context.User!;
        var id = user.UserId();
        var rights = await ReadAsync(db, id, context.ConnectionAborted);
        if (rights is null)
        {
            context.Abort();
            return;
        }
        foreach (var g in rights.Groups) await groups.AddToGroupAsync(context.ConnectionId, g, context.ConnectionAborted);
        // The stamp of the token or cookie, checked against the account by this very request: a change after that shows
        // up as a different stamp at the next round.
        var stamp = user.FindFirst(identity.Value.ClaimsIdentity.SecurityStampClaimType)?.Value;
        _entries[context.ConnectionId] = new Entry(context, id, stamp, rights);
    }

    public void Leave(string connectionId) => _entries.TryRemove(connectionId, out _);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var seconds = options.Value.AccountCacheSeconds;
        // With the cache off (0) requests read the account every time; connections are read once a second.
        var period = TimeSpan.FromSeconds(seconds > 0 ? seconds : 1);
        while (!stop.IsCancellationRequested)
        {
            var changed = accounts.NextChange;
            var started = time.GetTimestamp();
            try
            {
                await CheckAsync(stop);
            }
            // Anything but our own stop is a failed round, never the end of the watcher: an exception escaping
            // ExecuteAsync stops the whole node (BackgroundServiceExceptionBehavior.StopHost) — a TaskCanceledException
            // from a backplane that timed out included.
            catch (Exception e) when (!stop.IsCancellationRequested && e is not OutOfMemoryException)
            {
                log.LogWarning(e, "Checking the live connections' accounts failed");
            }
            try
            {
                // The delay is cancelled when the change signal wins, so that its timers do not pile up.
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
                var delay = Task.Delay(period, time, wait.Token);
                if (await Task.WhenAny(delay, changed) == changed)
                {
                    await wait.CancelAsync();
                    var gap = MinRoundGap - time.GetElapsedTime(started);
                    if (gap > TimeSpan.Zero) await Task.Delay(gap, time, stop);
                }
            }
            catch (OperationCanceledException) { }
        }
    }

    /// <summary>One round over this node's connections (the tests call it too).</summary>
    public async Task CheckAsync(CancellationToken ct)
    {
        // A connection that is going (aborted, or already left) is skipped: OnDisconnected drops it, and its group
        // changes would only wait for the backplane.
        var live = _entries.Values.Where(e => !e.Context.ConnectionAborted.IsCancellationRequested).ToList();
        if (live.Count == 0) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // One query (per IdsPerQuery accounts) for what ends or moves a connection: stamp and disabled flag.
        var found = new Dictionary<Guid, (string? Stamp, bool Disabled)>();
        foreach (var chunk in live.Select(e => e.UserId).Distinct().Chunk(IdsPerQuery))
        {
            var rows = await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => chunk.Contains(u.Id))
                .Select(u => new { u.Id, u.SecurityStamp, u.IsDisabled }).ToListAsync(ct);
            foreach (var r in rows) found[r.Id] = (r.SecurityStamp, r.IsDisabled);
        }
        foreach (var account in live.GroupBy(e => e.UserId))
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                await CheckAccountAsync(db, account.Key, found.TryGetValue(account.Key, out var a) ? a : null, account, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is not OutOfMemoryException)
            {
                // One account's failure is not the others': they are still checked this round, this one at the next.
                log.LogWarning(e, "Checking the live connections of account {UserId} failed", account.Key);
            }
        }
    }

    private async Task CheckAccountAsync(AppDbContext db, Guid userId, (string? Stamp, bool Disabled)? found, IEnumerable<Entry> entries, CancellationToken ct)
    {
        Standing? now = null; // read only when the stamp changed
        foreach (var e in entries)
        {
            if (!_entries.TryGetValue(e.Context.ConnectionId, out var current) || current != e) continue; // left meanwhile
            if (found is not { Disabled: false } account)
            {
                await CloseAsync(e, "the account is disabled or gone");
                continue;
            }
            if (account.Stamp == e.Stamp) continue;
            now ??= await ReadAsync(db, userId, ct);
            if (now is null)
            {
                await CloseAsync(e, "the account is gone");
                continue;
            }
            // Every account edit renews the stamp. What the connection may do is its roles (and through them the right
            // to read alerts, and "all" for an admin) and its scope; a new password means someone may have had the old
            // one. Anything but a pure scope change closes it — including a stamp renewed for something not seen here
            // (the account was disabled and enabled again within a round).
            if (!now.Roles.SequenceEqual(e.Standing.Roles) || now.PasswordMark != e.Standing.PasswordMark)
            {
                await CloseAsync(e, "its password or roles changed");
                continue;
            }
            if (now.Groups.SequenceEqual(e.Standing.Groups))
            {
                await CloseAsync(e, "its security stamp was renewed");
                continue;
            }
            await MoveAsync(e, now, account.Stamp);
        }
    }

    /// <summary>Out of the groups it may no longer read first, so nothing reaches it in between; then into the new ones.
    /// If that fails the connection is closed rather than left in a group it may no longer read (or missing one it may):
    /// the page reconnects and joins afresh.</summary>
    private async Task MoveAsync(Entry e, Standing now, string? stamp)
    {
        try
        {
            using var timeout = new CancellationTokenSource(GroupTimeout, time);
            foreach (var g in e.Standing.Groups.Except(now.Groups)) await GroupAsync(hub.Groups.RemoveFromGroupAsync, e, g, timeout.Token);
            foreach (var g in now.Groups.Except(e.Standing.Groups)) await GroupAsync(hub.Groups.AddToGroupAsync, e, g, timeout.Token);
        }
        catch (Exception x) when (x is not OutOfMemoryException)
        {
            log.LogWarning(x, "Moving live connection {ConnectionId} of account {UserId} to its new scope failed", e.Context.ConnectionId, e.UserId);
            await CloseAsync(e, "moving it to its new scope failed");
            return;
        }
        e.Standing = now;
        e.Stamp = stamp;
    }

    /// <summary>Out of its groups (best effort, one by one), then aborted whatever happened — the abort is what matters:
    /// a removal that fails must not leave a disabled account's connection open. Forgotten only once aborted.</summary>
    private async Task CloseAsync(Entry e, string why)
    {
        try
        {
            using var timeout = new CancellationTokenSource(GroupTimeout, time);
            foreach (var g in e.Standing.Groups)
            {
                try
                {
                    await GroupAsync(hub.Groups.RemoveFromGroupAsync, e, g, timeout.Token);
                }
                catch (Exception x) when (x is not OutOfMemoryException)
                {
                    // The lifetime manager drops a closed connection from all its groups anyway.
                    log.LogDebug(x, "Removing live connection {ConnectionId} from {Group} failed", e.Context.ConnectionId, g);
                }
            }
        }
        finally
        {
            e.Context.Abort();
            _entries.TryRemove(new KeyValuePair<string, Entry>(e.Context.ConnectionId, e));
            log.LogInformation("Live connection {ConnectionId} of account {UserId} closed: {Why}", e.Context.ConnectionId, e.UserId, why);
        }
    }

    // WaitAsync too: the Redis backplane ignores the token while it waits for its acknowledgement.
    private static Task GroupAsync(Func<string, string, CancellationToken, Task> op, Entry e, string group, CancellationToken ct) =>
        op(e.Context.ConnectionId, group, ct).WaitAsync(ct);

    private static async Task<Standing?> ReadAsync(AppDbContext db, Guid userId, CancellationToken ct)
    {
        var password = await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.PasswordHash }).FirstOrDefaultAsync(ct);
        if (password is null) return null;
        var roles = await db.UserRoles.AsNoTracking().Where(r => r.UserId == userId).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToListAsync(ct);
        var areas = await db.UserScopes.AsNoTracking().Where(s => s.UserId == userId).Select(s => s.AreaId).ToListAsync(ct);
        var groups = areas.Select(LiveHub.NodeGroup).ToList();
        if (roles.Contains(Roles.Admin)) groups.Add(LiveHub.AllGroup);
        return new Standing([.. roles.Order(StringComparer.Ordinal)], Mark(password.PasswordHash), [.. groups.Distinct().Order(StringComparer.Ordinal)]);
    }

    // A fingerprint of the password hash, so that a reset is told apart from a scope edit (both renew the stamp) without
    // keeping the hash itself in memory for hours.
    private static string Mark(string? passwordHash) =>
        passwordHash is null ? "" : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(passwordHash)), 0, 16);
}
