using System.Runtime.CompilerServices;
using EpiGrid.Data;

namespace EpiGrid.Platform.Privacy;

/// <summary>
/// Protects, finds and masks personal values. Values are normalized first (ID numbers upper-case, phones
/// without +86 or spaces) so the same number always gives the same lookup hash.
/// </summary>
public sealed class PrivacyKit(KeyRing keys)
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ProtectedValue Protect(ProtectedKind kind, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return ProtectedValue.Empty;
        var normalized = Normalize(kind, value);
        return new ProtectedValue(
            keys.Encrypt(normalized, kind.ToString()),
            keys.Hmac(normalized, kind.ToString()),
            normalized.Length <= 4 ? normalized : normalized[^4..],
            Mask(kind, normalized));
    }

    /// <summary>The keyed hash to look a value up by (exact match).</summary>
    public string LookupHash(ProtectedKind kind, string value) => keys.Hmac(Normalize(kind, value), kind.ToString());

    public string Reveal(ProtectedKind kind, string cipher, AppDbContext? db = null) =>
        cipher.Length == 0 ? "" : keys.Decrypt(cipher, kind.ToString(), db);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Normalize(ProtectedKind kind, string value)
    {
        var v = value.Trim();
        return kind switch
        {
            ProtectedKind.IdNumber => v.ToUpperInvariant(),
            ProtectedKind.Phone => Validation.Phone.Normalize(v),
            _ => v,
        };
    }

    /// <summary>610303********0012 for an 18-digit ID; 136****5678 for a mobile; 0917-***1234 for a landline.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Mask(ProtectedKind kind, string v)
    {
        if (v.Length <= 4) return new string('*', v.Length);
        if (kind == ProtectedKind.Phone)
        {
            if (v.Length == 11 && v[0] == '1') return v[..3] + "****" + v[^4..];
            var dash = v.IndexOf('-');
            var keep = dash > 0 ? dash + 1 : Math.Min(4, v.Length - 4);
            return v[..keep] + new string('*', Math.Max(0, v.Length - keep - 4)) + v[^4..];
        }
        if (v.Length >= 15) return v[..6] + new string('*', v.Length - 10) + v[^4..];
        var head = v.Length > 8 ? 2 : 0;
        return v[..head] + new string('*', v.Length - head - 4) + v[^4..];
    }
}
