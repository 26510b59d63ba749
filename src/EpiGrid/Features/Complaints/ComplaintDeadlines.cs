using EpiGrid.Features.Calendar;
using EpiGrid.Platform;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Complaints;

/// <summary>The office's time limits for tickets (defaults: README, "Settings"); settings under <c>EpiGrid:Complaints</c>.</summary>
public sealed class ComplaintOptions
{
    public const string Section = "EpiGrid:Complaints";
    /// <summary>Ticket numbers start with it: XG20200207-0031 (西关).</summary>
    public string NumberPrefix { get; set; } = "XG";
    /// <summary>Urgent tickets: clock hours, whatever the day.</summary>
    public int UrgentHours { get; set; } = 24;
    /// <summary>Normal help and enquiry: working days.</summary>
    public int HelpWorkingDays { get; set; } = 3;
    /// <summary>Normal complaint, report and suggestion: working days.</summary>
    public int ComplaintWorkingDays { get; set; } = 13;
}

/// <summary>
/// When a ticket's answer is due. Urgent: received + 24 clock hours. Otherwise N working days on the admin's
/// calendar, the day of receipt not counted, due at the end (23:59:59 office time) of the N-th working day.
/// </summary>
public sealed class ComplaintDeadlines(WorkCalendar calendar, OfficeClock clock, IOptions<ComplaintOptions> options)
{
    public async Task<DateTime> DueAtAsync(ComplaintCategory category, ComplaintUrgency urgency, DateTime fromUtc, CancellationToken ct = default)
    {
        var o = options.Value;
        if (urgency == ComplaintUrgency.Urgent) return fromUtc.AddHours(o.UrgentHours);
        var days = category is ComplaintCategory.Enquiry or ComplaintCategory.Help ? o.HelpWorkingDays : o.ComplaintWorkingDays;
        var last = await calendar.AddWorkingDaysAsync(DateOnly.FromDateTime(clock.ToLocal(fromUtc)), days, ct);
        return clock.StartOfDayUtc(last.AddDays(1)).AddSeconds(-1);
    }

    /// <summary>"剩余 2 天 3 小时" / "超时 5 小时", for the clock shown on every open ticket.</summary>
    public static string Remaining(TimeSpan left)
    {
        var late = left < TimeSpan.Zero;
        var t = late ? -left : left;
        var text = t.TotalDays >= 1 ? $"{(int)t.TotalDays} 天 {t.Hours} 小时"
            : t.TotalHours >= 1 ? $"{(int)t.TotalHours} 小时 {t.Minutes} 分"
            : $"{Math.Max(1, (int)Math.Ceiling(t.TotalMinutes))} 分钟";
        return (late ? "超时 " : "剩余 ") + text;
    }
}
