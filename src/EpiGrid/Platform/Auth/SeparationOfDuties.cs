namespace EpiGrid.Platform.Auth;

/// <summary>
/// Separation of duties (三员分立, T3): the one who administers accounts, the one who audits, and those who may see
/// personal data in full are not the same account. An Auditor holds neither Admin nor any role with a reveal right
/// (<see cref="Rights.Reveal"/>, <see cref="Rights.RevealComplainant"/>), read from the rights table, not listed here.
/// </summary>
public static class SeparationOfDuties
{
    /// <summary>The roles that may reveal a protected value in full.</summary>
    public static readonly IReadOnlySet<string> RevealingRoles =
        Rights.RolesOf[Rights.Reveal].Concat(Rights.RolesOf[Rights.RevealComplainant]).ToHashSet();

    /// <summary>Why this set of roles may not be held by one account, in Chinese; null when it may.</summary>
    public static string? Conflict(IEnumerable<string> roles)
    {
        var set = roles.ToHashSet();
        if (!set.Contains(Roles.Auditor)) return null;
        if (set.Contains(Roles.Admin)) return "三员分立：系统管理员与审计员不能由同一账号兼任";
        var revealing = Roles.All.Where(r => set.Contains(r) && RevealingRoles.Contains(r)).Select(r => Roles.ChineseNames[r]).ToList();
        return revealing.Count == 0 ? null
            : $"三员分立：审计员不能兼任可查看完整个人信息的角色（{string.Join("、", revealing)}）";
    }

    /// <summary>What a page or the API says when an admin tries to reset an auditor's password.</summary>
    public const string AuditorPasswordMessage =
        "三员分立：系统管理员不能重置审计员的密码。请运维人员在服务器上执行 reset-password 命令（见 README“Operator commands”）。";
}

/// <summary>An admin's action that separation of duties forbids (the API answers 403).</summary>
public sealed class SeparationOfDutiesException(string message) : Exception(message);
