using System.Text.RegularExpressions;
using EpiGrid.Data;
using EpiGrid.Features.Complaints;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Disinfection;

/// <summary>
/// Records a disinfection done. For a plan's slot, what is left out comes from the plan (where, agent) and the
/// caller (who, now); without a slot number it fills the plan's first open slot of that day. Without a plan it is
/// a one-off — e.g. a household after a complaint, with the complaint's ticket.
/// </summary>
public sealed partial class RecordDisinfection(AppDbContext db, OfficeClock clock, IHttpContextAccessor http)
{
    public sealed record RecordInput(Guid? PlanId, int? Slot, Guid? AreaId, string? Place, string? Agent, string? DoneBy, DateTimeOffset? DoneAt,
        Guid? ComplaintId, string? ComplaintNumber, string? Note);

    /// <summary>The record, or a conflict (the slot is already recorded) in words.</summary>
    public sealed record Outcome(DisinfectionRecord? Record, string? Conflict);

    /// <summary>How far back a record may be entered.</summary>
    public const int MaxDaysBack = 30;

    [GeneratedRegex("^[A-Za-z0-9-]{1,30}$")]
    private static partial Regex TicketNumber();

    public async Task<Outcome> RecordAsync(RecordInput input, CancellationToken ct = default)
    {
        var errors = new Errors();
        var now = clock.UtcNow;
        var doneAt = input.DoneAt?.UtcDateTime ?? now;
        if (doneAt > now.AddMinutes(5)) errors.Add("doneAt", "消杀时间不能晚于现在");
        else if (doneAt < now.AddDays(-MaxDaysBack)) errors.Add("doneAt", $"只能补登 {MaxDaysBack} 天内的消杀");
        var date = DateOnly.FromDateTime(clock.ToLocal(doneAt));

        DisinfectionPlan? plan = null;
        if (input.PlanId is { } pid)
        {
            plan = await db.Set<DisinfectionPlan>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == pid, ct);
            if (plan is null) errors.Add("planId", "消杀计划不存在");
            else if (!plan.IsActive) errors.Add("planId", "该计划已停用");
            else if (!errors.Has("doneAt") && !plan.DueOn(date)) errors.Add("doneAt", "该计划在这一天没有安排消杀");
            if (plan is not null && input.AreaId is { } aid && aid != plan.AreaId) errors.Add("areaId", "与计划的区域不一致");
            if (input.Slot is { } s && plan is not null && (s < 1 || s > plan.TimesPerDay)) errors.Add("slot", $"该计划每天 {plan.TimesPerDay} 次，时段应为 1 到 {plan.TimesPerDay}");
        }
        else
        {
            if (input.Slot is not null) errors.Add("slot", "只有计划内的消杀才有时段");
            var areaId = errors.Required("areaId", input.AreaId);
            // Scoped: an area outside the caller's part of the tree does not exist for them.
            if (areaId is { } a && !await db.Areas.AnyAsync(x => x.Id == a && x.Kind != AreaKind.District && x.Kind != AreaKind.Subdistrict, ct))
            {
                errors.Add("areaId", "社区/村、小区或楼栋不存在");
            }
        }
        var place = errors.Text("place", input.Place, 200, required: plan is null);
        var agent = errors.Text("agent", input.Agent, 100, required: plan is null);
        var doneBy = errors.Text("doneBy", input.DoneBy, 100, required: false);
        var note = errors.Text("note", input.Note, 500, required: false, multiline: true);
        var ticket = errors.Text("complaintNumber", input.ComplaintNumber, 30, required: false);
        if (ticket is not null && !TicketNumber().IsMatch(ticket)) errors.Add("complaintNumber", "工单号只能包含字母、数字和连字符，如 XG20200207-0031");
        var user = http.HttpContext!.User;
        // The ticket must be one the caller sees (ADR-007: in their scope, or dispatched to them); one they do not see does
        // not exist for them. Given by its number alone, a visible ticket is linked too; a number of another hotline's
        // ticket (12345) stays as text.
        Guid? complaintId = null;
        if (input.ComplaintId is { } cid)
        {
            var c = await ComplaintAccess.Visible(db, user).AsNoTracking().Where(x => x.Id == cid).Select(x => new { x.Id, x.Number }).FirstOrDefaultAsync(ct);
            if (c is null) errors.Add("complaintId", "工单不存在");
            else if (ticket is not null && !string.Equals(ticket, c.Number, StringComparison.OrdinalIgnoreCase)) errors.Add("complaintNumber", $"与所选工单的编号 {c.Number} 不一致");
            else (complaintId, ticket) = (c.Id, c.Number);
        }
        else if (ticket is not null && !errors.Has("complaintNumber"))
        {
            complaintId = await ComplaintAccess.Visible(db, user).AsNoTracking().Where(x => x.Number.ToUpper() == ticket.ToUpperInvariant()).Select(x => (Guid?)x.Id).FirstOrDefaultAsync(ct);
        }
        errors.Throw();

        int? slot = null;
        if (plan is not null)
        {
            var taken = await db.Set<DisinfectionRecord>().Where(r => r.PlanId == plan.Id && r.Date == date && r.Slot != null).Select(r => r.Slot!.Value).ToListAsync(ct);
            if (input.Slot is { } s)
            {
                if (taken.Contains(s)) return new Outcome(null, $"{date:yyyy-MM-dd} 第 {s} 次消杀已登记");
                slot = s;
            }
            else
            {
                slot = Enumerable.Range(1, plan.TimesPerDay).Cast<int?>().FirstOrDefault(n => !taken.Contains(n!.Value));
                if (slot is null) return new Outcome(null, $"该计划 {date:yyyy-MM-dd} 的 {plan.TimesPerDay} 次消杀均已登记");
            }
        }

        var record = new DisinfectionRecord
        {
            PlanId = plan?.Id, Date = date, Slot = slot, AreaId = plan?.AreaId ?? input.AreaId!.Value,
            Place = place ?? plan!.Places, Agent = agent ?? plan!.Agent, DoneBy = doneBy ?? user.DisplayName(), DoneAt = doneAt,
            ComplaintId = complaintId, ComplaintNumber = ticket, Note = note, RecordedAt = now, RecordedById = user.UserId(),
        };
        if (record.Place.Length > 200) record.Place = record.Place[..200];
        db.Add(record);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (slot is not null)
        {
            // Two phones tapping the same slot at once: the unique index keeps one.
            db.Entry(record).State = EntityState.Detached;
            return new Outcome(null, $"{date:yyyy-MM-dd} 第 {slot} 次消杀已登记");
        }
        return new Outcome(record, null);
    }
}
