using System.Security.Claims;
using EpiGrid.Platform.Validation;

namespace EpiGrid.Features.Complaints;

/// <summary>督办: the supervision group presses the handler of a late (or any open) ticket; the handler sees it on 我的工单.</summary>
public sealed class RemindHandler(ComplaintSteps steps)
{
    public sealed record Input(string? Note);

    public async Task<Step> RunAsync(Guid id, Input? input, ClaimsPrincipal user)
    {
        var c = await steps.LoadAsync(id, user);
        if (c is null) return Step.NotFound;
        if (ComplaintSteps.IfMerged(c) is { } merged) return merged;
        var errors = new Errors();
        var note = errors.Text("note", input?.Note, 1000, required: false, multiline: true);
        errors.Throw();
        if (c.Status == ComplaintStatus.Closed) return Step.OutOfOrder("工单已办结，无需督办");
        var e = steps.Record(c, ComplaintEventKind.Reminder, user, note ?? "请抓紧办理，按时答复");
        return await steps.SaveAsync(c, e.Id);
    }
}
