using Microsoft.AspNetCore.Identity;

namespace EpiGrid.Platform.Auth;

/// <summary>An account. Its scope is a set of org-tree nodes (<see cref="UserScope"/>), a gate keeper's a set of gates.</summary>
public sealed class AppUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";
    /// <summary>A disabled account cannot sign in, and its tokens and cookies stop working at once.</summary>
    public bool IsDisabled { get; set; }
    // The account's phone, a protected field (Platform/Privacy): encrypted, hashed, last 4, masked.
    public string? PhoneCipher { get; set; }
    public string? PhoneHash { get; set; }
    public string? PhoneLast4 { get; set; }
    public string? PhoneMasked { get; set; }
    public DateTime CreatedAt { get; set; }

    public void SetPhone(Privacy.ProtectedValue v)
    {
        PhoneCipher = v.Cipher;
        PhoneHash = v.Hash;
        PhoneLast4 = v.Last4;
        PhoneMasked = v.Masked;
    }
}

/// <summary>One node of the org tree an account covers (it sees the node and everything under it).</summary>
public sealed class UserScope
{
    public Guid UserId { get; set; }
    public Guid AreaId { get; set; }
}

/// <summary>One gate a gate keeper keeps: their scope is their gates.</summary>
public sealed class UserGate
{
    public Guid UserId { get; set; }
    public Guid GateId { get; set; }
}
