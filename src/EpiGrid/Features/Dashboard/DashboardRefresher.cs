using System.Collections.Concurrent;
using System.Diagnostics;
using EpiGrid.Data;
using Microsoft.Extensions.Caching.Memory;

namespace EpiGrid.Features.Dashboard;

/// <summary>
/// Computes a scope's dashboard in the background, at most one computation per scope and day at a time, in a scope of its
/// own restricted exactly as the caller's was: when the view in memory went stale (<see cref="Start"/>: the caller is
/// answered with the stale view), and when there is none yet (<see cref="ComputeAsync"/>: every caller waits for the same
/// computation — after a restart, or five idle minutes, a room of leaders opening the dashboard costs one computation,
/// not one each).
/// </summary>
public sealed class DashboardRefresher(IServiceScopeFactory scopes, IMemoryCache cache, LiveRefresh refresh, ILogger<DashboardRefresher> log)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<DashboardView>>> _running = new(StringComparer.Ordinal);
    private long _computations;

    /// <summary>How many times this node computed a dashboard, wherever from (<see cref="DashboardFigures.ComputeAsync"/>).</summary>
    public long Computations => Interlocked.Read(ref _computations);
    internal void Counted() => Interlocked.Increment(ref _computations);

    /// <summary>Recomputes in the background unless a computation for the key is already running.</summary>
    public void Start(string key, DateOnly day, Guid? areaId, DataScope callerScope) =>
        _ = Run(key, day, areaId, callerScope).ContinueWith(t => log.LogWarning(t.Exception, "Recomputing a dashboard failed"),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>The view, computed by the one computation running for the key (started here if none is). A cancelled caller
    /// stops waiting; the computation goes on for the others and for the cache.</summary>
    public Task<DashboardView> ComputeAsync(string key, DateOnly day, Guid? areaId, DataScope callerScope, CancellationToken ct) =>
        Run(key, day, areaId, callerScope).WaitAsync(ct);

    private Task<DashboardView> Run(string key, DateOnly day, Guid? areaId, DataScope callerScope)
    {
        var restricted = callerScope.Active;
        var areaIds = callerScope.AreaIds.ToList();
        var gateIds = callerScope.GateIds?.ToList();
        Lazy<Task<DashboardView>>? mine = null;
        mine = new Lazy<Task<DashboardView>>(() => Task.Run(async () =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                if (restricted) scope.ServiceProvider.GetRequiredService<DataScope>().Restrict(areaIds, gateIds);
                // The version before computing: a change during the computation leaves the result stale, so it is redone.
                var version = refresh.Version;
                var view = await scope.ServiceProvider.GetRequiredService<DashboardFigures>().ComputeAsync(day, areaId);
                cache.Set(key, new DashboardFigures.Cached(version, Stopwatch.GetTimestamp(), view), DashboardFigures.KeepStale);
                return view;
            }
            finally
            {
                _running.TryRemove(new KeyValuePair<string, Lazy<Task<DashboardView>>>(key, mine!));
            }
        }));
        return _running.GetOrAdd(key, mine).Value;
    }
}
