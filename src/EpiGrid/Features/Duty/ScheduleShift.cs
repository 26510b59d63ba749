using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Duty;

/// <summary>Settings under <c>EpiGrid:Duty</c>.</summary>
public sealed class DutyOptions
{
    public const string Section = "EpiGrid:Duty";
    /// <summary>Hours one person may be rostered in a week (Monday–Sunday, office time) before the roster warns.</summary>
    public int MaxHoursPerWeek { get; set; } = 48;
}

/// <summary>A warning about a shift: the roster keeps it, but shows it in orange (it is not a refusal).</summary>
public sealed record ShiftWarning(string Code, string Message);

/// <summary>
/// The roster's rules, warnings not refusals:
/// <list type="bullet">
/// <item>A night shift is one that covers any time between 22:00 and 06:00 office-local time. Its "night" is the
/// date on which that 22:00 falls. Someone with night shifts on two nights in a row (night D and night D+1) is
/// warned about (<c>ConsecutiveNights</c>).</item>
/// <item>Someone rostered for more than <see cref="DutyOptions.MaxHoursPerWeek"/> hours in one week (Monday 00:00 to
/// Sunday 24:00 office time, a shift counted in the week it starts) is warned about (<c>WeeklyHours</c>).</item>
/// <item>Two shifts of the same person that overlap are warned about (<c>Overlap</c>).</item>
/// </list>
/// </summary>
public static class ShiftRules
{
    public static readonly TimeOnly NightStarts = new(22, 0);
    public static readonly TimeOnly NightEnds = new(6, 0);

    /// <summary>The nights (dates of their 22:00) that a shift touches; empty for a day shift.</summary>
    public static List<DateOnly> Nights(DateTime startsAtUtc, DateTime endsAtUtc, TimeZoneInfo zone)
    {
        var start = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(startsAtUtc, DateTimeKind.Utc), zone);
        var end = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(endsAtUtc, DateTimeKind.Utc), zone);
        var nights = new List<DateOnly>();
        for (var d = DateOnly.FromDateTime(start).AddDays(-1); d <= DateOnly.FromDateTime(end); d = d.AddDays(1))
        {
            var from = d.ToDateTime(NightStarts);
            var to = d.AddDays(1).ToDateTime(NightEnds);
            if (start < to && end > from) nights.Add(d);
        }
        return nights;
    }

    public static bool IsNight(DateTime startsAtUtc, DateTime endsAtUtc, TimeZoneInfo zone) => Nights(startsAtUtc, endsAtUtc, zone).Count > 0;

    /// <summary>The Monday (office time) of the week a shift starting at this instant counts in.</summary>
    public static DateOnly WeekOf(DateTime utc, TimeZoneInfo zone)
    {
        var d = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone));
        return d.AddDays(-(((int)d.DayOfWeek + 6) % 7));
    }

    public static double Hours(DutyShift s) => (s.EndsAt - s.StartsAt).TotalHours;

    /// <summary>The warnings for <paramref name="shift"/> given the same person's <paramref name="others"/> (it may be among them: it is skipped).</summary>
    public static List<ShiftWarning> Check(DutyShift shift, IEnumerable<DutyShift> others, TimeZoneInfo zone, int maxHoursPerWeek)
    {
        var rest = others.Where(o => o.Id != shift.Id && o.MemberId == shift.MemberId).ToList();
        var warnings = new List<ShiftWarning>();
        var overlapping = rest.FirstOrDefault(o => o.StartsAt < shift.EndsAt && o.EndsAt > shift.StartsAt);
        if (overlapping is not null)
        {
            var from = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(overlapping.StartsAt, DateTimeKind.Utc), zone);
            var to = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(overlapping.EndsAt, DateTimeKind.Utc), zone);
            warnings.Add(new("Overlap", $"与同一人已排的班次时间重叠（{from:MM-dd HH:mm}–{to:MM-dd HH:mm}）"));
        }
        var nights = Nights(shift.StartsAt, shift.EndsAt, zone);
        if (nights.Count > 0)
        {
            var otherNights = rest.SelectMany(o => Nights(o.StartsAt, o.EndsAt, zone)).ToHashSet();
            var next = nights.FirstOrDefault(n => otherNights.Contains(n.AddDays(-1)) || otherNights.Contains(n.AddDays(1)));
            if (next != default)
            {
                var other = otherNights.Contains(next.AddDays(-1)) ? next.AddDays(-1) : next.AddDays(1);
                var (a, b) = other < next ? (other, next) : (next, other);
                warnings.Add(new("ConsecutiveNights", $"连续两晚夜班（{a:MM-dd}、{b:MM-dd} 夜间 22:00–06:00）"));
            }
        }
        var week = WeekOf(shift.StartsAt, zone);
        var hours = rest.Where(o => WeekOf(o.StartsAt, zone) == week).Sum(Hours) + Hours(shift);
        if (hours > maxHoursPerWeek)
        {
            warnings.Add(new("WeeklyHours", $"本周（{week:MM-dd} 起）排班 {hours:0.#} 小时，超过 {maxHoursPerWeek} 小时"));
        }
        return warnings;
    }
}

/// <summary>Puts someone on a shift at a gate, a model post or a named place; returns the shift with the roster's warnings.</summary>
public sealed class ScheduleShift(AppDbContext db, OfficeClock clock, IHttpContextAccessor http, IOptions<DutyOptions> options)
{
    public sealed record ShiftInput(Guid? MemberId, Guid? GateId, Guid? PostId, Guid? AreaId, string? Place, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Note);
    public sealed record Outcome(DutyShift Shift, List<ShiftWarning> Warnings);

    public const int MaxShiftHours = 24;

    public int MaxHoursPerWeek => options.Value.MaxHoursPerWeek;

    public async Task<Outcome> CreateAsync(ShiftInput input, CancellationToken ct = default)
    {
        var errors = new Errors();
        var memberId = errors.Required("memberId", input.MemberId);
        DutyMember? member = null;
        if (memberId is { } mid)
        {
            member = await db.Set<DutyMember>().AsNoTracking().FirstOrDefaultAsync(m => m.Id == mid, ct);
            if (member is null) errors.Add("memberId", "人员不存在");
            else if (!member.IsActive) errors.Add("memberId", "该人员已停用");
        }
        Guid? areaId = null;
        string? place = null;
        if (input.GateId is { } g)
        {
            var gate = await OrgTreeApi.Gates(db, g).FirstOrDefaultAsync(ct);
            if (gate is null) errors.Add("gateId", "卡口不存在");
            else { areaId = gate.CompoundId; place = gate.Name; }
        }
        if (input.PostId is { } p)
        {
            if (input.GateId is not null) errors.Add("postId", "卡口和示范岗只能选一个");
            var post = await db.Set<ModelPost>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == p, ct);
            if (post is null) errors.Add("postId", "示范岗不存在");
            else { areaId = post.AreaId; place = post.Name; }
        }
        var typed = errors.Text("place", input.Place, 100, required: input.GateId is null && input.PostId is null);
        if (input.GateId is null && input.PostId is null)
        {
            var area = await EditDuty.AreaAsync(db, errors, "areaId", input.AreaId, ct);
            areaId = area?.Id;
        }
        var start = errors.Required("startsAt", input.StartsAt);
        var end = errors.Required("endsAt", input.EndsAt);
        var now = clock.UtcNow;
        if (start is { } s && (s.UtcDateTime < now.AddYears(-1) || s.UtcDateTime > now.AddYears(1))) errors.Add("startsAt", "班次应在一年之内");
        if (start is { } s2 && end is { } e)
        {
            if (e <= s2) errors.Add("endsAt", "结束时间应晚于开始时间");
            else if ((e - s2).TotalHours > MaxShiftHours) errors.Add("endsAt", $"一个班次不能超过 {MaxShiftHours} 小时");
        }
        var note = errors.Text("note", input.Note, 500, required: false, multiline: true);
        errors.Throw();

        var shift = new DutyShift
        {
            MemberId = member!.Id, AreaId = areaId!.Value, GateId = input.GateId, PostId = input.PostId, Place = typed ?? place!,
            StartsAt = start!.Value.UtcDateTime, EndsAt = end!.Value.UtcDateTime, Note = note, CreatedAt = now, CreatedById = http.HttpContext!.User.UserId(),
        };
        var warnings = ShiftRules.Check(shift, await NeighboursAsync(shift.MemberId, shift.StartsAt, shift.EndsAt, ct), clock.Zone, MaxHoursPerWeek);
        db.Add(shift);
        await db.SaveChangesAsync(ct);
        return new Outcome(shift, warnings);
    }

    /// <summary>
    /// The person's shifts that can bear on a shift's warnings: its week and the nights either side. Read without
    /// the scope filter on purpose (a separate query on one table): someone rostered at a gate of another community
    /// the night before is still tired.
    /// </summary>
    public Task<List<DutyShift>> NeighboursAsync(Guid memberId, DateTime startsAt, DateTime endsAt, CancellationToken ct = default)
    {
        var from = clock.StartOfDayUtc(ShiftRules.WeekOf(startsAt, clock.Zone)).AddDays(-2);
        var to = clock.StartOfDayUtc(ShiftRules.WeekOf(startsAt, clock.Zone).AddDays(7)).AddDays(2);
        if (endsAt > to) to = endsAt.AddDays(2);
        return db.Set<DutyShift>().IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.MemberId == memberId && s.StartsAt < to && s.EndsAt > from).ToListAsync(ct);
    }
}
