using EpiGrid.Data;
using EpiGrid.Features.SignIns;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Identity;

namespace EpiGrid.Features.Account;

/// <summary>
/// Checks a user name and password, the same for the sign-in page and <c>POST /api/auth/login</c>: five failures in
/// a row lock the account for 15 minutes; a disabled account never signs in; more than the per-account limit of
/// attempts in a minute is refused before the password is checked (<see cref="SignInThrottle"/>). Every attempt —
/// succeeded or not, for a known account or not — is written to the sign-in history (<see cref="SignInRecord"/>).
/// </summary>
public sealed class SignInUser(UserManager<AppUser> users, SignInManager<AppUser> signIn, SignInThrottle throttle,
    AppDbContext db, TimeProvider time, IHttpContextAccessor http)
{
    public enum Outcome { Ok, Invalid, LockedOut, Disabled, RateLimited }

    public sealed record Result(Outcome Outcome, AppUser? User, TimeSpan? RetryAfter = null);

    public async Task<Result> CheckAsync(string? userName, string? password, string channel = "Api")
    {
        var errors = new Errors();
        var name = errors.Text("userName", userName, 100);
        if (string.IsNullOrEmpty(password)) errors.Add("password", "必填");
        else if (password.Length > 200) errors.Add("password", "不能超过 200 个字符");
        errors.Throw();

        if (throttle.TryAttempt(name!) is { } wait)
        {
            var known = await users.FindByNameAsync(name!);
            await RecordAsync(name!, known?.Id, SignInOutcome.RateLimited, channel);
            return new(Outcome.RateLimited, null, wait);
        }
        var user = await users.FindByNameAsync(name!);
        if (user is null)
        {
            await RecordAsync(name!, null, SignInOutcome.UnknownUser, channel);
            return new(Outcome.Invalid, null);
        }
        if (user.IsDisabled)
        {
            await RecordAsync(name!, user.Id, SignInOutcome.Disabled, channel);
            return new(Outcome.Disabled, null);
        }
        var result = await signIn.CheckPasswordSignInAsync(user, password!, lockoutOnFailure: true);
        var outcome = result.IsLockedOut ? SignInOutcome.LockedOut : result.Succeeded ? SignInOutcome.Succeeded : SignInOutcome.WrongPassword;
        await RecordAsync(name!, user.Id, outcome, channel);
        if (result.IsLockedOut) return new(Outcome.LockedOut, null);
        return result.Succeeded ? new(Outcome.Ok, user) : new(Outcome.Invalid, null);
    }

    private async Task RecordAsync(string name, Guid? userId, SignInOutcome outcome, string channel)
    {
        var ctx = http.HttpContext;
        db.Add(new SignInRecord
        {
            UserId = userId,
            UserName = name.Length > 50 ? name[..50] : name,
            At = time.GetUtcNow().UtcDateTime,
            ClientAddress = ctx is null ? "" : RateLimits.ClientAddress(ctx),
            UserAgent = SignInRecord.ShortAgent(ctx?.Request.Headers.UserAgent.ToString()),
            Succeeded = outcome == SignInOutcome.Succeeded,
            Outcome = outcome,
            Channel = channel,
        });
        await db.SaveChangesAsync();
    }

    public static string Message(Outcome o) => o switch
    {
        Outcome.LockedOut => "连续登录失败次数过多，账号已锁定 15 分钟。",
        Outcome.Disabled => "该账号已停用，请联系系统管理员。",
        Outcome.RateLimited => "登录尝试过于频繁，请稍后再试。",
        _ => "用户名或密码错误。",
    };
}
