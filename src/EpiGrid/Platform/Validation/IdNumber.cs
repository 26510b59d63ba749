using System.Runtime.CompilerServices;

namespace EpiGrid.Platform.Validation;

/// <summary>Resident ID numbers per GB 11643-1999: MOD 11-2 check, real birth date, known province.</summary>
public static class IdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckChars = "10X98765432";
    private static readonly HashSet<int> Provinces =
    [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
        50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91, 93,
    ];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (first17[i] - '0') * Weights[i];
        return CheckChars[sum % 11];
    }

    /// <summary>
    /// Validates an 18-digit number or upgrades a 15-digit one. Returns the normalized 18-character number,
    /// or null with a Chinese reason.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string? Normalize(string? input, DateOnly today, out string? error)
    {
        error = null;
        var v = (input ?? "").Trim().ToUpperInvariant();
        if (v.Length == 15)
        {
            if (!v.All(char.IsAsciiDigit)) { error = "15 位身份证号码只能是数字"; return null; }
            var body = v[..6] + "19" + v[6..];
            v = body + CheckCharacter(body);
        }
        if (v.Length != 18) { error = "身份证号码应为 18 位（或 15 位旧号码）"; return null; }
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(v[i])) { error = "身份证号码前 17 位只能是数字"; return null; }
        }
        if (!(char.IsAsciiDigit(v[17]) || v[17] == 'X')) { error = "身份证号码最后一位应为数字或 X"; return null; }
        if (!Provinces.Contains(int.Parse(v.AsSpan(0, 2), System.Globalization.CultureInfo.InvariantCulture)))
        {
            error = "身份证号码的省级代码不存在"; return null;
        }
        if (!DateOnly.TryParseExact(v.AsSpan(6, 8), "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var birth) || birth.Year < 1880)
        {
            error = "身份证号码中的出生日期无效"; return null;
        }
        if (birth > today) { error = "身份证号码中的出生日期在未来"; return null; }
        if (CheckCharacter(v) != v[17]) { error = "身份证号码校验位不正确"; return null; }
        return v;
    }

    public static DateOnly BirthDate(string normalized18) =>
        DateOnly.ParseExact(normalized18.AsSpan(6, 8), "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Odd sequence = male.</summary>
    public static bool IsMale(string normalized18) => (normalized18[16] - '0') % 2 == 1;
}
