using System.Collections.Concurrent;
using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EpiGrid.Platform.Auth;

/// <summary>What every request of an account needs to know and used to read from the database: its security stamp,
/// whether it is disabled, and its scope (ADR-009). Shared by the account's requests: the lists are never changed.</summary>
public sealed record AccountState(Guid UserId, string? Stamp, bool Disabled, bool Restricted, List<Guid> AreaIds, List<Guid>? GateIds);

/// <summary>
/// Per-node cache of <see cref="AccountState"/>. Any saved change to accounts, roles, scopes, gate assignments, areas
/// or gates on this node empties it at once (<see cref="AccountChangeInterceptor"/>), so on one node disabling an
/// account or changing its scope still takes effect on the next request. Another node's change reaches this node
/// within <see cref="EpiGridOptions.AccountCacheSeconds"/> (ADR-009). A generation number keeps a load that raced
/// with a change from being cached.
/// </summary>
public sealed class AccountCache(TimeProvider time, Microsoft.Extensions.Options.IOptions<EpiGridOptions> options)
{
    private readonly ConcurrentDictionary<Guid, (AccountState State, long Until)> _entries = new();
    private long _generation;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Completes at the next <see cref="InvalidateAll"/>: the live connections' watcher looks soon after a change
    /// made on this node instead of at its next round.</summary>
    public Task NextChange => Volatile.Read(ref _changed).Task;

    public void InvalidateAll()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>The account's state: from the cache without a task when it holds it (every request of a signed-in user asks).</summary>
    public ValueTask<AccountState?> GetAsync(IServiceProvider services, Guid userId, bool gatesOnly)
    {
        var now = time.GetTimestamp();
        if (_entries.TryGetValue(userId, out var e) && e.Until > now && (e.State.GateIds is not null) == gatesOnly) return ValueTask.FromResult<AccountState?>(e.State);
        return new ValueTask<AccountState?>(LoadAndCacheAsync(services, userId, gatesOnly, now));
    }

    private async Task<AccountState?> LoadAndCacheAsync(IServiceProvider services, Guid userId, bool gatesOnly, long now)
    {
        var generation = Generation;
        var state = await LoadAsync(services.GetRequiredService<AppDbContext>(), userId, gatesOnly);
        var seconds = options.Value.AccountCacheSeconds;
        if (state is not null && seconds > 0 && generation == Generation)
        {
            _entries[userId] = (state, now + (long)(seconds * time.TimestampFrequency));
        }
        return state;
    }

    private static async Task<AccountState?> LoadAsync(AppDbContext db, Guid userId, bool gatesOnly)
    {
        var user = await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.SecurityStamp, u.IsDisabled }).FirstOrDefaultAsync();
        if (user is null) return null;
        var areas = db.Areas.IgnoreQueryFilters().AsNoTracking();
        if (gatesOnly)
        {
            var gates = await db.UserGates.AsNoTracking().Where(g => g.UserId == userId).Select(g => g.GateId).ToListAsync();
            var compounds = await db.Gates.IgnoreQueryFilters().AsNoTracking().Where(g => gates.Contains(g.Id)).Select(g => g.CompoundId).Distinct().ToListAsync();
            return new AccountState(userId, user.SecurityStamp, user.IsDisabled, true, compounds, [.. gates.Distinct()]);
        }
        var paths = await db.UserScopes.AsNoTracking().Where(s => s.UserId == userId)
            .Join(areas, s => s.AreaId, a => a.Id, (s, a) => a.Path).ToListAsync();
        var visible = new HashSet<Guid>();
        foreach (var path in paths)
        {
            visible.UnionWith(await areas.Where(a => a.Path.StartsWith(path)).Select(a => a.Id).ToListAsync());
        }
        // A scope that covers the whole tree filters nothing: skip the filter (a top-level leader's searches stay index-only).
        var restricted = !(visible.Count > 0 && visible.Count == await areas.CountAsync());
        return new AccountState(userId, user.SecurityStamp, user.IsDisabled, restricted, [.. visible], null);
    }
}

/// <summary>Empties <see cref="AccountCache"/> (and the gate directory that shares its generation) after any saved change
/// to what it holds.</summary>
public sealed class AccountChangeInterceptor(AccountCache cache) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private static readonly HashSet<Type> Watched =
        [typeof(AppUser), typeof(UserScope), typeof(UserGate), typeof(IdentityUserRole<Guid>), typeof(Area), typeof(Gate)];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result) { Flush(eventData.Context); return result; }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Flush(eventData.Context);

    private void Note(DbContext? context)
    {
        if (context is null) return;
        foreach (var e in context.ChangeTracker.Entries())
        {
            if (e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && Watched.Contains(e.Metadata.ClrType)
                && !LockoutOnly(e))
            {
                // Before the save too: a request that loads while the change commits must not cache the old state.
                cache.InvalidateAll();
                if (context is AppDbContext db) db.AccountChangePending = true;
                return;
            }
        }
    }

    private static readonly HashSet<string> LockoutColumns =
        [nameof(AppUser.AccessFailedCount), nameof(AppUser.LockoutEnd), nameof(AppUser.ConcurrencyStamp)];

    /// <summary>A sign-in's bookkeeping: a failed password counts (and may lock), a good one resets the count. None of it
    /// is in <see cref="AccountState"/> — a lockout stops sign-ins, not tokens — so it must not empty every account's
    /// cache on the node (anyone can fail sign-ins in a loop) nor wake the live connections' watcher. Identity's store
    /// marks every column modified, so the values are compared; when none differ (an entity attached without its
    /// original values) we cannot tell, and it counts as a change.</summary>
    private static bool LockoutOnly(EntityEntry e)
    {
        if (e.State != EntityState.Modified || e.Entity is not AppUser) return false;
        var differs = e.Properties.Where(p => !Equals(p.OriginalValue, p.CurrentValue)).Select(p => p.Metadata.Name).ToList();
        return differs.Count > 0 && differs.All(LockoutColumns.Contains);
    }

    // Inside an explicit transaction the change becomes visible at its commit: empty the cache again then.
    public void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => Flush(eventData.Context, committed: true);

    public Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context, committed: true);
        return Task.CompletedTask;
    }

    private void Flush(DbContext? context, bool committed = false)
    {
        if (context is AppDbContext { AccountChangePending: true } db && (committed || db.Database.CurrentTransaction is null))
        {
            db.AccountChangePending = false;
            cache.InvalidateAll();
        }
    }
}
