using EpiGrid.Platform.Privacy;

namespace EpiGrid.Features.Complaints;

public enum ComplaintChannel { Phone, GovPlatform, Hotline12345, WalkIn, Online }
public enum ComplaintCategory { Enquiry, Help, Complaint, Report, Suggestion }
public enum ComplaintUrgency { Normal, Urgent }
public enum ComplaintStatus { Received, Dispatched, Replied, Closed, Reopened }
public enum ComplaintActionKind { Visit, Call, Disinfection, Supplies, Counselling, Other }
public enum Satisfaction { Satisfied, Basic, Unsatisfied }
public enum ComplaintEventKind { Received, Acknowledged, Dispatched, Action, Replied, FollowedUp, Closed, Reopened, Reminder, Overdue, Merged }

/// <summary>
/// A work order (工单, GB/T 33358): 受理 → 报告 → 派单 → 办理 → 答复 → 回访 → 办结, reopened after a poor rating.
/// Not marked <c>[ScopedBy]</c>: who sees it is "in my scope, or dispatched to me" — see
/// <see cref="ComplaintAccess.Visible"/> and ADR-007.
/// </summary>
public sealed class Complaint
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>What a resident quotes: XG20200207-0031 (prefix, office-local date, the day's sequence).</summary>
    public string Number { get; set; } = "";
    public DateOnly NumberDate { get; set; }
    public int NumberSeq { get; set; }

    public ComplaintChannel Channel { get; set; }
    public ComplaintCategory Category { get; set; }
    public ComplaintUrgency Urgency { get; set; }
    public ComplaintStatus Status { get; set; } = ComplaintStatus.Received;
    public string Content { get; set; } = "";

    public string ComplainantName { get; set; } = "";
    public string? ComplainantPhoneCipher { get; set; }
    public string? ComplainantPhoneHash { get; set; }
    public string? ComplainantPhoneLast4 { get; set; }
    public string? ComplainantPhoneMasked { get; set; }

    /// <summary>The place: a compound (or community, building); the subdistrict when only an address is known.</summary>
    public Guid AreaId { get; set; }
    public string? Address { get; set; }
    /// <summary>The person the ticket is about, when it is not the complainant (e.g. a quarantined neighbour).</summary>
    public string? Concerning { get; set; }

    /// <summary>Pushed down from the 12345 platform: its number and its deadline, which this ticket keeps.</summary>
    public string? UpstreamNumber { get; set; }
    public DateTime? UpstreamDueAt { get; set; }

    public DateTime ReceivedAt { get; set; }
    public Guid? ReceivedBy { get; set; }
    /// <summary>When the answer is due (category, urgency, the working-day calendar; or the platform's deadline).</summary>
    public DateTime DueAt { get; set; }
    /// <summary>1, then 2, 3… each time an unsatisfied follow-up reopens it.</summary>
    public int Round { get; set; } = 1;
    /// <summary>When the current round's deadline passed and the supervision group was alerted.</summary>
    public DateTime? OverdueAt { get; set; }

    public DateTime? AcknowledgedAt { get; set; }
    public Guid? AcknowledgedBy { get; set; }
    public Guid? HandlerId { get; set; }
    public Guid? ResponderId { get; set; }
    public DateTime? DispatchedAt { get; set; }
    public string? Reply { get; set; }
    public DateTime? RepliedAt { get; set; }
    public DateTime? FollowedUpAt { get; set; }
    public Satisfaction? Satisfaction { get; set; }
    public DateTime? ClosedAt { get; set; }
    /// <summary>How many lines its timeline has: the next line's <see cref="ComplaintEvent.Seq"/>.</summary>
    public int EventCount { get; set; }
    /// <summary>Bumped by every step: two steps at once cannot both win (the second gets 409).</summary>
    public int Version { get; set; }

    /// <summary>
    /// A duplicate (the same caller, or the same place and matter, within 48 hours) merged into an open ticket: it is
    /// handled and answered with that one (its state follows the primary's) and counts once, on the primary, in the statistics.
    /// </summary>
    public Guid? MergedIntoId { get; set; }
    public DateTime? MergedAt { get; set; }
    /// <summary>How many calls this ticket stands for: 1, plus one for each duplicate merged into it.</summary>
    public int Calls { get; set; } = 1;

    /// <summary>
    /// Wrong phone digits given in a row on the public lookup (<see cref="LookUpComplaint"/>); the 5th locks the lookup
    /// for an hour and starts the count again. Changed only by <c>ExecuteUpdate</c>, so not in the audit log.
    /// </summary>
    public int LookupFailures { get; set; }
    /// <summary>Until when (UTC) the public lookup of this ticket answers "not found" whatever the digits.</summary>
    public DateTime? LookupLockedUntil { get; set; }

    public void SetPhone(ProtectedValue v)
    {
        ComplainantPhoneCipher = v.Cipher;
        ComplainantPhoneHash = v.Hash;
        ComplainantPhoneLast4 = v.Last4;
        ComplainantPhoneMasked = v.Masked;
    }

    /// <summary>Waiting for an answer: the deadline clock runs.</summary>
    public bool ClockRuns => Status is ComplaintStatus.Received or ComplaintStatus.Dispatched or ComplaintStatus.Reopened;

    public static string Name(ComplaintChannel c) => c switch
    {
        ComplaintChannel.Phone => "电话",
        ComplaintChannel.GovPlatform => "政务平台",
        ComplaintChannel.Hotline12345 => "12345热线",
        ComplaintChannel.WalkIn => "来访",
        ComplaintChannel.Online => "网上",
        _ => c.ToString(),
    };

    public static string Name(ComplaintCategory c) => c switch
    {
        ComplaintCategory.Enquiry => "咨询",
        ComplaintCategory.Help => "求助",
        ComplaintCategory.Complaint => "投诉",
        ComplaintCategory.Report => "举报",
        ComplaintCategory.Suggestion => "建议",
        _ => c.ToString(),
    };

    public static string Name(ComplaintUrgency u) => u == ComplaintUrgency.Urgent ? "紧急" : "一般";

    public static string Name(ComplaintStatus s) => s switch
    {
        ComplaintStatus.Received => "已受理",
        ComplaintStatus.Dispatched => "办理中",
        ComplaintStatus.Replied => "已答复",
        ComplaintStatus.Closed => "已办结",
        ComplaintStatus.Reopened => "重新办理",
        _ => s.ToString(),
    };

    public static string Name(ComplaintActionKind k) => k switch
    {
        ComplaintActionKind.Visit => "上门走访",
        ComplaintActionKind.Call => "电话沟通",
        ComplaintActionKind.Disinfection => "消毒消杀",
        ComplaintActionKind.Supplies => "送物资",
        ComplaintActionKind.Counselling => "心理疏导",
        ComplaintActionKind.Other => "其他",
        _ => k.ToString(),
    };

    public static string Name(Satisfaction s) => s switch
    {
        Complaints.Satisfaction.Satisfied => "满意",
        Complaints.Satisfaction.Basic => "基本满意",
        Complaints.Satisfaction.Unsatisfied => "不满意",
        _ => s.ToString(),
    };

    public static string Name(ComplaintEventKind k) => k switch
    {
        ComplaintEventKind.Received => "受理",
        ComplaintEventKind.Acknowledged => "报告领导",
        ComplaintEventKind.Dispatched => "派单",
        ComplaintEventKind.Action => "办理",
        ComplaintEventKind.Replied => "答复",
        ComplaintEventKind.FollowedUp => "回访",
        ComplaintEventKind.Closed => "办结",
        ComplaintEventKind.Reopened => "重新办理",
        ComplaintEventKind.Reminder => "督办",
        ComplaintEventKind.Overdue => "超时",
        ComplaintEventKind.Merged => "合并",
        _ => k.ToString(),
    };
}

/// <summary>One step of a ticket's history: who did what, when. The timeline is these, in order.</summary>
public sealed class ComplaintEvent
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ComplaintId { get; set; }
    /// <summary>1, 2, 3… on its ticket: the timeline's order, even for steps in the same instant.</summary>
    public int Seq { get; set; }
    public DateTime At { get; set; }
    public ComplaintEventKind Kind { get; set; }
    public Guid? ActorId { get; set; }
    public string ActorName { get; set; } = "";
    public ComplaintActionKind? ActionKind { get; set; }
    public Satisfaction? Satisfaction { get; set; }
    public Guid? HandlerId { get; set; }
    public Guid? ResponderId { get; set; }
    public string? Text { get; set; }
}
