namespace EpiGrid.Data;

/// <summary>
/// The caller's part of the org tree for this request (or job). Filled once per request by
/// <c>ScopeMiddleware</c>; read by <see cref="AppDbContext"/>'s query filters. Inactive (everything visible)
/// for admins, background jobs, the seeder and tests that use the context directly.
/// </summary>
public sealed class DataScope
{
    public bool Active { get; private set; }
    /// <summary>The areas visible: the user's nodes and everything under them.</summary>
    public List<Guid> AreaIds { get; private set; } = [];
    /// <summary>For gate keepers: their gates (their scope is their gates); null for everyone else.</summary>
    public List<Guid>? GateIds { get; private set; }

    public void Restrict(IEnumerable<Guid> areaIds, IEnumerable<Guid>? gateIds = null) =>
        RestrictShared([.. areaIds.Distinct()], gateIds is null ? null : [.. gateIds.Distinct()]);

    /// <summary>The same, with lists already free of repeats that stay unchanged (the account cache's): taken as they are,
    /// not copied on every request.</summary>
    public void RestrictShared(List<Guid> distinctAreaIds, List<Guid>? distinctGateIds)
    {
        Active = true;
        AreaIds = distinctAreaIds;
        GateIds = distinctGateIds;
        _areaSet = null;
    }

    // For membership checks made per row (an import's): built on the first, not on every request's restriction.
    private HashSet<Guid>? _areaSet;

    public bool Covers(Guid areaId) => !Active || (_areaSet ??= [.. AreaIds]).Contains(areaId);

    /// <summary>The same rule as the query filter on gates: a gate keeper sees their gates, everyone else the gates of their compounds.</summary>
    public bool CoversGate(Guid gateId, Guid compoundId) => !Active || (GateIds is not null ? GateIds.Contains(gateId) : AreaIds.Contains(compoundId));
}
