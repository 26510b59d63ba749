using System.Security.Claims;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Complaints;

/// <summary>
/// 合并: the desk merges a fresh ticket (received, not yet dispatched) into an open one about the same matter. The
/// duplicate then follows its primary — the same handling, the same reply, the same status (see
/// <see cref="ComplaintSteps.SaveAsync"/>) — and counts once, on the primary, whose number of calls goes up by one.
/// </summary>
public sealed class MergeComplaint(ComplaintSteps steps)
{
    public sealed record Input(Guid? IntoId);

    public async Task<Step> RunAsync(Guid id, Input input, ClaimsPrincipal user)
    {
        var c = await steps.LoadAsync(id, user);
        if (c is null) return Step.NotFound;
        var errors = new Errors();
        var intoId = errors.Required("intoId", input.IntoId);
        Complaint? primary = null;
        if (intoId == id) errors.Add("intoId", "不能把工单合并到它自己");
        else if (intoId is { } into && (primary = await ComplaintAccess.Visible(steps.Db, user).FirstOrDefaultAsync(x => x.Id == into)) is null)
            errors.Add("intoId", "要合并到的工单不存在");
        errors.Throw();
        var p = primary!;

        if (c.MergedIntoId is not null) return Step.OutOfOrder("本工单已合并到其他工单");
        if (c.Calls > 1) return Step.OutOfOrder("已有其他来电合并到本工单，本工单不能再并入其他工单");
        if (c.Status != ComplaintStatus.Received || c.DispatchedAt is not null) return Step.OutOfOrder("本工单已派单办理，不能再合并");
        if (p.MergedIntoId is not null) return Step.OutOfOrder("所选工单本身已合并到其他工单，请合并到它的主工单");
        if (p.Status == ComplaintStatus.Closed) return Step.OutOfOrder("所选工单已办结，不能合并，请按新工单办理");

        var now = steps.Clock.UtcNow;
        c.MergedIntoId = p.Id;
        c.MergedAt = now;
        ComplaintSteps.Follow(c, p);
        p.Calls++;
        p.Version++;
        var e = steps.Record(c, ComplaintEventKind.Merged, user, $"与工单 {p.Number} 重复，已合并，随该工单办理和答复");
        steps.Record(p, ComplaintEventKind.Merged, user,
            $"重复来电工单 {c.Number}（{c.ComplainantName} {c.ComplainantPhoneMasked}）并入本工单，共 {p.Calls} 次来电");
        return await steps.SaveAsync(c, e.Id);
    }
}
