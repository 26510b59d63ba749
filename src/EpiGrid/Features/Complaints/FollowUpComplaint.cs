using System.Security.Claims;
using EpiGrid.Platform.Validation;

namespace EpiGrid.Features.Complaints;

/// <summary>
/// 回访: the follow-up call after the reply. Satisfied or basically satisfied closes the ticket (办结); unsatisfied
/// reopens it for another round, with a new time limit, to be dispatched again.
/// </summary>
public sealed class FollowUpComplaint(ComplaintSteps steps, ComplaintDeadlines deadlines)
{
    public sealed record Input(Satisfaction? Satisfaction, string? Note);

    public async Task<Step> RunAsync(Guid id, Input input, ClaimsPrincipal user)
    {
        var c = await steps.LoadAsync(id, user);
        if (c is null) return Step.NotFound;
        if (ComplaintSteps.IfMerged(c) is { } merged) return merged;
        var errors = new Errors();
        var satisfaction = errors.Required("satisfaction", input.Satisfaction);
        var note = errors.Text("note", input.Note, 1000, required: false, multiline: true);
        errors.Throw();
        if (c.Status != ComplaintStatus.Replied)
            return Step.OutOfOrder(c.Status == ComplaintStatus.Closed ? "工单已办结" : "工单尚未答复，不能回访");

        var now = steps.Clock.UtcNow;
        c.FollowedUpAt = now;
        c.Satisfaction = satisfaction;
        var e = steps.Record(c, ComplaintEventKind.FollowedUp, user, note);
        e.Satisfaction = satisfaction;
        if (satisfaction == Satisfaction.Unsatisfied)
        {
            c.Status = ComplaintStatus.Reopened;
            c.Round++;
            c.OverdueAt = null;
            c.DueAt = await deadlines.DueAtAsync(c.Category, c.Urgency, now);
            steps.Record(c, ComplaintEventKind.Reopened, user, $"群众不满意，第 {c.Round} 次办理，需重新派单");
        }
        else
        {
            c.Status = ComplaintStatus.Closed;
            c.ClosedAt = now;
            steps.Record(c, ComplaintEventKind.Closed, user, $"回访{Complaint.Name(satisfaction!.Value)}，办结");
        }
        return await steps.SaveAsync(c, e.Id);
    }
}
