namespace EpiGrid.Features.Complaints;

/// <summary>How a ticket's status and clock look on the pages: colour with an icon and a word, never colour alone.</summary>
public static class ComplaintBadges
{
    public static (string Css, string Icon) Status(ComplaintStatus s) => s switch
    {
        ComplaintStatus.Received => ("text-bg-secondary", "bi-inbox"),
        ComplaintStatus.Dispatched => ("text-bg-primary", "bi-person-gear"),
        ComplaintStatus.Replied => ("text-bg-info", "bi-chat-left-text"),
        ComplaintStatus.Closed => ("text-bg-success", "bi-check-circle"),
        ComplaintStatus.Reopened => ("text-bg-warning", "bi-arrow-repeat"),
        _ => ("text-bg-light", "bi-question"),
    };

    /// <summary>Red when overdue, orange within the last 24 hours, green when answered in time.</summary>
    public static (string Css, string Icon) Clock(ComplaintStatus status, bool overdue, DateTimeOffset dueAt, DateTime nowUtc, string text)
    {
        if (status is ComplaintStatus.Closed or ComplaintStatus.Replied)
            return text.StartsWith("超时", StringComparison.Ordinal) ? ("text-bg-danger", "bi-alarm") : ("text-bg-success", "bi-check2");
        if (overdue) return ("text-bg-danger", "bi-alarm");
        if (dueAt.UtcDateTime - nowUtc < TimeSpan.FromHours(24)) return ("text-bg-warning", "bi-hourglass-split");
        return ("text-bg-light border", "bi-clock");
    }
}
