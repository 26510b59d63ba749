using EpiGrid.Data;
using EpiGrid.Features.Complaints;
using EpiGrid.Features.Gates;
using EpiGrid.Features.Households;
using EpiGrid.Features.Observation;
using EpiGrid.Features.OrgTree;
using EpiGrid.Features.People;
using EpiGrid.Platform;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Reports;

/// <summary>A report window: the 24 hours ending at a day's cut-off, in UTC.</summary>
public sealed record ReportWindow(DateOnly Date, DateTime FromUtc, DateTime ToUtc);

/// <summary>One line of the daily report: a community or village, or the 合计 line (docs/api.md, "Reports and dashboard").</summary>
public sealed class ReportLine
{
    public Guid AreaId { get; set; }
    public string AreaName { get; set; } = "";
    public string Code { get; set; } = "";
    public int NewReturnees { get; set; }
    public int ScreenedTotal { get; set; }
    public int HomeObservation { get; set; }
    public int Centralized { get; set; }
    public int Transferred { get; set; }
    public int ReleasedToday { get; set; }
    public int ReleasedTotal { get; set; }
    public int NewCloseContacts { get; set; }
    public int CloseContactsTotal { get; set; }
    public int GateFever { get; set; }
    public int VisitedHouseholds { get; set; }
    public int VisitedPeople { get; set; }
    public int VisitedHouseholdsTotal { get; set; }
    public int VisitedPeopleTotal { get; set; }
    public int ComplaintsReceived { get; set; }
    public int ComplaintsClosed { get; set; }
    public string Remark { get; set; } = "";

    /// <summary>Nothing new in the window: a zero report (零报告) line.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool NothingNew => NewReturnees + Transferred + ReleasedToday + NewCloseContacts + GateFever + VisitedHouseholds + ComplaintsReceived + ComplaintsClosed == 0;

    public sealed record Column(string Key, string Heading, Func<ReportLine, int> Get, Action<ReportLine, int> Set);

    /// <summary>The numeric columns in the report form's order, after 社区/村 and before 备注.</summary>
    public static readonly IReadOnlyList<Column> Columns =
    [
        new("newReturnees", "新增湖北返回人员", r => r.NewReturnees, (r, v) => r.NewReturnees = v),
        new("screenedTotal", "累计排查人员", r => r.ScreenedTotal, (r, v) => r.ScreenedTotal = v),
        new("homeObservation", "居家医学观察(在管)", r => r.HomeObservation, (r, v) => r.HomeObservation = v),
        new("centralized", "集中隔离(在管)", r => r.Centralized, (r, v) => r.Centralized = v),
        new("transferred", "送医/转运", r => r.Transferred, (r, v) => r.Transferred = v),
        new("releasedToday", "解除观察(当日)", r => r.ReleasedToday, (r, v) => r.ReleasedToday = v),
        new("releasedTotal", "累计解除观察", r => r.ReleasedTotal, (r, v) => r.ReleasedTotal = v),
        new("newCloseContacts", "新增密切接触者", r => r.NewCloseContacts, (r, v) => r.NewCloseContacts = v),
        new("closeContactsTotal", "累计密切接触者", r => r.CloseContactsTotal, (r, v) => r.CloseContactsTotal = v),
        new("gateFever", "卡口发热人数", r => r.GateFever, (r, v) => r.GateFever = v),
        new("visitedHouseholds", "当日走访户数", r => r.VisitedHouseholds, (r, v) => r.VisitedHouseholds = v),
        new("visitedPeople", "当日走访人数", r => r.VisitedPeople, (r, v) => r.VisitedPeople = v),
        new("visitedHouseholdsTotal", "累计走访户数", r => r.VisitedHouseholdsTotal, (r, v) => r.VisitedHouseholdsTotal = v),
        new("visitedPeopleTotal", "累计走访人数", r => r.VisitedPeopleTotal, (r, v) => r.VisitedPeopleTotal = v),
        new("complaintsReceived", "受理投诉", r => r.ComplaintsReceived, (r, v) => r.ComplaintsReceived = v),
        new("complaintsClosed", "办结投诉", r => r.ComplaintsClosed, (r, v) => r.ComplaintsClosed = v),
    ];

    public const string AreaHeading = "社区/村";
    public const string RemarkHeading = "备注";
    public const string TotalName = "合计";
    public const string ZeroRemark = "零报告";

    /// <summary>Every heading, in order: 社区/村, the figures, 备注.</summary>
    public static IEnumerable<string> Headings => Columns.Select(c => c.Heading).Prepend(AreaHeading).Append(RemarkHeading);

    public void Add(ReportLine other)
    {
        foreach (var c in Columns) c.Set(this, c.Get(this) + c.Get(other));
    }
}

/// <summary>What <see cref="DailyFigures.ComputeAsync"/> found: a line per community or village, and the totals.</summary>
public sealed record Figures(ReportWindow Window, Guid SubdistrictId, string SubdistrictName, List<ReportLine> Rows, ReportLine Totals);

/// <summary>
/// The one query behind the daily report and the dashboard, so their figures agree by construction. Every count is
/// aggregated in the database (GROUP BY compound or area) and only the groups come back; compounds and buildings are
/// rolled up to their community or village through the org tree's paths (a few hundred nodes). The caller's scope
/// applies as everywhere (query filters): a grid worker gets their community's line and its totals.
/// <para>Definitions: "new" = registered (<c>CreatedAt</c>) in the window with the category; "在管" = a quarantine
/// order in force at the window's end (started before it, not closed — or, if not yet released, not past its end —
/// by then); 送医/转运 = people transferred (转运) or whose order ended in transfer in the window; 走访 = screening
/// visits (households, and the people found living in each household visited, once per household); complaints =
/// tickets received / closed in the window, merged duplicates not counted twice. "累计" = from
/// <see cref="ReportOptions.PeriodStart"/> to the window's end.</para>
/// </summary>
public sealed class DailyFigures(AppDbContext db, OfficeClock clock, IOptions<ReportOptions> options)
{
    public ReportOptions Options => options.Value;

    /// <summary>The 24 hours ending at the cut-off of <paramref name="date"/> (office time).</summary>
    public ReportWindow WindowOf(DateOnly date)
    {
        var to = TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(Options.CutOff, DateTimeKind.Unspecified), clock.Zone);
        var from = TimeZoneInfo.ConvertTimeToUtc(date.AddDays(-1).ToDateTime(Options.CutOff, DateTimeKind.Unspecified), clock.Zone);
        return new ReportWindow(date, from, to);
    }

    /// <summary>The report day now in progress: today's if before the cut-off, else tomorrow's.</summary>
    public DateOnly CurrentDate()
    {
        var local = clock.ToLocal(clock.UtcNow);
        var today = DateOnly.FromDateTime(local);
        return TimeOnly.FromDateTime(local) < Options.CutOff ? today : today.AddDays(1);
    }

    public DateTime PeriodStartUtc => clock.StartOfDayUtc(Options.PeriodStart);

    /// <summary>The subdistrict a report is for: the one asked for, else the first (by code) the caller sees. Null when none is visible.</summary>
    public async Task<Area?> SubdistrictAsync(Guid? areaId, CancellationToken ct = default)
    {
        // Subdistricts by id, unfiltered (a community's grid worker reads the report of their subdistrict, their line only);
        // whether any of it is the caller's is decided by the lines they can see.
        var q = db.Areas.IgnoreQueryFilters().AsNoTracking().Where(a => a.Kind == AreaKind.Subdistrict);
        if (areaId is { } id) q = q.Where(a => a.Id == id);
        var candidates = await q.OrderBy(a => a.Code).ToListAsync(ct);
        foreach (var s in candidates)
        {
            if (!db.Scope.Active) return s;
            var prefix = s.Path;
            if (db.Scope.Covers(s.Id) || await db.Areas.AnyAsync(a => a.Path.StartsWith(prefix), ct)) return s;
        }
        return null;
    }

    public async Task<Figures> ComputeAsync(Area subdistrict, ReportWindow w, CancellationToken ct = default)
    {
        var from = w.FromUtc;
        var to = w.ToUtc;
        var start = PeriodStartUtc;

        // The org tree under the subdistrict that the caller sees (scoped), mapped to its community or village.
        var prefix = subdistrict.Path;
        var nodes = await db.Areas.AsNoTracking().Where(a => a.Path.StartsWith(prefix) && a.Depth > subdistrict.Depth)
            .Select(a => new { a.Id, a.Name, a.Code, a.Kind, a.Path, a.ParentId, a.Depth }).ToListAsync(ct);
        var segmentLength = Area.PathSegment(Guid.Empty).Length;
        var communityOf = new Dictionary<Guid, Guid>();
        foreach (var n in nodes)
        {
            var segment = n.Path.Substring(prefix.Length, segmentLength - 1);
            communityOf[n.Id] = Guid.ParseExact(segment, "N");
        }
        var communityIds = communityOf.Values.Distinct().ToList();
        // Names of communities the caller reaches only through a compound of theirs: read by id, unfiltered.
        var communities = await db.Areas.IgnoreQueryFilters().AsNoTracking().Where(a => communityIds.Contains(a.Id) && (a.Kind == AreaKind.Community || a.Kind == AreaKind.Village))
            .Select(a => new { a.Id, a.Name, a.Code }).ToListAsync(ct);
        var lines = communities.OrderBy(c => c.Code).ToDictionary(c => c.Id, c => new ReportLine { AreaId = c.Id, AreaName = c.Name, Code = c.Code });

        void Put(IEnumerable<(Guid AreaId, int Count)> groups, Action<ReportLine, int> add)
        {
            foreach (var (areaId, count) in groups)
            {
                if (communityOf.TryGetValue(areaId, out var c) && lines.TryGetValue(c, out var line)) add(line, count);
            }
        }

        var people = db.Set<Person>().AsNoTracking();
        var orders = db.Set<QuarantineOrder>().AsNoTracking();

        // New and cumulative people, returnees and close contacts: one pass over the index (CompoundId, CreatedAt,
        // CategoryFlags), the categories read from the person's own bits (Person.CategoryFlags), no join.
        var newFrom = from > start ? from : start;
        var returnee = PersonCategoryFlags.Bit(PersonCategory.Returnee);
        var contact = PersonCategoryFlags.Bit(PersonCategory.CloseContact);
        // The tree's ids as an IN list lead both databases to seek (CompoundId = each, CreatedAt in range) on that index,
        // whatever their statistics say, rather than read a long CreatedAt range and sort it by compound.
        var nodeIds = nodes.Select(n => n.Id).ToList();
        var registered = await people.Where(p => nodeIds.Contains(p.CompoundId) && p.CreatedAt >= start && p.CreatedAt < to).GroupBy(p => p.CompoundId)
            .Select(g => new
            {
                g.Key,
                Total = g.Count(),
                NewReturnees = g.Sum(p => p.CreatedAt >= newFrom && (p.CategoryFlags & returnee) != 0 ? 1 : 0),
                NewContacts = g.Sum(p => p.CreatedAt >= newFrom && (p.CategoryFlags & contact) != 0 ? 1 : 0),
                Contacts = g.Sum(p => (p.CategoryFlags & contact) != 0 ? 1 : 0),
            }).ToListAsync(ct);
        Put(registered.Select(r => (r.Key, r.NewReturnees)), (l, n) => l.NewReturnees += n);
        Put(registered.Select(r => (r.Key, r.Total)), (l, n) => l.ScreenedTotal += n);
        Put(registered.Select(r => (r.Key, r.NewContacts)), (l, n) => l.NewCloseContacts += n);
        Put(registered.Select(r => (r.Key, r.Contacts)), (l, n) => l.CloseContactsTotal += n);

        // In force at the window's end.
        var inForce = await orders.Where(o => o.StartsAt < to && (o.ClosedAt ?? o.EndsAt) > to)
            .GroupBy(o => new { o.CompoundId, o.Kind }).Select(g => new { g.Key.CompoundId, g.Key.Kind, Count = g.Count() }).ToListAsync(ct);
        Put(inForce.Where(x => x.Kind == QuarantineKind.Home).Select(x => (x.CompoundId, x.Count)), (l, n) => l.HomeObservation += n);
        Put(inForce.Where(x => x.Kind == QuarantineKind.Centralized).Select(x => (x.CompoundId, x.Count)), (l, n) => l.Centralized += n);

        // Transfers: a person transferred (转运) or an order ended in transfer; each person once. Few rows: the day's transfers.
        var transferredPeople = await people.Where(p => p.TransferredAt >= from && p.TransferredAt < to).Select(p => new { p.Id, p.CompoundId }).ToListAsync(ct);
        var transferredOrders = await orders.Where(o => o.Status == QuarantineStatus.Transferred && o.ClosedAt >= from && o.ClosedAt < to)
            .Select(o => new { Id = o.PersonId, o.CompoundId }).ToListAsync(ct);
        Put(transferredPeople.Concat(transferredOrders).DistinctBy(x => x.Id).GroupBy(x => x.CompoundId).Select(g => (g.Key, g.Count())), (l, n) => l.Transferred += n);

        Put(await Grouped(orders.Where(o => o.Status == QuarantineStatus.Released && o.ClosedAt >= from && o.ClosedAt < to)
            .GroupBy(o => o.CompoundId).Select(g => new Pair(g.Key, g.Count())), ct), (l, n) => l.ReleasedToday += n);
        Put(await Grouped(orders.Where(o => o.Status == QuarantineStatus.Released && o.ClosedAt >= start && o.ClosedAt < to)
            .GroupBy(o => o.CompoundId).Select(g => new Pair(g.Key, g.Count())), ct), (l, n) => l.ReleasedTotal += n);

        Put(await Grouped(db.Set<GatePass>().AsNoTracking().Where(p => p.Fever && p.TakenAt >= from && p.TakenAt < to)
            .GroupBy(p => p.CompoundId).Select(g => new Pair(g.Key, g.Count())), ct), (l, n) => l.GateFever += n);

        // Visits: per household, the people found living there (the largest count of the window), then per compound.
        async Task Visits(DateTime since, Action<ReportLine, int> households, Action<ReportLine, int> persons)
        {
            var rows = await db.Set<ScreeningVisit>().AsNoTracking().Where(v => v.VisitedAt >= since && v.VisitedAt < to)
                .GroupBy(v => new { v.CompoundId, v.HouseholdId }).Select(g => new { g.Key.CompoundId, Occupants = g.Max(v => v.Occupants) })
                .GroupBy(x => x.CompoundId).Select(g => new { g.Key, Households = g.Count(), People = g.Sum(x => x.Occupants) }).ToListAsync(ct);
            Put(rows.Select(r => (r.Key, r.Households)), households);
            Put(rows.Select(r => (r.Key, r.People)), persons);
        }
        await Visits(from > start ? from : start, (l, n) => l.VisitedHouseholds += n, (l, n) => l.VisitedPeople += n);
        await Visits(start, (l, n) => l.VisitedHouseholdsTotal += n, (l, n) => l.VisitedPeopleTotal += n);

        // Complaints are not scope-filtered by attribute (ADR-007): counted by the area they lie in, through the nodes above.
        var complaints = db.Set<Complaint>().AsNoTracking().Where(c => c.MergedIntoId == null);
        var received = await Grouped(complaints.Where(c => c.ReceivedAt >= from && c.ReceivedAt < to).GroupBy(c => c.AreaId).Select(g => new Pair(g.Key, g.Count())), ct);
        var closed = await Grouped(complaints.Where(c => c.ClosedAt >= from && c.ClosedAt < to).GroupBy(c => c.AreaId).Select(g => new Pair(g.Key, g.Count())), ct);
        Put(received, (l, n) => l.ComplaintsReceived += n);
        Put(closed, (l, n) => l.ComplaintsClosed += n);

        var rows = lines.Values.ToList();
        foreach (var r in rows.Where(r => r.NothingNew)) r.Remark = ReportLine.ZeroRemark;
        var totals = new ReportLine { AreaId = subdistrict.Id, AreaName = ReportLine.TotalName, Code = subdistrict.Code };
        foreach (var r in rows) totals.Add(r);
        // Tickets about the subdistrict as a whole (an address only) belong to no community: in the totals, said in its remark.
        if (db.Scope.Covers(subdistrict.Id))
        {
            var atOffice = received.Where(x => x.AreaId == subdistrict.Id).Sum(x => x.Count);
            var closedAtOffice = closed.Where(x => x.AreaId == subdistrict.Id).Sum(x => x.Count);
            totals.ComplaintsReceived += atOffice;
            totals.ComplaintsClosed += closedAtOffice;
            if (atOffice + closedAtOffice > 0) totals.Remark = $"含街道直接受理 {atOffice} 件、办结 {closedAtOffice} 件";
        }
        if (totals.NothingNew && totals.Remark.Length == 0) totals.Remark = ReportLine.ZeroRemark;
        return new Figures(w, subdistrict.Id, subdistrict.Name, rows, totals);
    }

    private sealed record Pair(Guid AreaId, int Count);

    private static async Task<List<(Guid AreaId, int Count)>> Grouped(IQueryable<Pair> q, CancellationToken ct) =>
        [.. (await q.ToListAsync(ct)).Select(p => (p.AreaId, p.Count))];
}
