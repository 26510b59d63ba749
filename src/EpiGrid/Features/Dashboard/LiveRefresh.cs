using System.Reflection;
using EpiGrid.Data;
using EpiGrid.Features.Alerts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EpiGrid.Features.Dashboard;

/// <summary>
/// Tells open dashboards that their figures changed: a <c>refresh</c> message on the live hub (<c>/hubs/live</c>) to
/// the groups of the areas whose data changed (the same "node:{id}" groups alerts go to, so it reaches exactly the
/// scopes that cover the change), at most once per <see cref="Throttle"/>. The dashboard then refetches
/// <c>GET /api/dashboard</c>. Every save through the DbContext reports here (<see cref="DashboardChangeInterceptor"/>);
/// a writer that bypasses EF (a batching pass writer) calls <see cref="Changed"/> with the compounds it wrote to.
/// </summary>
public sealed class LiveRefresh(IHubContext<LiveHub> hub, IServiceScopeFactory scopes, ILogger<LiveRefresh> log)
{
    public static readonly TimeSpan Throttle = TimeSpan.FromSeconds(1);
    private readonly Lock _lock = new();
    private HashSet<Guid> _areas = [];
    private bool _scheduled;
    private long _version;

    /// <summary>Bumped by every change: the dashboard's cache is good only for the version it was computed at.</summary>
    public long Version => Interlocked.Read(ref _version);

    public void Changed(IEnumerable<Guid> areaIds)
    {
        Interlocked.Increment(ref _version);
        lock (_lock)
        {
            _areas.UnionWith(areaIds);
            if (_scheduled) return;
            _scheduled = true;
        }
        _ = Task.Run(async () =>
        {
            await Task.Delay(Throttle);
            HashSet<Guid> areas;
            lock (_lock)
            {
                areas = _areas;
                _areas = [];
                _scheduled = false;
            }
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var ids = areas.ToList();
                var paths = await db.Areas.IgnoreQueryFilters().AsNoTracking().Where(a => ids.Contains(a.Id)).Select(a => a.Path).ToListAsync();
                var groups = paths.SelectMany(p => p.Split('/', StringSplitOptions.RemoveEmptyEntries)).Distinct()
                    .Select(s => "node:" + s).Append(LiveHub.AllGroup).ToList();
                await hub.Clients.Groups(groups).SendAsync("refresh", new { at = DateTimeOffset.UtcNow });
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                log.LogWarning(e, "Dashboard refresh push failed");
            }
        });
    }
}

/// <summary>After a save commits, reports the areas of the scoped rows it added, changed or deleted to <see cref="LiveRefresh"/>.</summary>
public sealed class DashboardChangeInterceptor(LiveRefresh refresh) : SaveChangesInterceptor
{
    private List<Guid> _areas = [];
    private static readonly Dictionary<Type, PropertyInfo?> AreaProperty = [];
    private static readonly Lock PropertyLock = new();

    private static PropertyInfo? AreaOf(Type t)
    {
        lock (PropertyLock)
        {
            if (!AreaProperty.TryGetValue(t, out var p))
            {
                var attr = t.GetCustomAttribute<ScopedByAttribute>();
                p = attr is null ? null : t.GetProperty(attr.AreaIdProperty);
                if (p is null && t == typeof(Complaints.Complaint)) p = t.GetProperty(nameof(Complaints.Complaint.AreaId));
                AreaProperty[t] = p;
            }
            return p;
        }
    }

    private void Collect(DbContext? db)
    {
        if (db is null) return;
        _areas = [.. db.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => AreaOf(e.Entity.GetType())?.GetValue(e.Entity))
            .OfType<Guid>().Distinct()];
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Publish();
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Publish();
        return result;
    }

    private void Publish()
    {
        if (_areas.Count == 0) return;
        var areas = _areas;
        _areas = [];
        refresh.Changed(areas);
    }
}
