using System.Security.Cryptography;
using EpiGrid.Data;
using EpiGrid.Features.Households;
using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Features.PassCards;

/// <summary>
/// A household's pass card (出入证). Its QR code carries an opaque random token, never personal data; only the
/// token's SHA-256 is stored, so the database cannot print a card again: a lost card is revoked and a new one issued.
/// A household has at most one card in force: issuing a new one revokes the old.
/// </summary>
[ScopedBy(nameof(CompoundId))]
public sealed class PassCard
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid HouseholdId { get; set; }
    public Guid CompoundId { get; set; }
    /// <summary>The number printed on the card (e.g. 000123), for people to read out; not a secret.</summary>
    public int Number { get; set; }
    public string TokenHash { get; set; } = "";
    public DateTime IssuedAt { get; set; }
    public Guid? IssuedBy { get; set; }
    public DateTime? RevokedAt { get; set; }
    public Guid? RevokedBy { get; set; }
    public string? RevokeReason { get; set; }

    public bool Revoked => RevokedAt is not null;

    /// <summary>What the QR code says: a prefix the gate page recognises, then the token.</summary>
    public const string QrPrefix = "EPIGRID-CARD:";

    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(18));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    public static string NumberText(int n) => n.ToString("000000", System.Globalization.CultureInfo.InvariantCulture);

    private static string Base64Url(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// An estate's outing limit (限制外出): one person per household every <see cref="Days"/> days. The gate page warns
/// when a card's household went out more recently; the keeper decides. No row = no limit.
/// </summary>
[ScopedBy(nameof(CompoundId))]
public sealed class OutingLimit
{
    public Guid CompoundId { get; set; }
    public int Days { get; set; }
    public DateTime SetAt { get; set; }
    public Guid? SetBy { get; set; }
}

internal sealed class PassCardConfiguration : IEntityTypeConfiguration<PassCard>
{
    public void Configure(EntityTypeBuilder<PassCard> b)
    {
        b.Property(c => c.TokenHash).HasMaxLength(64).HiddenFromAudit(); // like the token, never in the audit log
        b.Property(c => c.RevokeReason).HasMaxLength(100);
        b.Ignore(c => c.Revoked);
        b.HasIndex(c => c.TokenHash).IsUnique();
        b.HasIndex(c => c.Number).IsUnique();
        b.HasIndex(c => new { c.HouseholdId, c.RevokedAt });
        b.HasOne<Household>().WithMany().HasForeignKey(c => c.HouseholdId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class OutingLimitConfiguration : IEntityTypeConfiguration<OutingLimit>
{
    public void Configure(EntityTypeBuilder<OutingLimit> b)
    {
        b.HasKey(l => l.CompoundId);
        b.HasOne<OrgTree.Area>().WithMany().HasForeignKey(l => l.CompoundId).OnDelete(DeleteBehavior.Cascade);
    }
}
