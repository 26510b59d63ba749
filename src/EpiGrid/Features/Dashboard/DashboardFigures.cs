using System.Diagnostics;
using EpiGrid.Data;
using EpiGrid.Features.Alerts;
using EpiGrid.Features.Command;
using EpiGrid.Features.Complaints;
using EpiGrid.Features.Disinfection;
using EpiGrid.Features.Gates;
using EpiGrid.Features.Households;
using EpiGrid.Features.Observation;
using EpiGrid.Features.OrgTree;
using EpiGrid.Features.People;
using EpiGrid.Features.Reports;
using EpiGrid.Features.Supplies;
using EpiGrid.Features.Tasks;
using EpiGrid.Platform;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Dashboard;

/// <summary>Settings under <c>EpiGrid:Dashboard</c>.</summary>
public sealed class DashboardOptions
{
    public const string Section = "EpiGrid:Dashboard";
    /// <summary>How long one computation of a scope's figures is served when nothing changed (0 = compute every time).</summary>
    public int CacheSeconds { get; set; } = 10;
    /// <summary>An optional tile server for the map ({z}/{x}/{y}); without it the map shows the compound outlines only.</summary>
    public string? TileUrl { get; set; }
}

public sealed record CheckFigures(int Due, int Done, int Missed, int Pending);
public sealed record AlertFigures(int FeverToday, int BreachToday, int FeverOpen, int BreachOpen, int OpenTotal);
public sealed record ComplaintFigures(int Open, int Overdue);
public sealed record DisinfectionFigures(int Scheduled, int Done, int Pending, int Missed);
public sealed record DeliveryFigures(int Open, int Overdue);
public sealed record CoverageFigures(int Households, int Screened, double Rate);
public sealed record GapItem(Guid CompoundId, string Compound, string Community);
public sealed record TrendFigures(List<DateOnly> Dates, List<int> NewPeople, List<int> GateFever, List<int> Complaints, List<int> VisitedHouseholds);
public sealed record MapItem(Guid CompoundId, string Name, string Community, string? Outline, int UnderWatch, int OpenAlerts, int Level);

/// <summary>
/// The live figures of the caller's scope (docs/api.md: <c>GET /api/dashboard</c>). The report block is
/// <see cref="DailyFigures"/> itself for the report day in progress (or the one asked for), so the dashboard and the
/// daily report agree by construction.
/// </summary>
public sealed record DashboardView(DateTimeOffset AsOf, DateOnly Date, DateTimeOffset From, DateTimeOffset To, Guid? AreaId, string AreaName,
    Dictionary<PersonCategory, int> UnderWatch, int UnderWatchTotal, CheckFigures Checks, AlertFigures Alerts, ComplaintFigures Complaints,
    DisinfectionFigures Disinfection, DeliveryFigures Deliveries, CoverageFigures Coverage, List<GapItem> Gaps,
    List<ReportLine> Rows, ReportLine? Totals, TrendFigures Trends, List<MapItem> Map, string? TileUrl);

public sealed class DashboardFigures(AppDbContext db, OfficeClock clock, DailyFigures daily, Matrix matrix, Coverage coverage,
    DisinfectionBoard disinfection, SupplyBoard supplies, IOptions<ObservationOptions> observation, IOptions<DashboardOptions> options,
    IMemoryCache cache, LiveRefresh refresh, DashboardRefresher refresher)
{
    internal sealed record Cached(long Version, long Ticks, DashboardView View);

    /// <summary>How long a computed view may still be served while a newer one is being computed (stale-while-revalidate).</summary>
    internal static readonly TimeSpan KeepStale = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Served from memory while nothing in the data changed and it is younger than the cache time. When the data changed
    /// (with gates busy, every second), the last view is answered at once, marked stale, while one computation per scope
    /// and day runs in the background (<see cref="DashboardRefresher"/>); the page asks again a moment later. So a leader's
    /// dashboard never waits for a computation that, at a million people, takes most of a second — and however many
    /// pages are open, a scope's figures are computed once at a time.
    /// </summary>
    public async Task<(DashboardView View, bool Stale)> GetWithFreshnessAsync(DateOnly? date, Guid? areaId, CancellationToken ct = default)
    {
        var scopeKey = db.Scope.Active ? string.Join(",", db.Scope.AreaIds.Order()) : "all";
        var day = date ?? daily.CurrentDate();
        var key = $"dashboard:{scopeKey}:{areaId}:{day}:{clock.Today}";
        var version = refresh.Version;
        var maxAge = options.Value.CacheSeconds * Stopwatch.Frequency;
        if (maxAge > 0 && cache.TryGetValue(key, out Cached? hit) && hit is not null)
        {
            if (hit.Version == version && Stopwatch.GetTimestamp() - hit.Ticks < maxAge) return (hit.View, false);
            refresher.Start(key, day, areaId, db.Scope);
            return (hit.View, true);
        }
        // Nothing in memory: wait for the one computation of this key (several callers share it; it fills the cache).
        if (maxAge > 0) return (await refresher.ComputeAsync(key, day, areaId, db.Scope, ct), false);
        return (await ComputeAsync(day, areaId, ct), false);
    }

    public async Task<DashboardView> ComputeAsync(DateOnly day, Guid? areaId, CancellationToken ct = default)
    {
        refresher.Counted();
        var now = clock.UtcNow;
        var today = clock.Today;
        var todayStart = clock.StartOfDayUtc(today);
        var window = daily.WindowOf(day);

        // The report block: the same function as the daily report.
        var subdistrict = await daily.SubdistrictAsync(areaId, ct);
        Figures? report = subdistrict is null ? null : await daily.ComputeAsync(subdistrict, window, ct);

        // People under watch (active): grouped by (compound, status, category bits) in the order of the index
        // (CompoundId, Status, CategoryFlags), so the database reads that index once without sorting (filtering on Status
        // instead would make SQLite sort a million rows for the GROUP BY); the other statuses are dropped here. The counts
        // by category, the total and the map's load all come from these few groups.
        var active = (await db.Set<Person>().AsNoTracking().GroupBy(p => new { p.CompoundId, p.Status, p.CategoryFlags })
            .Select(g => new { g.Key.CompoundId, g.Key.Status, g.Key.CategoryFlags, Count = g.Count() }).ToListAsync(ct))
            .Where(x => x.Status == PersonStatus.Active).ToList();
        var underWatch = Enum.GetValues<PersonCategory>().ToDictionary(c => c,
            c => active.Where(x => (x.CategoryFlags & PersonCategoryFlags.Bit(c)) != 0).Sum(x => x.Count));
        var underWatchTotal = active.Sum(x => x.Count);

        // Today's morning and evening checks of the orders in force at each slot's deadline.
        int due = 0, done = 0, missed = 0, pending = 0;
        var orders = db.Set<QuarantineOrder>().AsNoTracking();
        var checks = db.Set<HealthCheck>().AsNoTracking();
        foreach (var (_, start, deadline) in Slots.Of(clock, observation.Value, today))
        {
            var covering = orders.Where(o => o.StartsAt < deadline && (o.ClosedAt ?? o.EndsAt) > deadline);
            var a = await covering.CountAsync(ct);
            var b = await covering.CountAsync(o => checks.Any(c => c.PersonId == o.PersonId && c.TakenAt >= start && c.TakenAt <= deadline), ct);
            due += a;
            done += b;
            if (deadline <= now) missed += a - b; else pending += a - b;
        }

        var alerts = await db.Set<Alert>().AsNoTracking().Where(a => a.CreatedAt >= todayStart || a.Status == AlertStatus.Open)
            .GroupBy(a => new { a.Kind, Today = a.CreatedAt >= todayStart, Open = a.Status == AlertStatus.Open })
            .Select(g => new { g.Key.Kind, g.Key.Today, g.Key.Open, Count = g.Count() }).ToListAsync(ct);
        var alertFigures = new AlertFigures(
            alerts.Where(x => x.Kind == AlertKind.Fever && x.Today).Sum(x => x.Count),
            alerts.Where(x => x.Kind == AlertKind.QuarantineBreach && x.Today).Sum(x => x.Count),
            alerts.Where(x => x.Kind == AlertKind.Fever && x.Open).Sum(x => x.Count),
            alerts.Where(x => x.Kind == AlertKind.QuarantineBreach && x.Open).Sum(x => x.Count),
            alerts.Where(x => x.Open).Sum(x => x.Count));

        // Complaints lying in the scope (counts only; who may read them is the complaint pages' business).
        var complaints = db.Set<Complaint>().AsNoTracking().Where(c => c.MergedIntoId == null
            && (c.Status == ComplaintStatus.Received || c.Status == ComplaintStatus.Dispatched || c.Status == ComplaintStatus.Reopened));
        if (db.Scope.Active)
        {
            var ids = db.Scope.AreaIds;
            complaints = complaints.Where(c => ids.Contains(c.AreaId));
        }
        var complaintFigures = new ComplaintFigures(await complaints.CountAsync(ct), await complaints.CountAsync(c => c.DueAt < now, ct));

        var slots = await disinfection.ForDateAsync(today, ct: ct);
        var disinfectionFigures = new DisinfectionFigures(slots.Sum(s => s.Scheduled), slots.Sum(s => s.Done), slots.Sum(s => s.Pending), slots.Sum(s => s.Missed));
        var deliveries = new DeliveryFigures(
            await db.Set<SupplyRequest>().CountAsync(r => r.Status == SupplyStatus.Open || r.Status == SupplyStatus.Assigned, ct),
            await supplies.Query(null, null, null, overdue: true).CountAsync(ct));

        var coverageRows = await coverage.ByCompoundAsync(7, ct);
        var households = coverageRows.Sum(r => r.Households);
        var screened = coverageRows.Sum(r => r.Screened);
        var gaps = (await matrix.CompoundsAsync(ct)).Where(r => r.IsGap).Select(r => new GapItem(r.CompoundId, r.CompoundName, r.CommunityName)).ToList();

        var trends = await TrendsAsync(day, 30, ct);

        // The map: each compound coloured by its load (people under watch), flagged by open alerts.
        var compounds = await db.Areas.AsNoTracking().Where(a => a.Kind == AreaKind.Compound).OrderBy(a => a.Code)
            .Select(a => new { a.Id, a.Name, a.ParentId, a.Outline }).ToListAsync(ct);
        var parentIds = compounds.Select(c => c.ParentId).Distinct().ToList();
        var parents = await db.Areas.IgnoreQueryFilters().AsNoTracking().Where(a => parentIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var load = active.GroupBy(x => x.CompoundId).ToDictionary(g => g.Key, g => g.Sum(x => x.Count));
        var openAlerts = await db.Set<Alert>().Where(a => a.Status == AlertStatus.Open).GroupBy(a => a.AreaId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var max = load.Count == 0 ? 0 : load.Values.Max();
        var map = compounds.Select(c =>
        {
            var n = load.GetValueOrDefault(c.Id);
            var level = n == 0 ? 0 : max == 0 ? 1 : Math.Clamp((int)Math.Ceiling(3.0 * n / max), 1, 3);
            return new MapItem(c.Id, c.Name, parents.GetValueOrDefault(c.ParentId ?? Guid.Empty, ""), c.Outline, n, openAlerts.GetValueOrDefault(c.Id), level);
        }).ToList();

        return new DashboardView(clock.WithOffset(now), day, clock.WithOffset(window.FromUtc), clock.WithOffset(window.ToUtc), subdistrict?.Id, subdistrict?.Name ?? "",
            underWatch, underWatchTotal, new CheckFigures(due, done, missed, pending), alertFigures, complaintFigures, disinfectionFigures, deliveries,
            new CoverageFigures(households, screened, households == 0 ? 0 : Math.Round((double)screened / households, 3)), gaps,
            report?.Rows ?? [], report?.Totals, trends, map, string.IsNullOrWhiteSpace(options.Value.TileUrl) ? null : options.Value.TileUrl);
    }

    /// <summary>Per report day (the 24 hours to the cut-off), the last <paramref name="days"/> days: counts grouped in the database by day.</summary>
    public async Task<TrendFigures> TrendsAsync(DateOnly lastDay, int days, CancellationToken ct = default)
    {
        var first = lastDay.AddDays(-(days - 1));
        var from = daily.WindowOf(first).FromUtc;
        var to = daily.WindowOf(lastDay).ToUtc;
        // A timestamp t belongs to report day (t + shift).Date, shift = the zone's offset + (24 h − cut-off).
        var shift = clock.Zone.GetUtcOffset(to).TotalHours + 24 - daily.Options.CutOff.ToTimeSpan().TotalHours;
        var dates = Enumerable.Range(0, days).Select(i => first.AddDays(i)).ToList();

        // New people: a range count per day on the index (CreatedAt, CompoundId) rather than a sort of every registration.
        async Task<List<int>> Counts(IQueryable<Person> q)
        {
            var counts = new List<int>(days);
            foreach (var d in dates)
            {
                var w = daily.WindowOf(d);
                counts.Add(await q.CountAsync(p => p.CreatedAt >= w.FromUtc && p.CreatedAt < w.ToUtc, ct));
            }
            return counts;
        }

        async Task<List<int>> Series(IQueryable<DateTime> times)
        {
            var groups = await times.Where(t => t >= from && t < to).GroupBy(t => t.AddHours(shift).Date).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
            var byDay = groups.ToDictionary(g => DateOnly.FromDateTime(g.Key), g => g.Count);
            return [.. dates.Select(d => byDay.GetValueOrDefault(d))];
        }

        return new TrendFigures(dates,
            await Counts(db.Set<Person>().AsNoTracking()),
            await Series(db.Set<GatePass>().AsNoTracking().Where(p => p.Fever).Select(p => p.TakenAt)),
            await Series(ScopedComplaints().Select(c => c.ReceivedAt)),
            await Series(db.Set<ScreeningVisit>().AsNoTracking().Select(v => v.VisitedAt)));
    }

    private IQueryable<Complaint> ScopedComplaints()
    {
        var q = db.Set<Complaint>().AsNoTracking().Where(c => c.MergedIntoId == null);
        if (!db.Scope.Active) return q;
        var ids = db.Scope.AreaIds;
        return q.Where(c => ids.Contains(c.AreaId));
    }
}
