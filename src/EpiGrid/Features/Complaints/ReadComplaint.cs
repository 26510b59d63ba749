using System.Security.Claims;
using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Web;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Complaints;

/// <summary>A ticket with its timeline, and lists of tickets — for the API and the pages alike.</summary>
public sealed class ReadComplaint(AppDbContext db, OfficeClock clock, FindDuplicates duplicates)
{
    public sealed record PersonRef(Guid Id, string Name);

    /// <summary>Another ticket, by its number.</summary>
    public sealed record TicketRef(Guid Id, string Number);

    /// <summary>A repeated call merged into this ticket.</summary>
    public sealed record MergedCall(Guid Id, string Number, DateTimeOffset ReceivedAt, ComplaintChannel Channel, string ComplainantName, string? ComplainantPhone);

    public sealed record TimelineItem(Guid Id, DateTimeOffset At, ComplaintEventKind Kind, string Actor,
        ComplaintActionKind? ActionKind, Satisfaction? Satisfaction, string? Text);

    public sealed record ComplaintView(Guid Id, string Number, ComplaintChannel Channel, ComplaintCategory Category,
        ComplaintUrgency Urgency, ComplaintStatus Status, string Content, string ComplainantName, string? ComplainantPhone,
        Guid AreaId, string AreaName, string? Address, string? Concerning, string? UpstreamNumber, DateTimeOffset? UpstreamDueAt,
        DateTimeOffset ReceivedAt, DateTimeOffset DueAt, bool Overdue, string Clock, int Round,
        DateTimeOffset? AcknowledgedAt, PersonRef? AcknowledgedBy, PersonRef? Handler, PersonRef? Responder, DateTimeOffset? DispatchedAt,
        string? Reply, DateTimeOffset? RepliedAt, Satisfaction? Satisfaction, DateTimeOffset? FollowedUpAt, DateTimeOffset? ClosedAt,
        IReadOnlyList<TimelineItem> Timeline, int Calls, TicketRef? MergedInto, DateTimeOffset? MergedAt, IReadOnlyList<MergedCall> MergedCalls,
        IReadOnlyList<FindDuplicates.Candidate> DuplicateCandidates);

    public sealed record ComplaintItem(Guid Id, string Number, ComplaintChannel Channel, ComplaintCategory Category,
        ComplaintUrgency Urgency, ComplaintStatus Status, string Summary, Guid AreaId, string AreaName,
        DateTimeOffset ReceivedAt, DateTimeOffset DueAt, bool Overdue, string Clock, PersonRef? Handler, bool Acknowledged,
        string? LastReminder, int Calls, TicketRef? MergedInto);

    public sealed record Filter(ComplaintStatus? Status = null, ComplaintCategory? Category = null, ComplaintChannel? Channel = null,
        bool? Overdue = null, bool? Open = null, string? Q = null, bool Mine = false);

    public async Task<ComplaintView?> GetAsync(Guid id, ClaimsPrincipal user)
    {
        var c = await ComplaintAccess.Visible(db, user).AsNoTracking().FirstOrDefaultAsync(x => x.Id == id);
        if (c is null) return null;
        var events = await db.Set<ComplaintEvent>().AsNoTracking().Where(e => e.ComplaintId == id)
            .OrderBy(e => e.Seq).ToListAsync();
        var names = await UserNamesAsync([c.AcknowledgedBy, c.HandlerId, c.ResponderId]);
        var area = await AreaNamesAsync([c.AreaId]);
        var now = clock.UtcNow;
        // The primary of a merged duplicate, and the duplicates of a primary: linked tickets, named by number only.
        var mergedInto = c.MergedIntoId is { } pid
            ? await db.Set<Complaint>().AsNoTracking().Where(x => x.Id == pid).Select(x => new TicketRef(x.Id, x.Number)).FirstOrDefaultAsync() : null;
        var mergedRows = c.Calls > 1
            ? await db.Set<Complaint>().AsNoTracking().Where(x => x.MergedIntoId == c.Id).OrderBy(x => x.ReceivedAt)
                .Select(x => new { x.Id, x.Number, x.ReceivedAt, x.Channel, x.ComplainantName, x.ComplainantPhoneMasked }).ToListAsync()
            : [];
        var candidates = await duplicates.ForAsync(c, user);
        return new ComplaintView(c.Id, c.Number, c.Channel, c.Category, c.Urgency, c.Status, c.Content, c.ComplainantName,
            c.ComplainantPhoneMasked, c.AreaId, area.GetValueOrDefault(c.AreaId, ""), c.Address, c.Concerning, c.UpstreamNumber,
            Offset(c.UpstreamDueAt), clock.WithOffset(c.ReceivedAt), clock.WithOffset(c.DueAt), IsOverdue(c, now), ClockText(c, now), c.Round,
            Offset(c.AcknowledgedAt), Ref(names, c.AcknowledgedBy), Ref(names, c.HandlerId), Ref(names, c.ResponderId), Offset(c.DispatchedAt),
            c.Reply, Offset(c.RepliedAt), c.Satisfaction, Offset(c.FollowedUpAt), Offset(c.ClosedAt),
            [.. events.Select(e => new TimelineItem(e.Id, clock.WithOffset(e.At), e.Kind, e.ActorName, e.ActionKind, e.Satisfaction, e.Text))],
            c.Calls, mergedInto, Offset(c.MergedAt),
            [.. mergedRows.Select(m => new MergedCall(m.Id, m.Number, clock.WithOffset(m.ReceivedAt), m.Channel, m.ComplainantName, m.ComplainantPhoneMasked))],
            candidates);
    }

    public async Task<PageOf<ComplaintItem>> ListAsync(Filter f, ClaimsPrincipal user, int? page, int? pageSize)
    {
        var now = clock.UtcNow;
        var q = ComplaintAccess.Visible(db, user).AsNoTracking();
        if (f.Mine)
        {
            var me = Platform.Auth.AuthSetup.UserId(user);
            // The handler works on the primary; its merged duplicates follow it and are not listed twice.
            q = q.Where(c => (c.HandlerId == me || c.ResponderId == me) && c.MergedIntoId == null);
        }
        if (f.Status is { } s) q = q.Where(c => c.Status == s);
        if (f.Category is { } cat) q = q.Where(c => c.Category == cat);
        if (f.Channel is { } ch) q = q.Where(c => c.Channel == ch);
        if (f.Open == true) q = q.Where(c => c.Status != ComplaintStatus.Closed);
        if (f.Overdue == true)
            q = q.Where(c => (c.Status == ComplaintStatus.Received || c.Status == ComplaintStatus.Dispatched || c.Status == ComplaintStatus.Reopened) && c.DueAt < now);
        if (!string.IsNullOrWhiteSpace(f.Q))
        {
            var t = f.Q.Trim();
            q = q.Where(c => c.Number.Contains(t) || c.ComplainantName == t || c.ComplainantPhoneLast4 == t || (c.UpstreamNumber != null && c.UpstreamNumber == t));
        }
        var result = await q.OrderByDescending(c => c.ReceivedAt).PageAsync(page, pageSize);
        var ids = result.Items.Select(c => c.Id).ToList();
        var reminders = await db.Set<ComplaintEvent>().AsNoTracking()
            .Where(e => ids.Contains(e.ComplaintId) && e.Kind == ComplaintEventKind.Reminder)
            .Select(e => new { e.ComplaintId, e.At, e.Text, e.ActorName }).ToListAsync();
        var lastReminder = reminders.GroupBy(r => r.ComplaintId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.At).Select(r => $"{clock.Format(r.At)} {r.ActorName}：{r.Text}").First());
        var names = await UserNamesAsync([.. result.Items.Select(c => c.HandlerId)]);
        var areas = await AreaNamesAsync([.. result.Items.Select(c => c.AreaId)]);
        var primaryIds = result.Items.Where(c => c.MergedIntoId is not null).Select(c => c.MergedIntoId!.Value).Distinct().ToList();
        var primaries = primaryIds.Count == 0 ? []
            : await db.Set<Complaint>().AsNoTracking().Where(c => primaryIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Number);
        return new PageOf<ComplaintItem>([.. result.Items.Select(c => new ComplaintItem(c.Id, c.Number, c.Channel, c.Category, c.Urgency, c.Status,
            c.Content.Length > 60 ? c.Content[..60] + "…" : c.Content, c.AreaId, areas.GetValueOrDefault(c.AreaId, ""),
            clock.WithOffset(c.ReceivedAt), clock.WithOffset(c.DueAt), IsOverdue(c, now), ClockText(c, now), Ref(names, c.HandlerId),
            c.AcknowledgedAt is not null, lastReminder.GetValueOrDefault(c.Id), c.Calls,
            c.MergedIntoId is { } p ? new TicketRef(p, primaries.GetValueOrDefault(p, "")) : null))], result.Total);
    }

    public static bool IsOverdue(Complaint c, DateTime now) => c.ClockRuns && c.DueAt < now;

    /// <summary>The clock on an open ticket ("剩余 2 天 3 小时", "超时 5 小时"); what happened for a ticket that is answered.</summary>
    public static string ClockText(Complaint c, DateTime now) => c.Status switch
    {
        ComplaintStatus.Closed or ComplaintStatus.Replied => c.RepliedAt > c.DueAt ? "超时答复" : "按时答复",
        _ => ComplaintDeadlines.Remaining(c.DueAt - now),
    };

    private DateTimeOffset? Offset(DateTime? utc) => utc is { } u ? clock.WithOffset(u) : null;

    private static PersonRef? Ref(Dictionary<Guid, string> names, Guid? id) =>
        id is { } i ? new PersonRef(i, names.GetValueOrDefault(i, "")) : null;

    private async Task<Dictionary<Guid, string>> UserNamesAsync(Guid?[] ids)
    {
        var list = ids.OfType<Guid>().Distinct().ToList();
        return list.Count == 0 ? [] : await db.Users.AsNoTracking().Where(u => list.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName);
    }

    // A separate query, unfiltered: a handler sees the name of the place of a ticket dispatched to them even outside
    // their scope (ADR-003: never IgnoreQueryFilters inside a scoped query).
    private async Task<Dictionary<Guid, string>> AreaNamesAsync(Guid[] ids)
    {
        var list = ids.Distinct().ToList();
        return await db.Areas.IgnoreQueryFilters().AsNoTracking().Where(a => list.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name);
    }
}
