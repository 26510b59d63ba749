using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Audit;
using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Features.Gates;

public enum PassDirection { In, Out }
public enum PassOutcome { Admitted, Refused }

/// <summary>
/// One passer measured and registered at a gate (卡口登记). Immutable: a correction is a new pass. Passes are their
/// own audit (who, where, when, what), so the audit log does not copy them. <see cref="ClientId"/> is the gate
/// phone's id for the pass: a retry stores it once. <see cref="TakenAt"/> is the phone's clock, <see cref="ReceivedAt"/>
/// the server's.
/// </summary>
[NotAudited]
[ScopedBy(nameof(CompoundId))]
public sealed class GatePass
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ClientId { get; set; }
    public Guid GateId { get; set; }
    public Guid CompoundId { get; set; }
    public PassDirection Direction { get; set; }
    public decimal Temperature { get; set; }
    public bool Fever { get; set; }
    public PassOutcome Outcome { get; set; }
    public string? ApprovalReason { get; set; }
    public DateTime TakenAt { get; set; }
    public DateTime ReceivedAt { get; set; }
    public Guid? ByUserId { get; set; }
    /// <summary>A resident of the register, if the passer is one.</summary>
    public Guid? ResidentId { get; set; }
    /// <summary>The person under watch, if the passer is one (from the resident or the visitor's ID number).</summary>
    public Guid? PersonId { get; set; }
    /// <summary>Name of the passer (the resident's, or the visitor's as typed).</summary>
    public string Name { get; set; } = "";
    public bool Visitor { get; set; }
    public string? VisitorIdNumberCipher { get; set; }
    public string? VisitorIdNumberHash { get; set; }
    public string? VisitorIdNumberLast4 { get; set; }
    public string? VisitorIdNumberMasked { get; set; }
    public string? VisitorPhoneCipher { get; set; }
    public string? VisitorPhoneHash { get; set; }
    public string? VisitorPhoneLast4 { get; set; }
    public string? VisitorPhoneMasked { get; set; }
    public string? VisitorFrom { get; set; }
    public string? VisitorTo { get; set; }
    public string? Plate { get; set; }
    /// <summary>The person had an active quarantine order when passing.</summary>
    public bool QuarantineBreach { get; set; }
    /// <summary>The household pass card (出入证) shown, if any (G2, Features/PassCards).</summary>
    public Guid? PassCardId { get; set; }

    public void SetVisitorIdNumber(ProtectedValue v) { VisitorIdNumberCipher = v.Cipher; VisitorIdNumberHash = v.Hash; VisitorIdNumberLast4 = v.Last4; VisitorIdNumberMasked = v.Masked; }
    public void SetVisitorPhone(ProtectedValue v) { VisitorPhoneCipher = v.Cipher; VisitorPhoneHash = v.Hash; VisitorPhoneLast4 = v.Last4; VisitorPhoneMasked = v.Masked; }

    public static string DirectionName(PassDirection d) => d == PassDirection.In ? "进" : "出";
    public static string OutcomeName(PassOutcome o) => o == PassOutcome.Admitted ? "放行" : "劝返";
}

internal sealed class GatePassConfiguration : IEntityTypeConfiguration<GatePass>
{
    public void Configure(EntityTypeBuilder<GatePass> b)
    {
        b.Property(p => p.Direction).HasConversion<string>().HasMaxLength(5);
        b.Property(p => p.Outcome).HasConversion<string>().HasMaxLength(10);
        b.Property(p => p.Temperature).HasPrecision(3, 1);
        b.Property(p => p.ApprovalReason).HasMaxLength(200);
        b.Property(p => p.Name).HasMaxLength(50);
        b.Property(p => p.VisitorFrom).HasMaxLength(100);
        b.Property(p => p.VisitorTo).HasMaxLength(100);
        b.Property(p => p.Plate).HasMaxLength(12);
        // A visitor's ID number is found by its hash (tracing where a case passed); nothing searches passes by the last 4
        // or by phone, and each index is a write more for the gate writer on every pass (G1).
        b.HasProtected("VisitorIdNumber", indexLast4: false);
        b.HasProtected("VisitorPhone", indexHash: false, indexLast4: false);
        b.HasIndex(p => p.ClientId).IsUnique();
        b.HasIndex(p => new { p.GateId, p.TakenAt });
        b.HasIndex(p => new { p.CompoundId, p.TakenAt });
        // Most passes name no card and no person under watch: partial indexes leave those rows out (one write less each).
        b.HasIndex(p => p.PassCardId).HasFilter("\"PassCardId\" IS NOT NULL");
        // The person's movements (their page, retention's anonymisation).
        b.HasIndex(p => p.PersonId).HasFilter("\"PersonId\" IS NOT NULL");
        // The whole office's day (the leader's counts): passes arrive in time order, so on PostgreSQL a BRIN of 232 kB at
        // 10 million rows replaces a seq scan (ADR-015); SQLite has no BRIN and makes it a plain index.
        b.HasIndex(p => p.TakenAt).HasMethod("brin").HasStorageParameter("pages_per_range", 32);
        b.HasOne<Gate>().WithMany().HasForeignKey(p => p.GateId).OnDelete(DeleteBehavior.Restrict);
    }
}
