using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Duty;

/// <summary>
/// Party members, cadres and volunteers; model posts (党员示范岗) and shock teams (党员突击队) — one validation for the
/// pages and the API. Every id given must be visible in the caller's scope.
/// </summary>
public sealed class EditDuty(AppDbContext db, OfficeClock clock, PrivacyKit kit)
{
    public sealed record MemberInput(string? Name, DutyMemberKind? Kind, string? Branch, string? Phone, string? Skills, Guid? AreaId, Guid? UserId, bool? IsActive);
    public sealed record PostInput(string? Name, Guid? AreaId, string? Location, Guid? GateId, string? Duties, Guid[]? MemberIds);
    public sealed record TeamInput(string? Name, Guid? AreaId, Guid? LeaderId, string? Task, Guid[]? MemberIds);

    public const int MaxMembersPerGroup = 100;

    /// <summary>An area of the caller's scope at which people, posts and teams are kept: the subdistrict, a community/village or a compound.</summary>
    internal static async Task<Area?> AreaAsync(AppDbContext db, Errors errors, string field, Guid? id, CancellationToken ct = default)
    {
        if (errors.Required(field, id) is not { } a) return null;
        var area = await db.Areas.AsNoTracking().FirstOrDefaultAsync(x => x.Id == a && x.Kind != AreaKind.District && x.Kind != AreaKind.Building, ct);
        if (area is null) errors.Add(field, "街道、社区/村或小区不存在");
        return area;
    }

    public async Task<DutyMember> CreateMemberAsync(MemberInput input, CancellationToken ct = default)
    {
        var m = new DutyMember { CreatedAt = clock.UtcNow };
        await ApplyAsync(m, input, ct);
        db.Add(m);
        await db.SaveChangesAsync(ct);
        return m;
    }

    public async Task<DutyMember?> UpdateMemberAsync(Guid id, MemberInput input, CancellationToken ct = default)
    {
        var m = await db.Set<DutyMember>().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (m is null) return null;
        await ApplyAsync(m, input, ct);
        await db.SaveChangesAsync(ct);
        return m;
    }

    private async Task ApplyAsync(DutyMember m, MemberInput input, CancellationToken ct)
    {
        var errors = new Errors();
        var name = errors.Text("name", input.Name, 50);
        var kind = errors.Required("kind", input.Kind);
        if (kind is { } k && !Enum.IsDefined(k)) errors.Add("kind", "类别应为党员、干部或志愿者");
        var branch = errors.Text("branch", input.Branch, 100, required: false);
        string? phone = null;
        if (!string.IsNullOrWhiteSpace(input.Phone))
        {
            phone = Phone.Validate(input.Phone);
            if (phone is null) errors.Add("phone", "电话号码格式不正确");
        }
        var skills = errors.Text("skills", input.Skills, 200, required: false);
        var area = await AreaAsync(db, errors, "areaId", input.AreaId, ct);
        if (input.UserId is { } u && !await db.Users.AnyAsync(x => x.Id == u && !x.IsDisabled, ct)) errors.Add("userId", "账号不存在或已停用");
        errors.Throw();

        m.Name = name!;
        m.Kind = kind!.Value;
        m.Branch = branch;
        if (phone is not null) m.SetPhone(kit.Protect(ProtectedKind.Phone, phone));
        else if (input.Phone is not null) { m.PhoneCipher = null; m.PhoneHash = null; m.PhoneLast4 = null; m.PhoneMasked = null; }
        m.Skills = skills;
        m.AreaId = area!.Id;
        m.UserId = input.UserId;
        m.IsActive = input.IsActive ?? true;
    }

    /// <summary>The distinct member ids, each visible in scope; a field error otherwise.</summary>
    private async Task<List<Guid>> MembersAsync(Errors errors, string field, Guid[]? ids, CancellationToken ct)
    {
        var list = (ids ?? []).Distinct().ToList();
        if (list.Count > MaxMembersPerGroup) { errors.Add(field, $"成员不能超过 {MaxMembersPerGroup} 人"); return []; }
        if (list.Count > 0 && await db.Set<DutyMember>().CountAsync(m => list.Contains(m.Id), ct) != list.Count) errors.Add(field, "包含不存在的人员");
        return list;
    }

    public async Task<ModelPost> CreatePostAsync(PostInput input, CancellationToken ct = default)
    {
        var p = new ModelPost { CreatedAt = clock.UtcNow };
        await ApplyAsync(p, input, ct);
        db.Add(p);
        await db.SaveChangesAsync(ct);
        return p;
    }

    public async Task<ModelPost?> UpdatePostAsync(Guid id, PostInput input, CancellationToken ct = default)
    {
        var p = await db.Set<ModelPost>().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (p is null) return null;
        await ApplyAsync(p, input, ct);
        await db.SaveChangesAsync(ct);
        return p;
    }

    private async Task ApplyAsync(ModelPost p, PostInput input, CancellationToken ct)
    {
        var errors = new Errors();
        var name = errors.Text("name", input.Name, 100);
        var area = await AreaAsync(db, errors, "areaId", input.AreaId, ct);
        var location = errors.Text("location", input.Location, 200);
        if (input.GateId is { } g && !await OrgTreeApi.Gates(db, g).AnyAsync(ct)) errors.Add("gateId", "卡口不存在");
        var duties = errors.Text("duties", input.Duties, 500, required: false, multiline: true);
        var members = await MembersAsync(errors, "memberIds", input.MemberIds, ct);
        errors.Throw();

        p.Name = name!;
        p.AreaId = area!.Id;
        p.Location = location!;
        p.GateId = input.GateId;
        p.Duties = duties;
        var old = await db.Set<ModelPostMember>().Where(x => x.PostId == p.Id).ToListAsync(ct);
        db.RemoveRange(old.Where(o => !members.Contains(o.MemberId)));
        db.AddRange(members.Where(id => old.All(o => o.MemberId != id)).Select(id => new ModelPostMember { PostId = p.Id, MemberId = id }));
    }

    public async Task<ShockTeam> CreateTeamAsync(TeamInput input, CancellationToken ct = default)
    {
        var t = new ShockTeam { CreatedAt = clock.UtcNow };
        await ApplyAsync(t, input, ct);
        db.Add(t);
        await db.SaveChangesAsync(ct);
        return t;
    }

    public async Task<ShockTeam?> UpdateTeamAsync(Guid id, TeamInput input, CancellationToken ct = default)
    {
        var t = await db.Set<ShockTeam>().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (t is null) return null;
        await ApplyAsync(t, input, ct);
        await db.SaveChangesAsync(ct);
        return t;
    }

    private async Task ApplyAsync(ShockTeam t, TeamInput input, CancellationToken ct)
    {
        var errors = new Errors();
        var name = errors.Text("name", input.Name, 100);
        var area = await AreaAsync(db, errors, "areaId", input.AreaId, ct);
        var leader = errors.Required("leaderId", input.LeaderId);
        if (leader is { } l && !await db.Set<DutyMember>().AnyAsync(m => m.Id == l, ct)) errors.Add("leaderId", "队长不在人员名单中");
        var task = errors.Text("task", input.Task, 500, required: false, multiline: true);
        var members = await MembersAsync(errors, "memberIds", input.MemberIds, ct);
        errors.Throw();
        if (!members.Contains(leader!.Value)) members.Insert(0, leader.Value);

        t.Name = name!;
        t.AreaId = area!.Id;
        t.LeaderId = leader.Value;
        t.Task = task;
        var old = await db.Set<ShockTeamMember>().Where(x => x.TeamId == t.Id).ToListAsync(ct);
        db.RemoveRange(old.Where(o => !members.Contains(o.MemberId)));
        db.AddRange(members.Where(id => old.All(o => o.MemberId != id)).Select(id => new ShockTeamMember { TeamId = t.Id, MemberId = id }));
    }
}
