using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Features.Alerts;

public enum AlertKind { Fever, QuarantineBreach, Escalation, Overdue, ExportVolume, AuditChain }
public enum AlertStatus { Open, Acknowledged, Resolved }

/// <summary>An alarm that must reach someone who acts. It lies in the org tree (AreaId) like everything else.</summary>
[ScopedBy(nameof(AreaId))]
public sealed class Alert
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public AlertKind Kind { get; set; }
    public string Subject { get; set; } = "";
    public Guid AreaId { get; set; }
    public Guid? PersonId { get; set; }
    public Guid? GateId { get; set; }
    /// <summary>The account the alert is about (e.g. the exporter), if any.</summary>
    public Guid? UserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public AlertStatus Status { get; set; } = AlertStatus.Open;
    public DateTime? AcknowledgedAt { get; set; }
    public Guid? AcknowledgedBy { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public Guid? ResolvedBy { get; set; }
    public string? Note { get; set; }
    /// <summary>What the alert is about, so the same thing never raises it twice ("complaint-overdue:{id}"). Unique.</summary>
    public string? DedupeKey { get; set; }
    /// <summary>When it went up to the leaders for want of an acknowledgement.</summary>
    public DateTime? EscalatedAt { get; set; }

    public static string KindName(AlertKind k) => k switch
    {
        AlertKind.Fever => "发热",
        AlertKind.QuarantineBreach => "违反隔离",
        AlertKind.Escalation => "核查升级",
        AlertKind.Overdue => "超时",
        AlertKind.ExportVolume => "异常导出",
        AlertKind.AuditChain => "审计链",
        _ => k.ToString(),
    };
}

internal sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> b)
    {
        b.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(a => a.Subject).HasMaxLength(300);
        b.Property(a => a.Note).HasMaxLength(1000);
        b.HasIndex(a => new { a.Status, a.CreatedAt });
        // Newest first, for the whole office and within a scope (ADR-015).
        b.HasIndex(a => a.CreatedAt);
        b.HasIndex(a => new { a.AreaId, a.CreatedAt });
        b.Property(a => a.DedupeKey).HasMaxLength(200).NotPersonal();
        b.HasIndex(a => a.DedupeKey).IsUnique();
        b.HasOne<Area>().WithMany().HasForeignKey(a => a.AreaId).OnDelete(DeleteBehavior.Restrict);
    }
}
