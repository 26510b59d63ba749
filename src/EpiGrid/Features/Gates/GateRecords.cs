using EpiGrid.Data;
using EpiGrid.Features.Households;
using EpiGrid.Features.Observation;
using EpiGrid.Features.People;
using EpiGrid.Platform;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Gates;

/// <summary>What the gate reads: residents of its compound (masked), and the passes and counts of gates in scope.</summary>
public sealed class GateRecords(AppDbContext db, OfficeClock clock)
{
    public sealed record GateInfo(Guid Id, string Name, Guid CompoundId, string Compound, bool Closed);
    public sealed record ResidentHit(Guid Id, string Name, string Home, string? IdNumberMasked, string? PhoneMasked, Guid? PersonId, bool UnderQuarantine);
    public sealed record PassItem(Guid Id, Guid ClientId, DateTimeOffset TakenAt, DateTimeOffset ReceivedAt, PassDirection Direction, decimal Temperature,
        bool Fever, PassOutcome Outcome, string Name, bool Visitor, string? IdNumberMasked, string? PhoneMasked, string? From, string? To,
        string? Plate, string? ApprovalReason, bool QuarantineBreach, Guid? PersonId);
    public sealed record CountRow(Guid Id, string Name, int In, int Out, int Fever, int Refused);
    public sealed record Counts(DateOnly From, DateOnly To, IReadOnlyList<CountRow> Gates, IReadOnlyList<CountRow> Compounds);
    public sealed record ExportRow(PassItem Pass, string? IdCipher, string? PhoneCipher);

    /// <summary>A gate in the caller's scope (a gate keeper: one of their gates), or null.</summary>
    public Task<GateInfo?> GateAsync(Guid gateId, CancellationToken ct = default) =>
        db.Gates.AsNoTracking().Where(g => g.Id == gateId)
            .Join(db.Areas, g => g.CompoundId, a => a.Id, (g, a) => new GateInfo(g.Id, g.Name, g.CompoundId, a.Name, a.ClosedManagement))
            .FirstOrDefaultAsync(ct);

    public Task<List<GateInfo>> GatesAsync(CancellationToken ct = default) =>
        db.Gates.AsNoTracking().Where(g => g.IsActive)
            .Join(db.Areas, g => g.CompoundId, a => a.Id, (g, a) => new { g, a })
            .OrderBy(x => x.a.Code).ThenBy(x => x.g.Name)
            .Select(x => new GateInfo(x.g.Id, x.g.Name, x.g.CompoundId, x.a.Name, x.a.ClosedManagement))
            .ToListAsync(ct);

    /// <summary>
    /// Residents of the gate's compound matching <paramref name="q"/>: a building/room ("3-502", "502"), the last 4
    /// digits of the ID number or phone, or part of the name. At most 8, masked.
    /// </summary>
    public async Task<List<ResidentHit>> FindResidentsAsync(GateInfo gate, string? q, CancellationToken ct = default)
    {
        q = (q ?? "").Trim();
        if (q.Length is 0 or > 30) return [];
        var parts = q.Split(['-', '/', ' ', '#', '号'], StringSplitOptions.RemoveEmptyEntries);
        var room = parts.Length > 0 ? parts[^1].TrimEnd('室') : q;
        var building = parts.Length > 1 ? parts[0].TrimEnd('栋', '楼') : null;
        var last4 = q.Length == 4 ? q.ToUpperInvariant() : null;
        // Building names of the compound (a gate keeper's scope holds the compound, not its buildings: a separate query).
        var buildings = await db.Areas.IgnoreQueryFilters().AsNoTracking().Where(a => a.ParentId == gate.CompoundId)
            .Select(a => new { a.Id, a.Name }).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var buildingIds = building is null ? null
            : buildings.Where(b => b.Value == building || b.Value.StartsWith(building + "号", StringComparison.Ordinal) || b.Value.StartsWith(building + "栋", StringComparison.Ordinal)).Select(b => (Guid?)b.Key).ToList();

        var rows = await db.Set<Resident>().AsNoTracking()
            .Where(r => r.CompoundId == gate.CompoundId && !r.MovedOut)
            .Join(db.Set<Household>(), r => r.HouseholdId, h => h.Id, (r, h) => new { r, h })
            .Where(x => (last4 != null && (x.r.IdNumberLast4 == last4 || x.r.PhoneLast4 == last4))
                || (x.h.Room == room && (buildingIds == null || buildingIds.Contains(x.h.BuildingId)))
                || x.r.Name.Contains(q))
            .OrderBy(x => x.r.Name).Take(8)
            .Select(x => new { x.r.Id, x.r.Name, x.h.BuildingId, x.h.Unit, x.h.Room, x.r.IdNumberMasked, x.r.PhoneMasked, x.r.PersonId, x.r.IdNumberHash })
            .ToListAsync(ct);
        var ids = rows.Where(r => r.PersonId != null).Select(r => r.PersonId!.Value).ToList();
        var hashes = rows.Where(r => r.PersonId == null && r.IdNumberHash != null).Select(r => r.IdNumberHash!).ToList();
        // People under watch may be registered in another compound: separate queries, no scoped data in them.
        var byHash = hashes.Count == 0 ? [] : await db.Set<Person>().IgnoreQueryFilters().AsNoTracking().Where(p => hashes.Contains(p.IdNumberHash))
            .Select(p => new { p.Id, p.IdNumberHash }).ToDictionaryAsync(p => p.IdNumberHash, p => p.Id, ct);
        var all = ids.Concat(byHash.Values).ToList();
        var quarantined = all.Count == 0 ? [] : await db.Set<QuarantineOrder>().IgnoreQueryFilters().AsNoTracking()
            .Where(o => all.Contains(o.PersonId) && o.Status == QuarantineStatus.Active).Select(o => o.PersonId).ToListAsync(ct);
        return [.. rows.Select(r =>
        {
            var pid = r.PersonId ?? (r.IdNumberHash is { } h && byHash.TryGetValue(h, out var p) ? p : null);
            return new ResidentHit(r.Id, r.Name, Household.Label(r.BuildingId is { } b && buildings.TryGetValue(b, out var n) ? n : null, r.Unit, r.Room),
                r.IdNumberMasked, r.PhoneMasked, pid, pid is { } x && quarantined.Contains(x));
        })];
    }

    private IQueryable<GatePass> OfDay(Guid gateId, DateOnly date)
    {
        var start = clock.StartOfDayUtc(date);
        var end = clock.StartOfDayUtc(date.AddDays(1));
        return db.Set<GatePass>().AsNoTracking().Where(p => p.GateId == gateId && p.TakenAt >= start && p.TakenAt < end);
    }

    private PassItem Item(GatePass p, string? residentIdMasked, string? residentPhoneMasked) => new(p.Id, p.ClientId, clock.WithOffset(p.TakenAt), clock.WithOffset(p.ReceivedAt),
        p.Direction, p.Temperature, p.Fever, p.Outcome, p.Name, p.Visitor, p.Visitor ? p.VisitorIdNumberMasked : residentIdMasked,
        p.Visitor ? p.VisitorPhoneMasked : residentPhoneMasked, p.VisitorFrom, p.VisitorTo, p.Plate, p.ApprovalReason, p.QuarantineBreach, p.PersonId);

    /// <summary>The passes of a gate on an office-local day, newest first.</summary>
    public async Task<(List<ExportRow> Rows, int Total)> PassesAsync(Guid gateId, DateOnly date, int skip, int take, CancellationToken ct = default)
    {
        var q = OfDay(gateId, date);
        var total = await q.CountAsync(ct);
        var rows = await q.OrderByDescending(p => p.TakenAt).ThenByDescending(p => p.Id).Skip(skip).Take(take)
            .GroupJoin(db.Set<Resident>(), p => p.ResidentId, r => r.Id, (p, rs) => new { p, rs })
            .SelectMany(x => x.rs.DefaultIfEmpty(), (x, r) => new { x.p, IdMasked = r != null ? r.IdNumberMasked : null, PhoneMasked = r != null ? r.PhoneMasked : null,
                IdCipher = r != null ? r.IdNumberCipher : x.p.VisitorIdNumberCipher, PhoneCipher = r != null ? r.PhoneCipher : x.p.VisitorPhoneCipher })
            .ToListAsync(ct);
        return ([.. rows.OrderByDescending(x => x.p.TakenAt).ThenByDescending(x => x.p.Id).Select(x => new ExportRow(Item(x.p, x.IdMasked, x.PhoneMasked), x.IdCipher, x.PhoneCipher))], total);
    }

    /// <summary>In / out / fever / refused per gate and per compound over office-local days (both inclusive).</summary>
    public async Task<Counts> CountsAsync(DateOnly from, DateOnly to, Guid? compoundId, CancellationToken ct = default)
    {
        var start = clock.StartOfDayUtc(from);
        var end = clock.StartOfDayUtc(to.AddDays(1));
        var perGate = await db.Set<GatePass>().AsNoTracking()
            .Where(p => p.TakenAt >= start && p.TakenAt < end && (compoundId == null || p.CompoundId == compoundId))
            .GroupBy(p => new { p.GateId, p.CompoundId })
            .Select(g => new
            {
                g.Key.GateId, g.Key.CompoundId,
                In = g.Count(p => p.Direction == PassDirection.In), Out = g.Count(p => p.Direction == PassDirection.Out),
                Fever = g.Count(p => p.Fever), Refused = g.Count(p => p.Outcome == PassOutcome.Refused),
            }).ToListAsync(ct);
        var gates = await GatesAsync(ct);
        var gateRows = gates.Where(g => compoundId == null || g.CompoundId == compoundId).Select(g =>
        {
            var c = perGate.FirstOrDefault(x => x.GateId == g.Id);
            return new { g.CompoundId, g.Compound, Row = new CountRow(g.Id, g.Name, c?.In ?? 0, c?.Out ?? 0, c?.Fever ?? 0, c?.Refused ?? 0) };
        }).ToList();
        var compounds = gateRows.GroupBy(x => (x.CompoundId, x.Compound))
            .Select(g => new CountRow(g.Key.CompoundId, g.Key.Compound, g.Sum(x => x.Row.In), g.Sum(x => x.Row.Out), g.Sum(x => x.Row.Fever), g.Sum(x => x.Row.Refused)))
            .ToList();
        return new Counts(from, to, [.. gateRows.Select(x => x.Row)], compounds);
    }
}
