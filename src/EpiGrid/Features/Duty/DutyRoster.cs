using EpiGrid.Data;
using EpiGrid.Platform;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Duty;

/// <summary>Reads people on duty, posts, teams and shifts as the API and the pages show them (warnings included).</summary>
public sealed class DutyRoster(AppDbContext db, OfficeClock clock, IOptions<DutyOptions> options)
{
    public sealed record MemberItem(Guid Id, string Name, DutyMemberKind Kind, string? Branch, string? PhoneMasked, string? Skills, Guid AreaId, string AreaName,
        Guid? UserId, bool IsActive);
    public sealed record MemberRef(Guid Id, string Name, DutyMemberKind Kind);
    public sealed record PostItem(Guid Id, string Name, Guid AreaId, string AreaName, string Location, Guid? GateId, string? Duties, IReadOnlyList<MemberRef> Members);
    public sealed record TeamItem(Guid Id, string Name, Guid AreaId, string AreaName, Guid LeaderId, string LeaderName, string? Task, IReadOnlyList<MemberRef> Members);
    public sealed record ShiftItem(Guid Id, Guid MemberId, string MemberName, Guid AreaId, Guid? GateId, Guid? PostId, string Place,
        DateTimeOffset StartsAt, DateTimeOffset EndsAt, double Hours, bool Night, bool Done, string? Note, IReadOnlyList<ShiftWarning> Warnings);
    public sealed record GroupRef(Guid Id, string Name, bool IsLeader);
    /// <summary>A person's record of duties: the shifts done (ended), those to come, the posts and teams they are on.</summary>
    public sealed record MemberRecord(MemberItem Member, IReadOnlyList<GroupRef> Posts, IReadOnlyList<GroupRef> Teams, IReadOnlyList<ShiftItem> Done,
        IReadOnlyList<ShiftItem> Upcoming, double HoursDone);

    public int MaxHoursPerWeek => options.Value.MaxHoursPerWeek;

    private async Task<Dictionary<Guid, string>> AreaNamesAsync(IEnumerable<Guid> ids, CancellationToken ct)
    {
        var list = ids.Distinct().ToList();
        return await db.Areas.AsNoTracking().Where(a => list.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
    }

    public IQueryable<DutyMember> MemberQuery(DutyMemberKind? kind, Guid? areaId, string? q, bool? active)
    {
        var query = db.Set<DutyMember>().AsNoTracking();
        if (kind is { } k) query = query.Where(m => m.Kind == k);
        if (areaId is { } a)
        {
            var segment = OrgTree.Area.PathSegment(a);
            query = query.Where(m => db.Areas.Any(x => x.Id == m.AreaId && x.Path.Contains(segment)));
        }
        if (!string.IsNullOrWhiteSpace(q))
        {
            var t = q.Trim();
            query = query.Where(m => m.Name.StartsWith(t) || m.PhoneLast4 == t || (m.Branch != null && m.Branch.Contains(t)) || (m.Skills != null && m.Skills.Contains(t)));
        }
        if (active is { } on) query = query.Where(m => m.IsActive == on);
        return query.OrderByDescending(m => m.IsActive).ThenBy(m => m.Kind).ThenBy(m => m.Name);
    }

    public async Task<List<MemberItem>> MemberItemsAsync(IReadOnlyList<DutyMember> list, CancellationToken ct = default)
    {
        var areas = await AreaNamesAsync(list.Select(m => m.AreaId), ct);
        return [.. list.Select(m => new MemberItem(m.Id, m.Name, m.Kind, m.Branch, m.PhoneMasked, m.Skills, m.AreaId, areas.GetValueOrDefault(m.AreaId, ""), m.UserId, m.IsActive))];
    }

    private async Task<Dictionary<Guid, MemberRef>> RefsAsync(IEnumerable<Guid> ids, CancellationToken ct)
    {
        var list = ids.Distinct().ToList();
        return await db.Set<DutyMember>().AsNoTracking().Where(m => list.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => new MemberRef(m.Id, m.Name, m.Kind), ct);
    }

    public async Task<List<PostItem>> PostsAsync(Guid? id = null, CancellationToken ct = default)
    {
        var posts = await db.Set<ModelPost>().AsNoTracking().Where(p => id == null || p.Id == id).OrderBy(p => p.Name).ToListAsync(ct);
        var ids = posts.Select(p => p.Id).ToList();
        var links = await db.Set<ModelPostMember>().AsNoTracking().Where(m => ids.Contains(m.PostId)).ToListAsync(ct);
        var refs = await RefsAsync(links.Select(l => l.MemberId), ct);
        var areas = await AreaNamesAsync(posts.Select(p => p.AreaId), ct);
        return [.. posts.Select(p => new PostItem(p.Id, p.Name, p.AreaId, areas.GetValueOrDefault(p.AreaId, ""), p.Location, p.GateId, p.Duties,
            [.. links.Where(l => l.PostId == p.Id && refs.ContainsKey(l.MemberId)).Select(l => refs[l.MemberId]).OrderBy(r => r.Name)]))];
    }

    public async Task<List<TeamItem>> TeamsAsync(Guid? id = null, CancellationToken ct = default)
    {
        var teams = await db.Set<ShockTeam>().AsNoTracking().Where(t => id == null || t.Id == id).OrderBy(t => t.Name).ToListAsync(ct);
        var ids = teams.Select(t => t.Id).ToList();
        var links = await db.Set<ShockTeamMember>().AsNoTracking().Where(m => ids.Contains(m.TeamId)).ToListAsync(ct);
        var refs = await RefsAsync(links.Select(l => l.MemberId).Concat(teams.Select(t => t.LeaderId)), ct);
        var areas = await AreaNamesAsync(teams.Select(t => t.AreaId), ct);
        return [.. teams.Select(t => new TeamItem(t.Id, t.Name, t.AreaId, areas.GetValueOrDefault(t.AreaId, ""), t.LeaderId, refs.GetValueOrDefault(t.LeaderId)?.Name ?? "", t.Task,
            [.. links.Where(l => l.TeamId == t.Id && refs.ContainsKey(l.MemberId)).Select(l => refs[l.MemberId]).OrderBy(r => r.LeaderFirst(t.LeaderId)).ThenBy(r => r.Name)]))];
    }

    public IQueryable<DutyShift> ShiftQuery(DateOnly? from, DateOnly? to, Guid? memberId, Guid? areaId)
    {
        var q = db.Set<DutyShift>().AsNoTracking();
        if (from is { } f) { var start = clock.StartOfDayUtc(f); q = q.Where(s => s.EndsAt > start); }
        if (to is { } t) { var end = clock.StartOfDayUtc(t.AddDays(1)); q = q.Where(s => s.StartsAt < end); }
        if (memberId is { } m) q = q.Where(s => s.MemberId == m);
        if (areaId is { } a)
        {
            var segment = OrgTree.Area.PathSegment(a);
            q = q.Where(s => db.Areas.Any(x => x.Id == s.AreaId && x.Path.Contains(segment)));
        }
        return q.OrderBy(s => s.StartsAt).ThenBy(s => s.Place);
    }

    /// <summary>Shifts as items, each with the warnings the roster's rules give against the same person's other shifts.</summary>
    public async Task<List<ShiftItem>> ShiftItemsAsync(IReadOnlyList<DutyShift> shifts, CancellationToken ct = default)
    {
        if (shifts.Count == 0) return [];
        var memberIds = shifts.Select(s => s.MemberId).Distinct().ToList();
        var from = shifts.Min(s => s.StartsAt).AddDays(-9);
        var to = shifts.Max(s => s.EndsAt).AddDays(9);
        // Separate queries on one table each, without the scope filter: the person's other shifts (anywhere) bear on the
        // warnings, and a shift in scope shows whose it is.
        var neighbours = await db.Set<DutyShift>().IgnoreQueryFilters().AsNoTracking()
            .Where(s => memberIds.Contains(s.MemberId) && s.StartsAt < to && s.EndsAt > from).ToListAsync(ct);
        var names = await db.Set<DutyMember>().IgnoreQueryFilters().AsNoTracking().Where(m => memberIds.Contains(m.Id))
            .ToDictionaryAsync(m => m.Id, m => m.Name, ct);
        var now = clock.UtcNow;
        var byMember = neighbours.GroupBy(s => s.MemberId).ToDictionary(g => g.Key, g => g.ToList());
        return [.. shifts.Select(s => new ShiftItem(s.Id, s.MemberId, names.GetValueOrDefault(s.MemberId, ""), s.AreaId, s.GateId, s.PostId, s.Place,
            clock.WithOffset(s.StartsAt), clock.WithOffset(s.EndsAt), Math.Round(ShiftRules.Hours(s), 2), ShiftRules.IsNight(s.StartsAt, s.EndsAt, clock.Zone),
            s.EndsAt <= now, s.Note, ShiftRules.Check(s, byMember.GetValueOrDefault(s.MemberId) ?? [], clock.Zone, MaxHoursPerWeek)))];
    }

    public async Task<MemberRecord?> RecordAsync(Guid memberId, CancellationToken ct = default)
    {
        var m = await db.Set<DutyMember>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == memberId, ct);
        if (m is null) return null;
        var item = (await MemberItemsAsync([m], ct))[0];
        var posts = await db.Set<ModelPostMember>().AsNoTracking().Where(x => x.MemberId == memberId)
            .Join(db.Set<ModelPost>(), x => x.PostId, p => p.Id, (x, p) => new GroupRef(p.Id, p.Name, false)).ToListAsync(ct);
        var teams = await db.Set<ShockTeamMember>().AsNoTracking().Where(x => x.MemberId == memberId)
            .Join(db.Set<ShockTeam>(), x => x.TeamId, t => t.Id, (x, t) => new { t.Id, t.Name, t.LeaderId }).ToListAsync(ct);
        var shifts = await db.Set<DutyShift>().AsNoTracking().Where(s => s.MemberId == memberId).OrderByDescending(s => s.StartsAt).Take(500).ToListAsync(ct);
        var items = await ShiftItemsAsync(shifts, ct);
        var done = items.Where(s => s.Done).ToList();
        return new MemberRecord(item, posts, [.. teams.Select(t => new GroupRef(t.Id, t.Name, t.LeaderId == memberId))], done,
            [.. items.Where(s => !s.Done).OrderBy(s => s.StartsAt)], Math.Round(done.Sum(s => s.Hours), 1));
    }
}

internal static class MemberRefOrder
{
    /// <summary>0 for the team's leader, 1 for the others: the leader is listed first.</summary>
    public static int LeaderFirst(this DutyRoster.MemberRef r, Guid leaderId) => r.Id == leaderId ? 0 : 1;
}
