using System.Security.Claims;
using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Audit;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Features.Gates;

/// <summary>
/// A gate keeper's own short PIN (4–6 digits) that resumes a locked gate page on a shared phone. Stored hashed
/// (Identity's password hasher). Five wrong PINs in a row lock the PIN for 15 minutes (the password still signs in).
/// Not audited: the audit log must not copy the hash; setting a PIN is visible on the row's <see cref="SetAt"/>.
/// </summary>
[NotAudited]
public sealed class KeeperPin
{
    public Guid UserId { get; set; }
    public string PinHash { get; set; } = "";
    public int FailedCount { get; set; }
    public DateTime? LockedUntil { get; set; }
    public DateTime SetAt { get; set; }
}

internal sealed class KeeperPinConfiguration : IEntityTypeConfiguration<KeeperPin>
{
    public void Configure(EntityTypeBuilder<KeeperPin> b)
    {
        b.HasKey(p => p.UserId);
        b.Property(p => p.PinHash).HasMaxLength(200);
        b.HasOne<AppUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// The shared phone's lock (锁屏): a keeper sets their PIN; a locked gate page resumes with the PIN of a keeper of
/// this gate. When another keeper resumes, the sign-in cookie is re-issued for them, so every pass from then on is
/// recorded as theirs (<see cref="GatePass.ByUserId"/>).
/// </summary>
public sealed class KeeperLock(AppDbContext db, UserManager<AppUser> users, SignInManager<AppUser> signIn, IHttpContextAccessor http,
    IAntiforgery antiforgery, TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockFor = TimeSpan.FromMinutes(15);
    private static readonly PasswordHasher<KeeperPin> Hasher = new();

    public sealed record PinInput(string? Pin);
    public sealed record UnlockInput(string? UserName, string? Pin);
    public sealed record Unlocked(string UserName, string DisplayName, string CsrfToken);

    /// <summary>Thrown when the PIN is locked after too many wrong tries (the API answers 429).</summary>
    public sealed class PinLockedException(DateTime until) : Exception("PIN 已锁定") { public DateTime Until { get; } = until; }

    private static string? ValidPin(Errors errors, string? pin)
    {
        if (string.IsNullOrEmpty(pin)) { errors.Add("pin", "必填"); return null; }
        if (pin.Length is < 4 or > 6 || !pin.All(char.IsAsciiDigit)) { errors.Add("pin", "PIN 为 4 到 6 位数字"); return null; }
        return pin;
    }

    private const string OtherRolesMessage = "该账号除卡口值守外还有其他角色";

    /// <summary>True when the account's only role is GateKeeper: the PIN never opens a session with more rights than the gate's.</summary>
    private async Task<bool> OnlyKeeperAsync(AppUser user) =>
        (await users.GetRolesAsync(user)) is { Count: > 0 } roles && roles.All(r => r == Roles.GateKeeper);

    public async Task<bool> HasPinAsync(Guid userId, CancellationToken ct = default) =>
        await db.Set<KeeperPin>().AnyAsync(p => p.UserId == userId, ct);

    public async Task SetPinAsync(Guid userId, PinInput input, CancellationToken ct = default)
    {
        var errors = new Errors();
        var pin = ValidPin(errors, input.Pin);
        if (pin is not null && pin.Distinct().Count() == 1) errors.Add("pin", "PIN 不能是同一个数字重复");
        errors.Throw();
        // A PIN resumes only a gate keeper's session (T3): an account that also holds another role signs in with its password.
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null || !await OnlyKeeperAsync(user)) { errors.Add("pin", OtherRolesMessage + "，不能设置 PIN；请用密码登录"); errors.Throw(); }
        var row = await db.Set<KeeperPin>().FirstOrDefaultAsync(p => p.UserId == userId, ct);
        if (row is null) db.Add(row = new KeeperPin { UserId = userId });
        row.PinHash = Hasher.HashPassword(row, pin!);
        row.FailedCount = 0;
        row.LockedUntil = null;
        row.SetAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Resumes the gate page; null when the gate is not one of the caller's (404).</summary>
    public async Task<Unlocked?> UnlockAsync(Guid gateId, UnlockInput input, CancellationToken ct = default)
    {
        var gate = await db.Gates.AsNoTracking().Where(g => g.Id == gateId).Select(g => (Guid?)g.Id).FirstOrDefaultAsync(ct);
        if (gate is null) return null;
        var errors = new Errors();
        var userName = errors.Text("userName", input.UserName, 100);
        var pin = ValidPin(errors, input.Pin);
        errors.Throw();

        var user = await users.FindByNameAsync(userName!);
        // Only a keeper of this gate (their scope holds it) resumes it; the same answer for an unknown name.
        var keeps = user is not null && !user.IsDisabled
            && await db.UserGates.AsNoTracking().AnyAsync(u => u.UserId == user.Id && u.GateId == gateId, ct)
            && await users.IsInRoleAsync(user, Roles.GateKeeper);
        if (!keeps) { errors.Add("userName", "该账号不值守本卡口"); errors.Throw(); }
        if (!await OnlyKeeperAsync(user!)) { errors.Add("userName", OtherRolesMessage + "，不能用 PIN 解锁；请退出后用密码登录"); errors.Throw(); }
        var row = await db.Set<KeeperPin>().FirstOrDefaultAsync(p => p.UserId == user!.Id, ct);
        if (row is null) { errors.Add("pin", "该值守人还没有设置 PIN，请用密码登录"); errors.Throw(); }

        var now = time.GetUtcNow().UtcDateTime;
        if (row!.LockedUntil is { } until && until > now) throw new PinLockedException(until);
        if (Hasher.VerifyHashedPassword(row, row.PinHash, pin!) == PasswordVerificationResult.Failed)
        {
            // Counted in the database, one statement per wrong PIN: parallel guesses cannot all read the same count.
            await db.Set<KeeperPin>().Where(p => p.UserId == row.UserId).ExecuteUpdateAsync(s => s.SetProperty(p => p.FailedCount, p => p.FailedCount + 1), ct);
            var failed = await db.Set<KeeperPin>().AsNoTracking().Where(p => p.UserId == row.UserId).Select(p => p.FailedCount).FirstAsync(ct);
            var left = MaxFailures - failed;
            if (left <= 0)
            {
                var lockedUntil = now + LockFor;
                await db.Set<KeeperPin>().Where(p => p.UserId == row.UserId).ExecuteUpdateAsync(s => s
                    .SetProperty(p => p.FailedCount, 0).SetProperty(p => p.LockedUntil, lockedUntil), ct);
                throw new PinLockedException(lockedUntil);
            }
            errors.Add("pin", $"PIN 不正确，还可再试 {left} 次");
            errors.Throw();
        }
        row.FailedCount = 0;
        row.LockedUntil = null;
        await db.SaveChangesAsync(ct);

        var context = http.HttpContext!;
        if (context.User.UserId() != user!.Id)
        {
            // Another keeper takes over the phone: the cookie is now theirs, and so is every pass from now on.
            var principal = await signIn.CreateUserPrincipalAsync(user);
            await context.SignInAsync(IdentityConstants.ApplicationScheme, principal, new AuthenticationProperties { IsPersistent = false });
            context.User = principal;
        }
        var token = antiforgery.GetAndStoreTokens(context).RequestToken ?? "";
        return new Unlocked(user.UserName!, user.DisplayName, token);
    }

    /// <summary>The keepers of a gate, for the lock screen's pick list.</summary>
    public async Task<List<(string UserName, string DisplayName)>> KeepersAsync(Guid gateId, CancellationToken ct = default)
    {
        var ids = await db.UserGates.AsNoTracking().Where(u => u.GateId == gateId).Select(u => u.UserId).ToListAsync(ct);
        var rows = await users.Users.AsNoTracking().Where(u => ids.Contains(u.Id) && !u.IsDisabled)
            .OrderBy(u => u.DisplayName).Select(u => new { u.UserName, u.DisplayName }).ToListAsync(ct);
        return [.. rows.Select(r => (r.UserName ?? "", r.DisplayName))];
    }
}
