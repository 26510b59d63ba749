using EpiGrid.Data;
using EpiGrid.Platform.Audit;
using Microsoft.AspNetCore.Identity;

namespace EpiGrid.Platform.Auth;

/// <summary>
/// Account work that only the server's operator does, on the command line (<see cref="Commands"/>): resetting a
/// password whoever the account is — the only way for an auditor's (三员分立). The app's password rules apply, the
/// account's sessions and tokens end, and the audit log records it.
/// </summary>
public static class OperatorCommands
{
    public sealed record Outcome(bool Ok, string Message);

    public static async Task<Outcome> ResetPasswordAsync(IServiceProvider services, string userName, string? password)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var user = await users.FindByNameAsync(userName.Trim());
        if (user is null) return new(false, $"没有用户名为 {userName} 的账号。No account named {userName}.");
        if (string.IsNullOrEmpty(password)) return new(false, "新密码为空。The new password is empty.");
        if (password.Length > 100) return new(false, "密码不能超过 100 个字符。At most 100 characters.");
        var problems = new List<string>();
        foreach (var v in users.PasswordValidators)
        {
            var r = await v.ValidateAsync(users, user, password);
            if (!r.Succeeded) problems.AddRange(r.Errors.Select(e => e.Description));
        }
        if (problems.Count > 0) return new(false, "密码不符合要求：" + string.Join("；", problems));

        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, password); // renews the security stamp
        if (!reset.Succeeded) return new(false, string.Join("；", reset.Errors.Select(e => e.Description)));
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        AuditLog.Event(db, "PasswordResetByOperator", nameof(AppUser), user.Id.ToString(), new { userName = user.UserName, by = "command line" });
        await db.SaveChangesAsync();
        return new(true, $"已重置 {user.UserName} 的密码，其原有登录状态和令牌已失效。Password of {user.UserName} reset; its sessions and tokens have ended.");
    }
}
