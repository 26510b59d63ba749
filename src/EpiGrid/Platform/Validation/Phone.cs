using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace EpiGrid.Platform.Validation;

/// <summary>Chinese mobile (1[3-9] + 9 digits, optional +86/86) and landline (0 + area code, 7–8 digits) numbers.</summary>
public static partial class Phone
{
    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex Mobile();

    [GeneratedRegex(@"^0\d{2,3}-?\d{7,8}$")]
    private static partial Regex Landline();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Normalize(string input)
    {
        var v = input.Trim().Replace(" ", "", StringComparison.Ordinal);
        if (v.StartsWith("+86", StringComparison.Ordinal)) v = v[3..];
        else if (v.Length == 13 && v.StartsWith("86", StringComparison.Ordinal)) v = v[2..];
        return v;
    }

    /// <summary>The normalized number, or null when it is neither a mobile nor a landline number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string? Validate(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 30) return null;
        var v = Normalize(input);
        return Mobile().IsMatch(v) || Landline().IsMatch(v) ? v : null;
    }
}
