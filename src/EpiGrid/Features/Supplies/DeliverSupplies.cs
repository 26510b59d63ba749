using EpiGrid.Data;
using EpiGrid.Features.Duty;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Supplies;

/// <summary>
/// Assigns a request to a volunteer's account or to someone on the duty roster, records the delivery (by the grid
/// worker for anyone, by the volunteer for their own), or cancels it. A step that does not fit the request's state
/// (delivering a cancelled request, assigning a delivered one) is an <see cref="InvalidStepException"/> (409).
/// </summary>
public sealed class DeliverSupplies(AppDbContext db, OfficeClock clock, IHttpContextAccessor http)
{
    public sealed record AssignInput(Guid? VolunteerId, Guid? MemberId);
    public sealed record DeliveredInput(DateTimeOffset? DeliveredAt, string? DeliveredBy, bool? Contactless, string? Note);
    public sealed record MineDeliveredInput(string? Note);
    public sealed record CancelInput(string? Reason);
    public sealed record Volunteer(Guid Id, string DisplayName, string? PhoneMasked);

    public const int MaxDaysBack = 7;

    /// <summary>
    /// Volunteer accounts that can be given a delivery: active, with the Volunteer role, and either without a scope of
    /// their own (the office's volunteers) or with a node the caller's scope covers, or above the compound.
    /// </summary>
    public async Task<List<Volunteer>> VolunteersAsync(Guid? compoundId = null, CancellationToken ct = default)
    {
        var roleId = await db.Roles.Where(r => r.Name == Roles.Volunteer).Select(r => r.Id).FirstOrDefaultAsync(ct);
        var users = await db.Users.AsNoTracking().Where(u => !u.IsDisabled && db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == roleId))
            .OrderBy(u => u.DisplayName).Select(u => new Volunteer(u.Id, u.DisplayName, u.PhoneMasked)).ToListAsync(ct);
        var ids = users.Select(u => u.Id).ToList();
        var scopes = (await db.UserScopes.AsNoTracking().Where(s => ids.Contains(s.UserId)).ToListAsync(ct)).ToLookup(s => s.UserId, s => s.AreaId);
        string? compoundPath = compoundId is { } c ? await db.Areas.Where(a => a.Id == c).Select(a => a.Path).FirstOrDefaultAsync(ct) : null;
        return [.. users.Where(u => !scopes[u.Id].Any() || scopes[u.Id].Any(a => db.Scope.Covers(a) || (compoundPath?.Contains(Area.PathSegment(a), StringComparison.Ordinal) ?? false)))];
    }

    private async Task<SupplyRequest?> FindAsync(Guid id, CancellationToken ct) =>
        await db.Set<SupplyRequest>().FirstOrDefaultAsync(r => r.Id == id, ct);

    public async Task<SupplyRequest?> AssignAsync(Guid id, AssignInput input, CancellationToken ct = default)
    {
        var r = await FindAsync(id, ct);
        if (r is null) return null;
        var errors = new Errors();
        string? name = null;
        var volunteerId = input.VolunteerId;
        if (input.VolunteerId is null == input.MemberId is null) errors.Add("volunteerId", "请选择一位志愿者（账号）或值守名单中的人员，二者选一");
        else if (input.VolunteerId is { } v)
        {
            var volunteer = (await VolunteersAsync(r.CompoundId, ct)).FirstOrDefault(x => x.Id == v);
            if (volunteer is null) errors.Add("volunteerId", "志愿者不存在或不能为此小区配送");
            else name = volunteer.DisplayName;
        }
        else if (input.MemberId is { } m)
        {
            var member = await db.Set<DutyMember>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == m && x.IsActive, ct);
            if (member is null) errors.Add("memberId", "值守名单中没有此人");
            else
            {
                name = member.Name;
                // Someone on the roster who has a volunteer account gets the delivery on their phone too.
                if (member.UserId is { } u && (await VolunteersAsync(r.CompoundId, ct)).Any(x => x.Id == u)) volunteerId = u;
            }
        }
        errors.Throw();
        if (!r.IsOpen) throw new InvalidStepException(r.Status == SupplyStatus.Delivered ? "已送达，不能再分配" : "已取消，不能再分配");
        r.VolunteerUserId = volunteerId;
        r.DutyMemberId = input.MemberId;
        r.AssigneeName = name!.Length > 100 ? name[..100] : name;
        r.AssignedAt = clock.UtcNow;
        r.Status = SupplyStatus.Assigned;
        await db.SaveChangesAsync(ct);
        return r;
    }

    /// <summary>The grid worker marks a delivery done — typically one made by someone on the roster without an account.</summary>
    public async Task<SupplyRequest?> MarkDeliveredAsync(Guid id, DeliveredInput input, CancellationToken ct = default)
    {
        var r = await FindAsync(id, ct);
        if (r is null) return null;
        var errors = new Errors();
        var now = clock.UtcNow;
        var at = input.DeliveredAt?.UtcDateTime ?? now;
        if (at > now.AddMinutes(5)) errors.Add("deliveredAt", "送达时间不能晚于现在");
        else if (at < r.RequestedAt.AddMinutes(-1)) errors.Add("deliveredAt", "送达时间不能早于申请时间");
        else if (at < now.AddDays(-MaxDaysBack)) errors.Add("deliveredAt", $"只能补登 {MaxDaysBack} 天内的配送");
        var by = errors.Text("deliveredBy", input.DeliveredBy, 100, required: false);
        var note = errors.Text("note", input.Note, 500, required: false, multiline: true);
        errors.Throw();
        Deliver(r, at, by ?? r.AssigneeName ?? http.HttpContext!.User.DisplayName(), input.Contactless ?? true, note);
        await db.SaveChangesAsync(ct);
        return r;
    }

    /// <summary>
    /// The volunteer's own delivery, done now and without contact. Only a request assigned to the caller's account is
    /// found (read without the area filter: a volunteer's scope is the deliveries assigned to them); any other → null (404).
    /// </summary>
    public async Task<SupplyRequest?> CompleteMineAsync(Guid id, MineDeliveredInput input, CancellationToken ct = default)
    {
        var user = http.HttpContext!.User;
        var me = user.UserId();
        var r = await db.Set<SupplyRequest>().IgnoreQueryFilters().FirstOrDefaultAsync(x => x.Id == id && x.VolunteerUserId == me, ct);
        if (r is null) return null;
        var errors = new Errors();
        var note = errors.Text("note", input.Note, 500, required: false, multiline: true);
        errors.Throw();
        Deliver(r, clock.UtcNow, user.DisplayName(), true, note);
        await db.SaveChangesAsync(ct);
        return r;
    }

    private void Deliver(SupplyRequest r, DateTime at, string by, bool contactless, string? note)
    {
        if (r.Status == SupplyStatus.Delivered) throw new InvalidStepException("已登记送达");
        if (r.Status == SupplyStatus.Cancelled) throw new InvalidStepException("该需求已取消");
        r.Status = SupplyStatus.Delivered;
        r.DeliveredAt = at;
        r.DeliveredBy = by.Length > 100 ? by[..100] : by;
        r.Contactless = contactless;
        r.DeliveryNote = note;
        r.DeliveryRecordedById = http.HttpContext!.User.UserId();
    }

    public async Task<SupplyRequest?> CancelAsync(Guid id, CancelInput input, CancellationToken ct = default)
    {
        var r = await FindAsync(id, ct);
        if (r is null) return null;
        var errors = new Errors();
        var reason = errors.Text("reason", input.Reason, 200);
        errors.Throw();
        if (r.Status == SupplyStatus.Delivered) throw new InvalidStepException("已送达，不能取消");
        if (r.Status == SupplyStatus.Cancelled) throw new InvalidStepException("已取消");
        r.Status = SupplyStatus.Cancelled;
        r.CancelReason = reason;
        await db.SaveChangesAsync(ct);
        return r;
    }
}
