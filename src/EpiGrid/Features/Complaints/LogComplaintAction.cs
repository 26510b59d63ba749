using System.Security.Claims;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;

namespace EpiGrid.Features.Complaints;

/// <summary>办理: what was done — a visit, a call, disinfection, supplies, counselling — by the handler or responder (or the desk).</summary>
public sealed class LogComplaintAction(ComplaintSteps steps)
{
    public sealed record Input(ComplaintActionKind? Kind, string? Note);

    public static bool MayAct(Complaint c, ClaimsPrincipal user) =>
        Rights.Has(user, Rights.HandleComplaints) || (Rights.Has(user, Rights.ActOnDispatchedComplaints) && ComplaintAccess.IsMine(c, user));

    public async Task<Step> RunAsync(Guid id, Input input, ClaimsPrincipal user)
    {
        var c = await steps.LoadAsync(id, user);
        if (c is null) return Step.NotFound;
        if (!MayAct(c, user)) return Step.Forbidden;
        if (ComplaintSteps.IfMerged(c) is { } merged) return merged;
        var errors = new Errors();
        var kind = errors.Required("kind", input.Kind);
        var note = errors.Text("note", input.Note, 1000, multiline: true);
        errors.Throw();
        if (c.Status is not (ComplaintStatus.Dispatched or ComplaintStatus.Replied))
            return Step.OutOfOrder(c.Status == ComplaintStatus.Closed ? "工单已办结" : "工单尚未派单，不能登记办理情况");
        var e = steps.Record(c, ComplaintEventKind.Action, user, note);
        e.ActionKind = kind;
        return await steps.SaveAsync(c, e.Id);
    }
}
