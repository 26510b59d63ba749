using System.Security.Claims;
using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Complaints;

/// <summary>
/// 投诉统计: how many tickets a day, by channel and category; how fast they are taken up and closed; how satisfied the
/// callers are; what is open and overdue now; which places burn; and the change against an earlier period (the seed
/// office went from 70–80 a day to 5–6). For the API (<c>GET /api/complaints/stats</c>) and the statistics page.
/// <para>
/// What counts: the tickets the caller may see (<see cref="ComplaintAccess.Visible"/>) received on the period's
/// office-local dates (their number's date), merged duplicates counted once on their primary (whose <c>calls</c>
/// says how many calls it stands for). Counts are grouped in the database; the durations (received → first dispatch,
/// received → closed) are fetched as pairs of timestamps and their median and 90th percentile computed here.
/// Median: the middle value (the mean of the two middle ones for an even count). 90th percentile: nearest rank, the
/// ⌈0.9·n⌉-th smallest. Satisfaction rate: (satisfied + basically satisfied) / followed up, by each ticket's latest
/// follow-up; null when none was followed up. Hours are rounded to one decimal.
/// </para>
/// </summary>
public sealed class ComplaintStats(AppDbContext db, OfficeClock clock)
{
    public const int MaxDays = 366;

    public sealed record DayCount(DateOnly Date, int Count);
    public sealed record Place(Guid AreaId, string Name, string? Community, int Count);
    public sealed record Period(DateOnly From, DateOnly To, int Days, int Tickets, int Calls, double PerDayAverage, IReadOnlyList<DayCount> PerDay);

    public sealed record Result(
        IReadOnlyList<DayCount> PerDay,
        IReadOnlyDictionary<string, int> ByChannel,
        IReadOnlyDictionary<string, int> ByCategory,
        double? SatisfactionRate,
        double? MedianHoursToClose,
        DateOnly From, DateOnly To, int Days, int Tickets, int Calls, double PerDayAverage, DayCount? PeakDay,
        IReadOnlyDictionary<string, int[]> PerDayByChannel,
        IReadOnlyDictionary<string, int[]> PerDayByCategory,
        int FollowedUp, int Satisfied, int BasicallySatisfied, int Unsatisfied,
        int Closed, double? P90HoursToClose,
        int Responded, double? MedianHoursToFirstResponse, double? P90HoursToFirstResponse,
        int OpenNow, int OverdueNow,
        IReadOnlyList<Place> TopPlaces,
        Period Comparison, double? ChangePercent);

    /// <summary>Defaults: the 7 days up to today, compared with the 7 days before them.</summary>
    public async Task<Result> RunAsync(DateOnly? from, DateOnly? to, DateOnly? compareFrom, DateOnly? compareTo, ClaimsPrincipal user)
    {
        var errors = new Errors();
        var t = to ?? clock.Today;
        var f = from ?? t.AddDays(-6);
        if (f > t) errors.Add("from", "开始日期不能晚于结束日期");
        else if (t.DayNumber - f.DayNumber + 1 > MaxDays) errors.Add("to", $"统计期间不能超过 {MaxDays} 天");
        if (compareFrom is null != compareTo is null) errors.Add(compareFrom is null ? "compareFrom" : "compareTo", "对比期间须同时填写开始和结束日期");
        else if (compareFrom > compareTo) errors.Add("compareFrom", "开始日期不能晚于结束日期");
        else if (compareFrom is { } cf0 && compareTo!.Value.DayNumber - cf0.DayNumber + 1 > MaxDays) errors.Add("compareTo", $"对比期间不能超过 {MaxDays} 天");
        errors.Throw();
        var days = t.DayNumber - f.DayNumber + 1;
        var ct = compareTo ?? f.AddDays(-1);
        var cf = compareFrom ?? ct.AddDays(-(days - 1));

        var visible = ComplaintAccess.Visible(db, user).AsNoTracking().Where(c => c.MergedIntoId == null);
        var inPeriod = visible.Where(c => c.NumberDate >= f && c.NumberDate <= t);

        var groups = await inPeriod
            .GroupBy(c => new { c.NumberDate, c.Channel, c.Category })
            .Select(g => new { g.Key.NumberDate, g.Key.Channel, g.Key.Category, Tickets = g.Count(), Calls = g.Sum(c => c.Calls) })
            .ToListAsync();
        var dates = Enumerable.Range(0, days).Select(i => f.AddDays(i)).ToList();
        var perDay = dates.Select(d => new DayCount(d, groups.Where(g => g.NumberDate == d).Sum(g => g.Tickets))).ToList();
        var byChannel = Enum.GetValues<ComplaintChannel>().ToDictionary(x => x.ToString(), x => groups.Where(g => g.Channel == x).Sum(g => g.Tickets));
        var byCategory = Enum.GetValues<ComplaintCategory>().ToDictionary(x => x.ToString(), x => groups.Where(g => g.Category == x).Sum(g => g.Tickets));
        var perDayByChannel = Enum.GetValues<ComplaintChannel>().ToDictionary(x => x.ToString(),
            x => dates.Select(d => groups.Where(g => g.Channel == x && g.NumberDate == d).Sum(g => g.Tickets)).ToArray());
        var perDayByCategory = Enum.GetValues<ComplaintCategory>().ToDictionary(x => x.ToString(),
            x => dates.Select(d => groups.Where(g => g.Category == x && g.NumberDate == d).Sum(g => g.Tickets)).ToArray());
        var tickets = groups.Sum(g => g.Tickets);
        var calls = groups.Sum(g => g.Calls);

        // Durations: two timestamps a ticket, never whole rows.
        var times = await inPeriod
            .Select(c => new
            {
                c.ReceivedAt,
                c.ClosedAt,
                FirstDispatch = db.Set<ComplaintEvent>().Where(e => e.ComplaintId == c.Id && e.Kind == ComplaintEventKind.Dispatched).Min(e => (DateTime?)e.At),
            })
            .ToListAsync();
        var toClose = times.Where(x => x.ClosedAt is not null).Select(x => (x.ClosedAt!.Value - x.ReceivedAt).TotalHours).ToList();
        var toRespond = times.Where(x => x.FirstDispatch is not null).Select(x => (x.FirstDispatch!.Value - x.ReceivedAt).TotalHours).ToList();

        var ratings = await inPeriod.Where(c => c.Satisfaction != null)
            .GroupBy(c => c.Satisfaction).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        int Rated(Satisfaction s) => ratings.Where(r => r.Key == s).Sum(r => r.Count);
        var followedUp = ratings.Sum(r => r.Count);
        double? rate = followedUp == 0 ? null : Math.Round((double)(Rated(Satisfaction.Satisfied) + Rated(Satisfaction.Basic)) / followedUp, 4);

        var now = clock.UtcNow;
        var openNow = await visible.CountAsync(c => c.Status != ComplaintStatus.Closed);
        var overdueNow = await visible.CountAsync(c =>
            (c.Status == ComplaintStatus.Received || c.Status == ComplaintStatus.Dispatched || c.Status == ComplaintStatus.Reopened) && c.DueAt < now);

        var top = await inPeriod.GroupBy(c => c.AreaId).Select(g => new { AreaId = g.Key, Count = g.Count() })
            .OrderByDescending(x => x.Count).ThenBy(x => x.AreaId).Take(10).ToListAsync();
        var places = await PlacesAsync(top.Select(x => x.AreaId).ToList());

        var compared = await visible.Where(c => c.NumberDate >= cf && c.NumberDate <= ct)
            .GroupBy(c => c.NumberDate).Select(g => new { Date = g.Key, Tickets = g.Count(), Calls = g.Sum(c => c.Calls) }).ToListAsync();
        var cdays = ct.DayNumber - cf.DayNumber + 1;
        var cTickets = compared.Sum(x => x.Tickets);
        var comparison = new Period(cf, ct, cdays, cTickets, compared.Sum(x => x.Calls), Math.Round((double)cTickets / cdays, 1),
            [.. Enumerable.Range(0, cdays).Select(i => cf.AddDays(i)).Select(d => new DayCount(d, compared.Where(x => x.Date == d).Sum(x => x.Tickets)))]);
        var average = (double)tickets / days;
        double? change = cTickets == 0 ? null : Math.Round((average - (double)cTickets / cdays) / ((double)cTickets / cdays) * 100, 1);
        var peak = perDay.Count == 0 || tickets == 0 ? null : perDay.OrderByDescending(d => d.Count).ThenBy(d => d.Date).First();

        return new Result(perDay, byChannel, byCategory, rate, Median(toClose), f, t, days, tickets, calls, Math.Round(average, 1), peak,
            perDayByChannel, perDayByCategory, followedUp, Rated(Satisfaction.Satisfied), Rated(Satisfaction.Basic), Rated(Satisfaction.Unsatisfied),
            toClose.Count, P90(toClose), toRespond.Count, Median(toRespond), P90(toRespond), openNow, overdueNow,
            [.. top.Select(x => places.TryGetValue(x.AreaId, out var p) ? new Place(x.AreaId, p.Name, p.Community, x.Count) : new Place(x.AreaId, "", null, x.Count))],
            comparison, change);
    }

    public static double? Median(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) return null;
        var s = values.Order().ToList();
        var m = s.Count / 2;
        return Math.Round(s.Count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2, 1);
    }

    public static double? P90(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) return null;
        var s = values.Order().ToList();
        var rank = (int)Math.Ceiling(0.9 * s.Count);
        return Math.Round(s[Math.Max(rank, 1) - 1], 1);
    }

    // Names of the places and their community: a separate query on the tree by id (ADR-007).
    private async Task<Dictionary<Guid, (string Name, string? Community)>> PlacesAsync(List<Guid> ids)
    {
        var areas = await db.Areas.IgnoreQueryFilters().AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new { a.Id, a.Name, a.Kind, a.ParentId }).ToListAsync();
        var parentIds = areas.Where(a => a.Kind == OrgTree.AreaKind.Compound && a.ParentId != null).Select(a => a.ParentId!.Value).Distinct().ToList();
        var parents = await db.Areas.IgnoreQueryFilters().AsNoTracking().Where(a => parentIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name);
        return areas.ToDictionary(a => a.Id, a => (a.Name, a.ParentId is { } p && parents.TryGetValue(p, out var n) ? n : (string?)null));
    }
}
