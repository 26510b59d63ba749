using System.Globalization;
using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Publicity;

/// <summary>Reads publicity as the API and the pages show it, and the coverage of compounds by material.</summary>
public sealed class PublicityBoard(AppDbContext db, OfficeClock clock)
{
    public sealed record VehicleItem(Guid Id, string Name, string? Plate, string[] Route, string DailyFrom, string DailyTo, Guid AreaId, string AreaName, bool IsActive, int RunsToday);
    public sealed record RunItem(Guid Id, Guid VehicleId, string VehicleName, DateOnly Date, DateTimeOffset StartedAt, DateTimeOffset EndedAt, string[] Route, string? Content, string? Note);
    public sealed record PointItem(Guid Id, string Name, Guid AreaId, string AreaName, string? Location, string Shows, bool IsActive);
    public sealed record MaterialItem(Guid Id, MaterialKind Kind, string Title, string? Issuer, DateOnly? IssuedOn, string? Note, bool IsActive);
    public sealed record PostingItem(Guid Id, Guid MaterialId, string MaterialTitle, Guid AreaId, string AreaName, Guid? PointId, string? PointName, string? Place,
        PostingMethod Method, int Quantity, DateOnly Date, string DoneBy, string? Note);
    public sealed record CoverageCell(Guid MaterialId, int Quantity, int Postings, DateOnly? LastDate);
    public sealed record CoverageRow(Guid CompoundId, string CompoundName, Guid? CommunityId, string CommunityName, IReadOnlyList<CoverageCell> Cells, Guid[] Missing);
    /// <summary><see cref="Total"/> compounds in scope, <see cref="Covered"/> of them with every material; <see cref="Rows"/> as filtered.</summary>
    public sealed record CoverageResult(IReadOnlyList<MaterialItem> Materials, IReadOnlyList<CoverageRow> Rows, int Total, int Covered);

    private static string Hm(TimeOnly t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);

    private async Task<Dictionary<Guid, string>> AreaNamesAsync(IEnumerable<Guid> ids, CancellationToken ct)
    {
        var list = ids.Distinct().ToList();
        return await db.Areas.AsNoTracking().Where(a => list.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
    }

    public async Task<List<VehicleItem>> VehiclesAsync(Guid? id = null, CancellationToken ct = default)
    {
        var list = await db.Set<PublicityVehicle>().AsNoTracking().Where(v => id == null || v.Id == id).OrderByDescending(v => v.IsActive).ThenBy(v => v.Name).ToListAsync(ct);
        var ids = list.Select(v => v.Id).ToList();
        var today = clock.Today;
        var runs = await db.Set<VehicleRun>().AsNoTracking().Where(r => ids.Contains(r.VehicleId) && r.Date == today)
            .GroupBy(r => r.VehicleId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var areas = await AreaNamesAsync(list.Select(v => v.AreaId), ct);
        return [.. list.Select(v => new VehicleItem(v.Id, v.Name, v.Plate, v.Route.Split(PublicityVehicle.Separator), Hm(v.DailyFrom), Hm(v.DailyTo), v.AreaId,
            areas.GetValueOrDefault(v.AreaId, ""), v.IsActive, runs.GetValueOrDefault(v.Id)))];
    }

    public IQueryable<VehicleRun> RunQuery(Guid? vehicleId, DateOnly? from, DateOnly? to)
    {
        var q = db.Set<VehicleRun>().AsNoTracking();
        if (vehicleId is { } v) q = q.Where(r => r.VehicleId == v);
        if (from is { } f) q = q.Where(r => r.Date >= f);
        if (to is { } t) q = q.Where(r => r.Date <= t);
        return q.OrderByDescending(r => r.StartedAt);
    }

    public async Task<List<RunItem>> RunItemsAsync(IReadOnlyList<VehicleRun> runs, CancellationToken ct = default)
    {
        var ids = runs.Select(r => r.VehicleId).Distinct().ToList();
        var names = await db.Set<PublicityVehicle>().AsNoTracking().Where(v => ids.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Name, ct);
        return [.. runs.Select(r => new RunItem(r.Id, r.VehicleId, names.GetValueOrDefault(r.VehicleId, ""), r.Date, clock.WithOffset(r.StartedAt), clock.WithOffset(r.EndedAt),
            r.Route.Split(PublicityVehicle.Separator), r.Content, r.Note))];
    }

    public async Task<List<PointItem>> PointsAsync(Guid? id = null, CancellationToken ct = default)
    {
        var list = await db.Set<PublicityPoint>().AsNoTracking().Where(p => id == null || p.Id == id).OrderByDescending(p => p.IsActive).ThenBy(p => p.Name).ToListAsync(ct);
        var areas = await AreaNamesAsync(list.Select(p => p.AreaId), ct);
        return [.. list.Select(p => new PointItem(p.Id, p.Name, p.AreaId, areas.GetValueOrDefault(p.AreaId, ""), p.Location, p.Shows, p.IsActive))];
    }

    public async Task<List<MaterialItem>> MaterialsAsync(bool? active = null, CancellationToken ct = default) =>
        [.. (await db.Set<PublicityMaterial>().AsNoTracking().Where(m => active == null || m.IsActive == active).OrderBy(m => m.Kind).ThenBy(m => m.Title).ToListAsync(ct))
            .Select(ToItem)];

    public static MaterialItem ToItem(PublicityMaterial m) => new(m.Id, m.Kind, m.Title, m.Issuer, m.IssuedOn, m.Note, m.IsActive);

    public IQueryable<MaterialPosting> PostingQuery(Guid? materialId, Guid? areaId, DateOnly? from, DateOnly? to)
    {
        var q = db.Set<MaterialPosting>().AsNoTracking();
        if (materialId is { } m) q = q.Where(p => p.MaterialId == m);
        if (areaId is { } a)
        {
            var segment = Area.PathSegment(a);
            q = q.Where(p => db.Areas.Any(x => x.Id == p.AreaId && x.Path.Contains(segment)));
        }
        if (from is { } f) q = q.Where(p => p.Date >= f);
        if (to is { } t) q = q.Where(p => p.Date <= t);
        return q.OrderByDescending(p => p.Date).ThenByDescending(p => p.RecordedAt);
    }

    public async Task<List<PostingItem>> PostingItemsAsync(IReadOnlyList<MaterialPosting> list, CancellationToken ct = default)
    {
        var mids = list.Select(p => p.MaterialId).Distinct().ToList();
        var titles = await db.Set<PublicityMaterial>().AsNoTracking().Where(m => mids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Title, ct);
        var pids = list.Where(p => p.PointId != null).Select(p => p.PointId!.Value).Distinct().ToList();
        var points = await db.Set<PublicityPoint>().AsNoTracking().Where(p => pids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var areas = await AreaNamesAsync(list.Select(p => p.AreaId), ct);
        return [.. list.Select(p => new PostingItem(p.Id, p.MaterialId, titles.GetValueOrDefault(p.MaterialId, ""), p.AreaId, areas.GetValueOrDefault(p.AreaId, ""),
            p.PointId, p.PointId is { } pid ? points.GetValueOrDefault(pid) : null, p.Place, p.Method, p.Quantity, p.Date, p.DoneBy, p.Note))];
    }

    /// <summary>
    /// Which compounds of the caller's scope have had which material: a posting at a compound, one of its buildings or a
    /// fixed point in it counts for the compound; one at a community does not count for its compounds (it says nothing of
    /// which compound got it). <paramref name="missingOnly"/> keeps the compounds lacking at least one material.
    /// </summary>
    public async Task<CoverageResult> CoverageAsync(Guid? communityId, Guid? materialId, bool missingOnly = false, CancellationToken ct = default)
    {
        var materials = (await MaterialsAsync(true, ct)).Where(m => materialId == null || m.Id == materialId).ToList();
        var areas = await db.Areas.AsNoTracking().Where(a => a.Kind == AreaKind.Compound || a.Kind == AreaKind.Building || a.Kind == AreaKind.Community || a.Kind == AreaKind.Village)
            .Select(a => new { a.Id, a.Name, a.Kind, a.ParentId, a.Code }).ToListAsync(ct);
        var communities = areas.Where(a => Area.IsCommunityLevel(a.Kind)).ToDictionary(a => a.Id, a => a.Name);
        var compounds = areas.Where(a => a.Kind == AreaKind.Compound && (communityId == null || a.ParentId == communityId)).OrderBy(a => a.Code).ToList();
        // The compound each posting area counts for (itself, or a building's compound).
        var compoundOf = areas.Where(a => a.Kind == AreaKind.Compound).ToDictionary(a => a.Id, a => a.Id);
        foreach (var b in areas.Where(a => a.Kind == AreaKind.Building && a.ParentId is not null)) compoundOf[b.Id] = b.ParentId!.Value;

        var mids = materials.Select(m => m.Id).ToList();
        var sums = await db.Set<MaterialPosting>().AsNoTracking().Where(p => mids.Contains(p.MaterialId))
            .GroupBy(p => new { p.AreaId, p.MaterialId })
            .Select(g => new { g.Key.AreaId, g.Key.MaterialId, Quantity = g.Sum(p => p.Quantity), Count = g.Count(), Last = g.Max(p => p.Date) }).ToListAsync(ct);
        var byCompound = sums.Where(s => compoundOf.ContainsKey(s.AreaId))
            .GroupBy(s => (Compound: compoundOf[s.AreaId], s.MaterialId))
            .ToDictionary(g => g.Key, g => new CoverageCell(g.Key.MaterialId, g.Sum(x => x.Quantity), g.Sum(x => x.Count), g.Max(x => x.Last)));

        var rows = new List<CoverageRow>();
        foreach (var c in compounds)
        {
            var cells = materials.Select(m => byCompound.GetValueOrDefault((c.Id, m.Id)) ?? new CoverageCell(m.Id, 0, 0, null)).ToList();
            var missing = cells.Where(x => x.Postings == 0).Select(x => x.MaterialId).ToArray();
            rows.Add(new CoverageRow(c.Id, c.Name, c.ParentId, c.ParentId is { } p ? communities.GetValueOrDefault(p, "") : "", cells, missing));
        }
        var covered = rows.Count(r => r.Missing.Length == 0);
        var total = rows.Count;
        if (missingOnly) rows = [.. rows.Where(r => r.Missing.Length > 0)];
        return new CoverageResult(materials, rows, total, covered);
    }
}
