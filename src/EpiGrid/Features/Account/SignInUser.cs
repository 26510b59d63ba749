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
/// succeeded or not, for a known account or not — is written to the sign-in history (<see cref="SignInRecord"/>)
/// with its real outcome, but the one signing in gets one answer (<see cref="Outcome.Refused"/>) for an unknown
/// name, a wrong password, a disabled and a locked account, after the same work: one password-hash verification
/// each, an unknown name against a dummy hash, so neither the answer nor its time tells which it was.
/// </summary>
public sealed class SignInUser(UserManager<AppUser> users, SignInManager<AppUser> signIn, SignInThrottle throttle,
    IPasswordHasher<AppUser> hasher, AppDbContext db, TimeProvider time, IHttpContextAccessor http)
{
    public enum Outcome { Ok, Refused, RateLimited }

    public sealed record Result(Outcome Outcome, AppUser? User, TimeSpan? RetryAfter = null);

    /// <summary>The one answer to a refused sign-in, page and API.</summary>
    public const string RefusedMessage = "用户名或密码错误，或账号已停用、已锁定。";

    // A hash of no one's password made by the app's own hasher (same algorithm and iterations as the accounts'),
    // verified when the name is unknown so that the answer takes as long as a wrong password's.
    private static string? _dummyHash;

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
            VerifyForTime(new AppUser(), DummyHash(), password!);
            await RecordAsync(name!, null, SignInOutcome.UnknownUser, channel);
            return new(Outcome.Refused, null);
        }
        if (user.IsDisabled || await users.IsLockedOutAsync(user))
        {
            // Checked before the password (a locked account's right password does not count), but with the same work.
            VerifyForTime(user, user.PasswordHash ?? DummyHash(), password!);
            await RecordAsync(name!, user.Id, user.IsDisabled ? SignInOutcome.Disabled : SignInOutcome.LockedOut, channel);
            return new(Outcome.Refused, null);
        }
        var result = await signIn.CheckPasswordSignInAsync(user, password!, lockoutOnFailure: true);
        var outcome = result.IsLockedOut ? SignInOutcome.LockedOut : result.Succeeded ? SignInOutcome.Succeeded : SignInOutcome.WrongPassword;
        await RecordAsync(name!, user.Id, outcome, channel);
        return result.Succeeded ? new(Outcome.Ok, user) : new(Outcome.Refused, null);
    }

    /// <summary>The hash work of a password check whose result is not used.</summary>
    private void VerifyForTime(AppUser user, string hash, string password) => _ = hasher.VerifyHashedPassword(user, hash, password);

    private string DummyHash() => _dummyHash ??= hasher.HashPassword(new AppUser(), "EpiGrid dummy: " + Guid.NewGuid().ToString("N"));

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
        Outcome.RateLimited => "登录尝试过于频繁，请稍后再试。",
        _ => RefusedMessage,
    };
}
