using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using Microsoft.AspNetCore.Identity;

namespace EpiGrid.Features.Account;

/// <summary>
/// Checks a user name and password, the same for the sign-in page and <c>POST /api/auth/login</c>: five failures in
/// a row lock the account for 15 minutes; a disabled account never signs in.
/// </summary>
public sealed class SignInUser(UserManager<AppUser> users, SignInManager<AppUser> signIn)
{
    public enum Outcome { Ok, Invalid, LockedOut, Disabled }

    public sealed record Result(Outcome Outcome, AppUser? User);

    public async Task<Result> CheckAsync(string? userName, string? password)
    {
        var errors = new Errors();
        var name = errors.Text("userName", userName, 100);
        if (string.IsNullOrEmpty(password)) errors.Add("password", "必填");
        else if (password.Length > 200) errors.Add("password", "不能超过 200 个字符");
        errors.Throw();

        var user = await users.FindByNameAsync(name!);
        if (user is null) return new(Outcome.Invalid, null);
        if (user.IsDisabled) return new(Outcome.Disabled, null);
        var result = await signIn.CheckPasswordSignInAsync(user, password!, lockoutOnFailure: true);
        if (result.IsLockedOut) return new(Outcome.LockedOut, null);
        return result.Succeeded ? new(Outcome.Ok, user) : new(Outcome.Invalid, null);
    }

    public static string Message(Outcome o) => o switch
    {
        Outcome.LockedOut => "连续登录失败次数过多，账号已锁定 15 分钟。",
        Outcome.Disabled => "该账号已停用，请联系系统管理员。",
        _ => "用户名或密码错误。",
    };
}
