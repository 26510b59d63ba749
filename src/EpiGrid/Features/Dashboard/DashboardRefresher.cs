using System.Collections.Concurrent;
using System.Diagnostics;
using EpiGrid.Data;
using Microsoft.Extensions.Caching.Memory;

namespace EpiGrid.Features.Dashboard;

/// <summary>
/// Computes a scope's dashboard again in the background when the one in memory went stale (<see cref="DashboardFigures"/>):
/// at most one computation per scope and day at a time, in a scope of its own restricted exactly as the caller's was.
/// </summary>
public sealed class DashboardRefresher(IServiceScopeFactory scopes, IMemoryCache cache, LiveRefresh refresh, ILogger<DashboardRefresher> log)
{
    private readonly ConcurrentDictionary<string, byte> _running = new(StringComparer.Ordinal);

    public void Start(string key, DateOnly day, Guid? areaId, DataScope callerScope)
    {
        if (!_running.TryAdd(key, 0)) return;
        var restricted = callerScope.Active;
        var areaIds = callerScope.AreaIds.ToList();
        var gateIds = callerScope.GateIds?.ToList();
        _ = Task.Run(async () =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                if (restricted) scope.ServiceProvider.GetRequiredService<DataScope>().Restrict(areaIds, gateIds);
                // The version before computing: a change during the computation leaves the result stale, so it is redone.
                var version = refresh.Version;
                var view = await scope.ServiceProvider.GetRequiredService<DashboardFigures>().ComputeAsync(day, areaId);
                cache.Set(key, new DashboardFigures.Cached(version, Stopwatch.GetTimestamp(), view), DashboardFigures.KeepStale);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                log.LogWarning(e, "Recomputing a dashboard failed");
            }
            finally
            {
                _running.TryRemove(key, out _);
            }
        });
    }
}
