using System.Security.Claims;
using EpiGrid.Platform.Validation;

namespace EpiGrid.Features.Complaints;

/// <summary>The first report to the leader in charge (报告): a leader records that they know of the ticket, once.</summary>
public sealed class AcknowledgeComplaint(ComplaintSteps steps)
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
        if (c.AcknowledgedAt is not null) return Step.OutOfOrder("该工单已报告领导");
        if (c.Status == ComplaintStatus.Closed) return Step.OutOfOrder("该工单已办结");
        c.AcknowledgedAt = steps.Clock.UtcNow;
        c.AcknowledgedBy = Platform.Auth.AuthSetup.UserId(user);
        var e = steps.Record(c, ComplaintEventKind.Acknowledged, user, note ?? "已阅知");
        return await steps.SaveAsync(c, e.Id);
    }
}
