using EpiGrid.Data;
using EpiGrid.Features.Duty;
using EpiGrid.Features.Households;
using EpiGrid.Features.OrgTree;
using EpiGrid.Features.People;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Features.Supplies;

public enum SupplyStatus { Open, Assigned, Delivered, Cancelled }
public enum SupplySource { Worker, Household }

/// <summary>
/// A request for daily supplies (送生活物品) for a quarantined household: what, when they would like it, where to leave
/// it. Assigned to a volunteer's account (who completes it on a phone) or to someone on the duty roster without an
/// account (whose delivery the grid worker marks); delivered without contact. Lies in the household's compound.
/// </summary>
[ScopedBy(nameof(CompoundId))]
public sealed class SupplyRequest
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Guid? HouseholdId { get; set; }
    public Guid CompoundId { get; set; }
    /// <summary>Where to leave it: the compound and the household's building/unit/room, or the person's address.</summary>
    public string DeliveryAddress { get; set; } = "";
    /// <summary>What they need, joined with 、.</summary>
    public string Items { get; set; } = "";
    public string? Note { get; set; }
    /// <summary>When they would like it, as they say it (今天下午, 18:00 前).</summary>
    public string? PreferredTime { get; set; }
    public SupplySource Source { get; set; }
    public SupplyStatus Status { get; set; } = SupplyStatus.Open;
    public DateTime RequestedAt { get; set; }
    /// <summary>The grid worker who entered it; null when the household asked through its link.</summary>
    public Guid? RequestedById { get; set; }
    /// <summary>The household's link it was asked through (<see cref="SupplySource.Household"/>); the link ends when all of these are closed.</summary>
    public Guid? LinkId { get; set; }

    /// <summary>The volunteer's account it is assigned to (they see and complete it themselves).</summary>
    public Guid? VolunteerUserId { get; set; }
    /// <summary>The person on the duty roster it is assigned to (no account: the grid worker marks it delivered).</summary>
    public Guid? DutyMemberId { get; set; }
    public string? AssigneeName { get; set; }
    public DateTime? AssignedAt { get; set; }

    public DateTime? DeliveredAt { get; set; }
    public string? DeliveredBy { get; set; }
    /// <summary>Left at the door without contact (无接触配送).</summary>
    public bool Contactless { get; set; } = true;
    public string? DeliveryNote { get; set; }
    public Guid? DeliveryRecordedById { get; set; }
    public string? CancelReason { get; set; }

    public const string Separator = "、";

    public bool IsOpen => Status is SupplyStatus.Open or SupplyStatus.Assigned;

    public static string StatusName(SupplyStatus s) => s switch
    {
        SupplyStatus.Open => "待分配",
        SupplyStatus.Assigned => "配送中",
        SupplyStatus.Delivered => "已送达",
        SupplyStatus.Cancelled => "已取消",
        _ => s.ToString(),
    };

    /// <summary>Red for overdue, orange while open, green delivered, grey cancelled.</summary>
    public static string StatusBadge(SupplyStatus s, bool overdue) => overdue ? "text-bg-danger" : s switch
    {
        SupplyStatus.Delivered => "text-bg-success",
        SupplyStatus.Cancelled => "text-bg-secondary",
        _ => "text-bg-warning",
    };

    public static string StatusIcon(SupplyStatus s, bool overdue) => overdue ? "bi-exclamation-triangle" : s switch
    {
        SupplyStatus.Delivered => "bi-check-circle",
        SupplyStatus.Cancelled => "bi-x-circle",
        SupplyStatus.Assigned => "bi-bicycle",
        _ => "bi-hourglass-split",
    };
}

public enum SupplyLinkState { Active, Used, Expired, Revoked }

/// <summary>
/// A quarantined household's own link (/Public/Supplies/{token}) to ask for supplies without an account. The token is
/// random (192 bits), not derived from anything personal, shown once when the link is made and stored only as its
/// SHA-256 (<see cref="TokenHash"/>). A link serves one round of asking: it ends once the requests made with it are all
/// delivered or cancelled (<see cref="SupplyLinkState.Used"/>), at <see cref="ExpiresAt"/> (EpiGrid:Supplies:LinkDays after
/// it was made), or when revoked; an ended link answers like one that never existed.
/// </summary>
[ScopedBy(nameof(CompoundId))]
public sealed class SupplyLink
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>SHA-256 of the token's UTF-8 bytes, lower-case hex.</summary>
    public string TokenHash { get; set; } = "";
    public Guid PersonId { get; set; }
    public Guid? HouseholdId { get; set; }
    public Guid CompoundId { get; set; }
    public DateTime CreatedAt { get; set; }
    public Guid CreatedById { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }

    public static string NewToken() =>
        Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    /// <summary>What is stored and looked up: the token is long and random, so a plain SHA-256 is enough (no salt, no stretching).</summary>
    public static string Hash(string token) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    public static string StateName(SupplyLinkState s) => s switch
    {
        SupplyLinkState.Active => "有效",
        SupplyLinkState.Used => "已用完（申请均已送达或取消）",
        SupplyLinkState.Expired => "已过期",
        SupplyLinkState.Revoked => "已停用",
        _ => s.ToString(),
    };
}

internal sealed class SupplyRequestConfiguration : IEntityTypeConfiguration<SupplyRequest>
{
    public void Configure(EntityTypeBuilder<SupplyRequest> b)
    {
        b.Property(r => r.DeliveryAddress).HasMaxLength(300);
        b.Property(r => r.Items).HasMaxLength(500);
        b.Property(r => r.Note).HasMaxLength(500);
        b.Property(r => r.PreferredTime).HasMaxLength(50);
        b.Property(r => r.Source).HasConversion<string>().HasMaxLength(20);
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(r => r.AssigneeName).HasMaxLength(100);
        b.Property(r => r.DeliveredBy).HasMaxLength(100);
        b.Property(r => r.DeliveryNote).HasMaxLength(500);
        b.Property(r => r.CancelReason).HasMaxLength(200);
        b.HasIndex(r => new { r.CompoundId, r.Status });
        b.HasIndex(r => new { r.Status, r.RequestedAt });
        b.HasIndex(r => new { r.PersonId, r.RequestedAt });
        b.HasIndex(r => new { r.VolunteerUserId, r.Status });
        b.HasOne<Person>().WithMany().HasForeignKey(r => r.PersonId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Household>().WithMany().HasForeignKey(r => r.HouseholdId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Area>().WithMany().HasForeignKey(r => r.CompoundId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(r => r.VolunteerUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<DutyMember>().WithMany().HasForeignKey(r => r.DutyMemberId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<SupplyLink>().WithMany().HasForeignKey(r => r.LinkId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(r => new { r.LinkId, r.Status });
    }
}

internal sealed class SupplyLinkConfiguration : IEntityTypeConfiguration<SupplyLink>
{
    public void Configure(EntityTypeBuilder<SupplyLink> b)
    {
        // Like the token, its hash is kept out of the audit log: the log is read by more people, kept longer and copied more.
        b.Property(l => l.TokenHash).HasMaxLength(64).HiddenFromAudit();
        b.HasIndex(l => l.TokenHash).IsUnique();
        b.HasIndex(l => l.PersonId);
        b.HasOne<Person>().WithMany().HasForeignKey(l => l.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Area>().WithMany().HasForeignKey(l => l.CompoundId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(l => l.CreatedById).OnDelete(DeleteBehavior.Restrict);
    }
}
