using System.Security.Claims;
using EpiGrid.Features.Accounts;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Complaints;

/// <summary>
/// 派单: the hotline desk gives the ticket a handler (承办人, does the work) and a responder (答复责任人); both then
/// see it on their own pages wherever it lies. Allowed from Received, or Reopened after an unsatisfied follow-up.
/// </summary>
public sealed class DispatchComplaint(ComplaintSteps steps)
{
    public sealed record Input(Guid? HandlerId, Guid? ResponderId, string? Note);

    /// <summary>Accounts that can take a ticket: active, with the right to act on tickets dispatched to them, visible to the desk.</summary>
    public static IQueryable<AppUser> Candidates(Data.AppDbContext db)
    {
        var roles = Rights.RolesOf[Rights.ActOnDispatchedComplaints];
        return AccountsApi.Visible(db).Where(u => !u.IsDisabled
            && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && roles.Contains(r.Name!))));
    }

    public async Task<Step> RunAsync(Guid id, Input input, ClaimsPrincipal user)
    {
        var c = await steps.LoadAsync(id, user);
        if (c is null) return Step.NotFound;
        if (ComplaintSteps.IfMerged(c) is { } merged) return merged;
        var errors = new Errors();
        var handlerId = errors.Required("handlerId", input.HandlerId);
        var responderId = errors.Required("responderId", input.ResponderId);
        var note = errors.Text("note", input.Note, 1000, required: false, multiline: true);
        var ids = new[] { handlerId, responderId }.OfType<Guid>().Distinct().ToList();
        var people = await Candidates(steps.Db).Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName);
        if (handlerId is { } h && !people.ContainsKey(h)) errors.Add("handlerId", "承办人须是在职的领导、督办或网格员账号");
        if (responderId is { } r && !people.ContainsKey(r)) errors.Add("responderId", "答复人须是在职的领导、督办或网格员账号");
        errors.Throw();
        if (c.Status is not (ComplaintStatus.Received or ComplaintStatus.Reopened))
            return Step.OutOfOrder($"工单状态为「{Complaint.Name(c.Status)}」，不能派单");

        c.HandlerId = handlerId;
        c.ResponderId = responderId;
        c.DispatchedAt = steps.Clock.UtcNow;
        c.Status = ComplaintStatus.Dispatched;
        var e = steps.Record(c, ComplaintEventKind.Dispatched, user,
            $"承办人：{people[handlerId!.Value]}；答复人：{people[responderId!.Value]}" + (note is null ? "" : $"。{note}"));
        e.HandlerId = handlerId;
        e.ResponderId = responderId;
        return await steps.SaveAsync(c, e.Id);
    }
}
