using EpiGrid.Platform.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Features.SignIns;

public enum SignInOutcome { Succeeded, WrongPassword, UnknownUser, LockedOut, Disabled, RateLimited }

/// <summary>
/// One sign-in attempt (page or <c>POST /api/auth/login</c>): when, from where, with what, and whether it worked.
/// A failed attempt with an unknown user name has no <see cref="UserId"/>. Visible to the account's owner and the
/// auditor. Not audited row by row: it is itself a log (and the audit chain's lock stays off the sign-in path).
/// </summary>
[Platform.Audit.NotAudited]
public sealed class SignInRecord
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid? UserId { get; set; }
    /// <summary>The name as typed (cut to 50 characters), so failed attempts on unknown names can be read too.</summary>
    public string UserName { get; set; } = "";
    public DateTime At { get; set; }
    public string ClientAddress { get; set; } = "";
    /// <summary>The user agent, shortened (browser and system, not the whole string).</summary>
    public string UserAgent { get; set; } = "";
    public bool Succeeded { get; set; }
    public SignInOutcome Outcome { get; set; }
    /// <summary><c>Page</c> (the sign-in form) or <c>Api</c> (a token).</summary>
    public string Channel { get; set; } = "";

    public static string OutcomeName(SignInOutcome o) => o switch
    {
        SignInOutcome.Succeeded => "登录成功",
        SignInOutcome.WrongPassword => "密码错误",
        SignInOutcome.UnknownUser => "用户名不存在",
        SignInOutcome.LockedOut => "账号已锁定",
        SignInOutcome.Disabled => "账号已停用",
        SignInOutcome.RateLimited => "尝试过于频繁",
        _ => o.ToString(),
    };

    /// <summary>"Chrome 120 · Android", "curl", … — enough to recognise a device, no more.</summary>
    public static string ShortAgent(string? ua)
    {
        if (string.IsNullOrWhiteSpace(ua)) return "";
        string? browser = null;
        foreach (var name in new[] { "Edg", "MicroMessenger", "Firefox", "Chrome", "Safari", "curl", "okhttp", "python-requests", "Wget" })
        {
            var i = ua.IndexOf(name + "/", StringComparison.OrdinalIgnoreCase);
            if (i < 0) continue;
            var version = new string([.. ua[(i + name.Length + 1)..].TakeWhile(char.IsAsciiDigit)]);
            browser = (name == "Edg" ? "Edge" : name) + (version.Length > 0 ? " " + version : "");
            break;
        }
        var os = ua.Contains("Android", StringComparison.Ordinal) ? "Android"
            : ua.Contains("iPhone", StringComparison.Ordinal) || ua.Contains("iPad", StringComparison.Ordinal) ? "iOS"
            : ua.Contains("Windows", StringComparison.Ordinal) ? "Windows"
            : ua.Contains("Mac OS", StringComparison.Ordinal) ? "macOS"
            : ua.Contains("Linux", StringComparison.Ordinal) ? "Linux" : null;
        var s = string.Join(" · ", new[] { browser, os }.Where(x => x is not null));
        if (s.Length == 0) s = ua.Trim();
        return s.Length > 60 ? s[..60] : s;
    }
}

internal sealed class SignInRecordConfiguration : IEntityTypeConfiguration<SignInRecord>
{
    public void Configure(EntityTypeBuilder<SignInRecord> b)
    {
        b.ToTable("SignInRecords");
        b.Property(r => r.UserName).HasMaxLength(50);
        b.Property(r => r.ClientAddress).HasMaxLength(45);
        b.Property(r => r.UserAgent).HasMaxLength(60);
        b.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(20);
        b.Property(r => r.Channel).HasMaxLength(10);
        b.HasIndex(r => new { r.UserId, r.At });
        b.HasIndex(r => r.At);
        b.HasOne<AppUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
