using Microsoft.AspNetCore.Identity;

namespace EpiGrid.Platform.Auth;

/// <summary>
/// Refuses a new password that is one of the common passwords, compared case-insensitively. The list is the ranked
/// password dictionary shipped inside the zxcvbn-core package (its embedded resource <c>passwords.lst</c>, 30,000
/// passwords most common first), so it is versioned with the build and never fetched at run time (ADR-011). Identity
/// runs it, with <see cref="PasswordOptions.RequiredLength"/>, wherever a password is set through
/// <see cref="UserManager{TUser}"/>: account creation, the admin's reset, the first admin at start-up.
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<AppUser>
{
    private const string Resource = "zxcvbn-core.Dictionaries.passwords.lst";

    private static readonly Lazy<HashSet<string>> List = new(Load);

    /// <summary>How many common passwords are refused.</summary>
    public static int Count => List.Value.Count;

    public static bool IsCommon(string password) => List.Value.Contains(password.Trim());

    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password) =>
        Task.FromResult(password is not null && IsCommon(password)
            ? IdentityResult.Failed(new IdentityError { Code = "PasswordTooCommon", Description = "密码太常见，容易被猜中，请换一个" })
            : IdentityResult.Success);

    private static HashSet<string> Load()
    {
        var assembly = typeof(Zxcvbn.Zxcvbn).Assembly;
        using var stream = assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The common-password list {Resource} is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Trim() is { Length: > 0 } word) set.Add(word);
        }
        if (set.Count < 10_000) throw new InvalidOperationException($"The common-password list {Resource} holds only {set.Count} entries.");
        return set;
    }
}
