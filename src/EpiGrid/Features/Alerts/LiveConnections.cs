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
/// lives for hours, so this watcher checks it again — with the same <see cref="AccountCache"/> state a request would get —
/// every <see cref="EpiGridOptions.AccountCacheSeconds"/>, and at once after a change saved on this node (T2, ADR-009):
/// <list type="bullet">
/// <item>an account disabled or gone, its password or its roles changed, or its stamp renewed for anything else: the
/// connection is taken out of its groups and closed (its token or cookie no longer opens anything either);</item>
/// <item>only its scope changed (the stamp too, as every account edit renews it): the connection is moved to the
/// groups of the new scope and stays open, so a leader's page keeps its alerts without a reconnect.</item>
/// </list>
/// Each node watches its own connections, so it works the same with the Redis backplane. An expired token or cookie is
/// SignalR's own check (<c>CloseOnAuthenticationExpiration</c>).
/// </summary>
public sealed class LiveConnections(AccountCache accounts, IServiceScopeFactory scopes, IHubContext<LiveHub> hub,
    IOptions<EpiGridOptions> options, IOptions<IdentityOptions> identity, TimeProvider time, ILogger<LiveConnections> log) : BackgroundService
{
    /// <summary>What an account's connection depends on, as the database has it now.</summary>
    private sealed record Standing(string[] Roles, string PasswordMark, string[] Groups);

    private sealed class Entry(HubCallerContext context, Guid userId, bool gatesOnly, string? stamp, Standing rights, AccountState? seen)
    {
        public HubCallerContext Context { get; } = context;
        public Guid UserId { get; } = userId;
        public bool GatesOnly { get; } = gatesOnly;
        public string? Stamp { get; set; } = stamp;
        public Standing Standing { get; set; } = rights;
        public AccountState? Seen { get; set; } = seen;
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
        // The stamp of the token or cookie (checked against the account by this very request), and the state the request
        // was checked with: a change after that shows up as a different stamp or scope at the next round.
        var stamp = user.FindFirst(identity.Value.ClaimsIdentity.SecurityStampClaimType)?.Value;
        var seen = context.GetHttpContext()?.Features.Get<AccountState>();
        _entries[context.ConnectionId] = new Entry(context, id, ActiveAccountCheck.GatesOnly(user), stamp, rights, seen);
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
            try
            {
                await CheckAsync(stop);
            }
            catch (Exception e) when (e is not OperationCanceledException && e is not OutOfMemoryException)
            {
                // The database may be away for a moment; the next round tries again.
                log.LogWarning(e, "Checking the live connections' accounts failed");
            }
            try
            {
                await Task.WhenAny(Task.Delay(period, time, stop), changed);
            }
            catch (OperationCanceledException) { }
        }
    }

    /// <summary>One round over this node's connections (the tests call it too).</summary>
    public async Task CheckAsync(CancellationToken ct)
    {
        if (_entries.IsEmpty) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        foreach (var account in _entries.Values.GroupBy(e => (e.UserId, e.GatesOnly)))
        {
            ct.ThrowIfCancellationRequested();
            var state = await accounts.RefreshAsync(scope.ServiceProvider, account.Key.UserId, account.Key.GatesOnly);
            Standing? now = null; // read only when something changed
            foreach (var e in account)
            {
                if (state is null || state.Disabled)
                {
                    await CloseAsync(e, "the account is disabled or gone");
                    continue;
                }
                if (state.Stamp == e.Stamp && SameAreas(e.Seen, state))
                {
                    e.Seen = state;
                    continue;
                }
                now ??= await ReadAsync(db, e.UserId, ct);
                if (now is null)
                {
                    await CloseAsync(e, "the account is gone");
                    continue;
                }
                if (state.Stamp != e.Stamp)
                {
                    // Every account edit renews the stamp. What the connection may do is its roles (and through them the
                    // right to read alerts, and "all" for an admin) and its scope; a new password means someone may have
                    // had the old one. Anything but a pure scope change closes it — including a stamp renewed for
                    // something not seen here (the account was disabled and enabled again within a round).
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
                }
                await MoveAsync(e, now);
                e.Stamp = state.Stamp;
                e.Seen = state;
            }
        }
    }

    private static bool SameAreas(AccountState? seen, AccountState state) =>
        seen is not null && seen.Restricted == state.Restricted && seen.AreaIds.Count == state.AreaIds.Count
        && seen.AreaIds.ToHashSet().SetEquals(state.AreaIds);

    /// <summary>Out of the groups it may no longer read first, so nothing reaches it in between; then into the new ones.</summary>
    private async Task MoveAsync(Entry e, Standing now)
    {
        foreach (var g in e.Standing.Groups.Except(now.Groups)) await hub.Groups.RemoveFromGroupAsync(e.Context.ConnectionId, g);
        foreach (var g in now.Groups.Except(e.Standing.Groups)) await hub.Groups.AddToGroupAsync(e.Context.ConnectionId, g);
        e.Standing = now;
    }

    private async Task CloseAsync(Entry e, string why)
    {
        _entries.TryRemove(e.Context.ConnectionId, out _);
        foreach (var g in e.Standing.Groups) await hub.Groups.RemoveFromGroupAsync(e.Context.ConnectionId, g);
        e.Context.Abort();
        log.LogInformation("Live connection {ConnectionId} of account {UserId} closed: {Why}", e.Context.ConnectionId, e.UserId, why);
    }

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
