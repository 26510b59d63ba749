using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Gates;

/// <summary>
/// The gates of the office as the pass endpoint needs them (compound, name, closed management), kept in memory so a
/// pass costs no read of the org tree. Emptied with <see cref="AccountCache"/> by any saved change to areas or gates on
/// this node, and reread after <see cref="EpiGridOptions.AccountCacheSeconds"/> for another node's changes (ADR-009).
/// </summary>
public sealed class GateDirectory(AccountCache cache, TimeProvider time, IOptions<EpiGridOptions> options)
{
    public sealed record Entry(Guid Id, string Name, Guid CompoundId, string Compound, bool Closed, bool IsActive);
    private sealed record Snapshot(long Generation, long Until, Dictionary<Guid, Entry> Gates);
    private volatile Snapshot? _snapshot;

    /// <summary>The gate if it exists and the caller's scope covers it (a gate keeper: one of their gates).</summary>
    public async Task<Entry?> FindAsync(IServiceProvider services, DataScope scope, Guid gateId, CancellationToken ct = default)
    {
        var now = time.GetTimestamp();
        var s = _snapshot;
        if (s is null || s.Generation != cache.Generation || s.Until <= now)
        {
            var generation = cache.Generation;
            var db = services.GetRequiredService<AppDbContext>();
            var gates = await db.Gates.IgnoreQueryFilters().AsNoTracking()
                .Join(db.Areas.IgnoreQueryFilters(), g => g.CompoundId, a => a.Id, (g, a) => new Entry(g.Id, g.Name, g.CompoundId, a.Name, a.ClosedManagement, g.IsActive))
                .ToDictionaryAsync(e => e.Id, ct);
            s = new Snapshot(generation, now + (long)(options.Value.AccountCacheSeconds * time.TimestampFrequency), gates);
            if (generation == cache.Generation) _snapshot = s;
        }
        return s.Gates.TryGetValue(gateId, out var gate) && scope.CoversGate(gate.Id, gate.CompoundId) ? gate : null;
    }
}
