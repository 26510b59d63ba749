using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Validation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Accounts;

/// <summary>
/// The admin's work on accounts — create, change roles and scope, disable, reset a password — for the page and the
/// API alike. Every change that touches what an account may do renews its security stamp, which ends its
/// sessions and tokens at once.
/// </summary>
public sealed class ManageAccount(AppDbContext db, UserManager<AppUser> users, PrivacyKit kit, OfficeClock clock)
{
    public sealed record AccountInput(string? UserName, string? DisplayName, string? Phone, string[]? Roles, Guid[]? AreaIds, Guid[]? GateIds, string? Password);

    public sealed record AccountView(Guid Id, string UserName, string DisplayName, string[] Roles, string? PhoneMasked,
        bool Disabled, bool LockedOut, Guid[] AreaIds, Guid[] GateIds);

    public async Task<AccountView?> GetAsync(Guid id)
    {
        var u = await db.Users.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id);
        if (u is null) return null;
        var roles = await users.GetRolesAsync(u);
        var areas = await db.UserScopes.Where(s => s.UserId == id).Select(s => s.AreaId).ToArrayAsync();
        var gates = await db.UserGates.Where(s => s.UserId == id).Select(s => s.GateId).ToArrayAsync();
        return new(u.Id, u.UserName!, u.DisplayName, [.. roles], u.PhoneMasked, u.IsDisabled,
            u.LockoutEnd > clock.UtcNow, areas, gates);
    }

    private async Task<(string? Phone, string[] Roles, Guid[] Areas, Guid[] Gates)> ValidateAsync(AccountInput input, Errors errors, bool creating)
    {
        if (creating)
        {
            var name = errors.Text("userName", input.UserName, 50);
            if (name is not null && await users.FindByNameAsync(name) is not null) errors.Add("userName", "该用户名已被使用");
        }
        errors.Text("displayName", input.DisplayName, 50);
        string? phone = null;
        if (!string.IsNullOrWhiteSpace(input.Phone))
        {
            phone = Phone.Validate(input.Phone);
            if (phone is null) errors.Add("phone", "电话号码格式不正确（手机 11 位，或区号-号码）");
        }
        var roles = (input.Roles ?? []).Distinct().ToArray();
        if (roles.Length == 0) errors.Add("roles", "至少选择一个角色");
        foreach (var r in roles.Where(r => !Platform.Auth.Roles.All.Contains(r))) errors.Add("roles", $"未知角色：{r}");
        if (SeparationOfDuties.Conflict(roles) is { } conflict) errors.Add("roles", conflict);
        var areas = (input.AreaIds ?? []).Distinct().ToArray();
        var gates = (input.GateIds ?? []).Distinct().ToArray();
        if (areas.Length > 0 && await db.Areas.CountAsync(a => areas.Contains(a.Id)) != areas.Length) errors.Add("areaIds", "包含不存在的区域");
        if (gates.Length > 0 && await db.Gates.CountAsync(g => gates.Contains(g.Id)) != gates.Length) errors.Add("gateIds", "包含不存在的卡口");
        var scoped = roles.Any(r => r is not Platform.Auth.Roles.Admin and not Platform.Auth.Roles.Auditor and not Platform.Auth.Roles.GateKeeper and not Platform.Auth.Roles.Volunteer);
        if (scoped && areas.Length == 0) errors.Add("areaIds", "请为该账号选择负责的区域（辖区）");
        if (roles.Contains(Platform.Auth.Roles.GateKeeper) && gates.Length == 0 && areas.Length == 0) errors.Add("gateIds", "卡口值守账号须指定卡口");
        return (phone, roles, areas, gates);
    }

    public async Task<Guid> CreateAsync(AccountInput input)
    {
        var errors = new Errors();
        var (phone, roles, areas, gates) = await ValidateAsync(input, errors, creating: true);
        if (string.IsNullOrEmpty(input.Password)) errors.Add("password", "必填");
        else if (input.Password.Length > 100) errors.Add("password", "不能超过 100 个字符");
        else
        {
            foreach (var e in (await CheckPasswordAsync(input.Password)).Errors) errors.Add("password", e.Description);
        }
        errors.Throw();

        var user = new AppUser { UserName = input.UserName!.Trim(), DisplayName = input.DisplayName!.Trim(), CreatedAt = clock.UtcNow };
        user.SetPhone(kit.Protect(ProtectedKind.Phone, phone));
        await using var tx = await db.Database.BeginTransactionAsync();
        Check(await users.CreateAsync(user, input.Password!));
        Check(await users.AddToRolesAsync(user, roles));
        db.UserScopes.AddRange(areas.Select(a => new UserScope { UserId = user.Id, AreaId = a }));
        db.UserGates.AddRange(gates.Select(g => new UserGate { UserId = user.Id, GateId = g }));
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return user.Id;
    }

    public async Task<bool> UpdateAsync(Guid id, AccountInput input)
    {
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null) return false;
        var errors = new Errors();
        var (phone, roles, areas, gates) = await ValidateAsync(input, errors, creating: false);
        errors.Throw();

        await using var tx = await db.Database.BeginTransactionAsync();
        user.DisplayName = input.DisplayName!.Trim();
        // An empty phone keeps the stored one (pages show it only masked).
        if (phone is not null && user.PhoneHash != kit.LookupHash(ProtectedKind.Phone, phone)) user.SetPhone(kit.Protect(ProtectedKind.Phone, phone));
        var current = await users.GetRolesAsync(user);
        Check(await users.RemoveFromRolesAsync(user, current.Except(roles)));
        Check(await users.AddToRolesAsync(user, roles.Except(current)));
        db.UserScopes.RemoveRange(db.UserScopes.Where(s => s.UserId == id && !areas.Contains(s.AreaId)));
        var haveAreas = await db.UserScopes.Where(s => s.UserId == id).Select(s => s.AreaId).ToListAsync();
        db.UserScopes.AddRange(areas.Except(haveAreas).Select(a => new UserScope { UserId = id, AreaId = a }));
        db.UserGates.RemoveRange(db.UserGates.Where(s => s.UserId == id && !gates.Contains(s.GateId)));
        var haveGates = await db.UserGates.Where(s => s.UserId == id).Select(s => s.GateId).ToListAsync();
        db.UserGates.AddRange(gates.Except(haveGates).Select(g => new UserGate { UserId = id, GateId = g }));
        await db.SaveChangesAsync();
        // What the account may do changed: its sessions and tokens end now.
        Check(await users.UpdateSecurityStampAsync(user));
        await tx.CommitAsync();
        return true;
    }

    /// <summary>Throws <see cref="SeparationOfDutiesException"/> for an auditor's account: only the command line resets it.</summary>
    public async Task<bool> ResetPasswordAsync(Guid id, string? password)
    {
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null) return false;
        if (await users.IsInRoleAsync(user, Platform.Auth.Roles.Auditor)) throw new SeparationOfDutiesException(SeparationOfDuties.AuditorPasswordMessage);
        var errors = new Errors();
        if (string.IsNullOrEmpty(password)) errors.Add("password", "必填");
        else if (password.Length > 100) errors.Add("password", "不能超过 100 个字符");
        else foreach (var e in (await CheckPasswordAsync(password)).Errors) errors.Add("password", e.Description);
        errors.Throw();
        var token = await users.GeneratePasswordResetTokenAsync(user);
        Check(await users.ResetPasswordAsync(user, token, password!)); // renews the security stamp
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        return true;
    }

    public async Task<bool> SetDisabledAsync(Guid id, bool disabled)
    {
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null) return false;
        user.IsDisabled = disabled;
        Check(await users.UpdateAsync(user));
        Check(await users.UpdateSecurityStampAsync(user));
        return true;
    }

    private async Task<IdentityResult> CheckPasswordAsync(string password)
    {
        var results = new List<IdentityError>();
        foreach (var v in users.PasswordValidators)
        {
            var r = await v.ValidateAsync(users, new AppUser(), password);
            if (!r.Succeeded) results.AddRange(r.Errors);
        }
        return results.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. results]);
    }

    private static void Check(IdentityResult r)
    {
        if (!r.Succeeded) throw new InvalidOperationException(string.Join("; ", r.Errors.Select(e => e.Description)));
    }
}
