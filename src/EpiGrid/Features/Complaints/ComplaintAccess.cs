using System.Security.Claims;
using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Complaints;

/// <summary>
/// Who sees a ticket (ADR-007): those who may read complaints see the tickets lying in their scope; a leader,
/// supervisor or grid worker also sees — wherever it lies — a ticket dispatched to them as handler or responder.
/// Every complaint query starts here; the entity has no scope filter of its own.
/// </summary>
public static class ComplaintAccess
{
    public static IQueryable<Complaint> Visible(AppDbContext db, ClaimsPrincipal user)
    {
        var set = db.Set<Complaint>();
        var readsScope = Rights.Has(user, Rights.ReadComplaints);
        var actsOnOwn = Rights.Has(user, Rights.ActOnDispatchedComplaints);
        var me = user.UserId();
        if (readsScope && !db.Scope.Active) return set;
        var areas = db.Scope.AreaIds;
        if (readsScope && actsOnOwn) return set.Where(c => areas.Contains(c.AreaId) || c.HandlerId == me || c.ResponderId == me);
        if (readsScope) return set.Where(c => areas.Contains(c.AreaId));
        if (actsOnOwn) return set.Where(c => c.HandlerId == me || c.ResponderId == me);
        return set.Where(c => false);
    }

    /// <summary>Dispatched to this user (as handler or responder).</summary>
    public static bool IsMine(Complaint c, ClaimsPrincipal user)
    {
        var me = user.UserId();
        return c.HandlerId == me || c.ResponderId == me;
    }
}

public enum StepResult { Done, NotFound, Forbidden, OutOfOrder }

/// <summary>What a step of the loop came to: done, not found (or not visible), not the caller's to do, or out of order (409).</summary>
public sealed record Step(StepResult Result, string? Message = null, Guid? EventId = null)
{
    public static readonly Step NotFound = new(StepResult.NotFound);
    public static readonly Step Forbidden = new(StepResult.Forbidden);
    public static Step Done(Guid? eventId = null) => new(StepResult.Done, null, eventId);
    public static Step OutOfOrder(string message) => new(StepResult.OutOfOrder, message);
}

/// <summary>The common part of every step: load the visible ticket, write the timeline, save once.</summary>
public sealed class ComplaintSteps(AppDbContext db, OfficeClock clock)
{
    public AppDbContext Db => db;
    public OfficeClock Clock => clock;

    public Task<Complaint?> LoadAsync(Guid id, ClaimsPrincipal user) =>
        ComplaintAccess.Visible(db, user).FirstOrDefaultAsync(c => c.Id == id);

    public ComplaintEvent Record(Complaint c, ComplaintEventKind kind, ClaimsPrincipal? user, string? text = null)
    {
        var e = new ComplaintEvent
        {
            ComplaintId = c.Id,
            Seq = ++c.EventCount,
            At = clock.UtcNow,
            Kind = kind,
            ActorId = user?.Identity?.IsAuthenticated == true ? user.UserId() : null,
            ActorName = user?.Identity?.IsAuthenticated == true ? Trim(user.DisplayName(), 60) : "系统",
            Text = text,
        };
        db.Add(e);
        return e;
    }

    /// <summary>
    /// Saves the step; if another step changed the ticket meanwhile, nothing is saved and the answer is 409. The
    /// duplicates merged into the ticket take on its new state in the same save: they are handled and answered with it.
    /// (They are found by their link to a ticket the caller may act on, not through the visibility helper: this writes
    /// the primary's state through to its own duplicates and reads nothing out.)
    /// </summary>
    public async Task<Step> SaveAsync(Complaint c, Guid? eventId = null)
    {
        c.Version++;
        if (c.Calls > 1)
        {
            foreach (var d in await db.Set<Complaint>().Where(x => x.MergedIntoId == c.Id).ToListAsync())
            {
                Follow(d, c);
                d.Version++;
            }
        }
        try
        {
            await db.SaveChangesAsync();
            return Step.Done(eventId);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Step.OutOfOrder("工单刚被他人更新，请刷新后再试");
        }
    }

    /// <summary>A merged duplicate takes on its primary's state: status, handler and responder, deadline, reply, follow-up.</summary>
    public static void Follow(Complaint d, Complaint p)
    {
        d.Status = p.Status;
        d.Round = p.Round;
        d.DueAt = p.DueAt;
        d.HandlerId = p.HandlerId;
        d.ResponderId = p.ResponderId;
        d.DispatchedAt = p.DispatchedAt;
        d.Reply = p.Reply;
        d.RepliedAt = p.RepliedAt;
        d.FollowedUpAt = p.FollowedUpAt;
        d.Satisfaction = p.Satisfaction;
        d.ClosedAt = p.ClosedAt;
    }

    /// <summary>A merged duplicate takes no steps of its own: 409, pointing to its primary.</summary>
    public static Step? IfMerged(Complaint c) =>
        c.MergedIntoId is null ? null : Step.OutOfOrder("本工单已合并到主工单，请在主工单上办理");

    private static string Trim(string s, int max) => s.Length > max ? s[..max] : s;
}
