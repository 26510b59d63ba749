using EpiGrid.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Platform.Privacy;

public enum ProtectedKind { IdNumber, Phone }

/// <summary>
/// A personal value as it is stored: ciphertext (AES-GCM under the active data key), a keyed hash for exact
/// lookup, the last 4 characters for partial search, and the masked form — the only one that leaves the server
/// by default. An entity holds one as four columns named after the field (IdNumberCipher, IdNumberHash, ...).
/// </summary>
public readonly record struct ProtectedValue(string Cipher, string Hash, string Last4, string Masked)
{
    public static readonly ProtectedValue Empty = new("", "", "", "");
    public bool IsEmpty => Cipher.Length == 0;
}

/// <summary>Maps and finds the four columns of a protected field.</summary>
public static class ProtectedFields
{
    private const string HiddenAnnotation = "EpiGrid:HiddenFromAudit";
    private const string NotPersonalAnnotation = "EpiGrid:NotPersonal";
    public static readonly string[] Suffixes = ["Cipher", "Hash", "Last4", "Masked"];

    /// <summary>Configures the columns of the protected field <paramref name="field"/> (e.g. "IdNumber"). The lookup hash and
    /// the last 4 are indexed unless the table is never searched by them (<paramref name="indexHash"/>,
    /// <paramref name="indexLast4"/>): every index is one more write on each insert.</summary>
    public static void HasProtected<T>(this EntityTypeBuilder<T> b, string field, bool required = false, bool unique = false,
        bool indexHash = true, bool indexLast4 = true) where T : class
    {
        b.Property<string>(field + "Cipher").HasMaxLength(300).IsRequired(required).HasAnnotation(HiddenAnnotation, true);
        b.Property<string>(field + "Hash").HasMaxLength(64).IsRequired(required).HasAnnotation(HiddenAnnotation, true);
        b.Property<string>(field + "Last4").HasMaxLength(4).IsRequired(required).HasAnnotation(HiddenAnnotation, true);
        b.Property<string>(field + "Masked").HasMaxLength(60).IsRequired(required); // masked in the audit log too: it keeps digits
        if (indexHash)
        {
            var hash = b.HasIndex(field + "Hash").IsUnique(unique);
            // An optional field (a visitor's ID number on a gate pass, a phone) is empty on most rows: partial indexes
            // leave those out (ADR-015: 349 MB -> ~35 MB at 10 million gate passes). Both databases use a partial index
            // for "= value" and "IN (...)", which imply IS NOT NULL.
            if (!required) hash.HasFilter($"\"{field}Hash\" IS NOT NULL");
        }
        if (indexLast4)
        {
            var last4 = b.HasIndex(field + "Last4");
            if (!required) last4.HasFilter($"\"{field}Last4\" IS NOT NULL");
        }
    }

    /// <summary>Marks a column the audit log must never copy, like a protected field's cipher, hash and last 4 (e.g. the stored
    /// hash of a link's token).</summary>
    public static PropertyBuilder<TProperty> HiddenFromAudit<TProperty>(this PropertyBuilder<TProperty> p) =>
        p.HasAnnotation(HiddenAnnotation, true);

    /// <summary>True for the columns the audit log must never copy (cipher, hash, last 4, and those marked <see cref="HiddenFromAudit"/>).</summary>
    public static bool IsHidden(IReadOnlyProperty p) => p.FindAnnotation(HiddenAnnotation)?.Value is true;

    /// <summary>
    /// Declares a text column not personal: the audit log copies it in clear (codes, kinds, statuses, the names of areas,
    /// gates and groups, titles that are not about a person). Every other text column of an audited entity is
    /// recorded masked (ADR-019: default-deny). Each use is reviewed: <c>AuditMaskingTests</c> lists them all.
    /// </summary>
    public static PropertyBuilder<TProperty> NotPersonal<TProperty>(this PropertyBuilder<TProperty> b) =>
        b.HasAnnotation(NotPersonalAnnotation, true);

    /// <summary>True for a column declared with <see cref="NotPersonal{TProperty}"/>.</summary>
    public static bool IsNotPersonal(IReadOnlyProperty p) => p.FindAnnotation(NotPersonalAnnotation)?.Value is true;
}
