using System.Security.Claims;
using EpiGrid.Platform.Validation;

namespace EpiGrid.Features.Complaints;

/// <summary>答复: the answer given to the complainant; the deadline clock stops. Only once dispatched.</summary>
public sealed class ReplyToComplaint(ComplaintSteps steps)
{
    public sealed record Input(string? Text);

    public async Task<Step> RunAsync(Guid id, Input input, ClaimsPrincipal user)
    {
        var c = await steps.LoadAsync(id, user);
        if (c is null) return Step.NotFound;
        if (ComplaintSteps.IfMerged(c) is { } merged) return merged;
        var errors = new Errors();
        var text = errors.Text("text", input.Text, 2000, multiline: true);
        errors.Throw();
        if (c.Status != ComplaintStatus.Dispatched)
            return Step.OutOfOrder(c.Status switch
            {
                ComplaintStatus.Received or ComplaintStatus.Reopened => "工单尚未派单，不能答复",
                ComplaintStatus.Replied => "工单已答复",
                _ => "工单已办结",
            });
        c.Reply = text;
        c.RepliedAt = steps.Clock.UtcNow;
        c.Status = ComplaintStatus.Replied;
        var e = steps.Record(c, ComplaintEventKind.Replied, user, text);
        return await steps.SaveAsync(c, e.Id);
    }
}
