using EpiGrid.Data;
using EpiGrid.Features.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Features.Observation;

public enum QuarantineKind { Home, Centralized }
public enum QuarantineStatus { Active, Released, Transferred, Ended }
public enum CheckMethod { Visit, Phone, Self }
public enum Symptom { Cough, Fatigue, SoreThroat, ShortBreath, Diarrhea, Other }
public enum CheckSlot { Morning, Evening }

/// <summary>
/// A quarantine order: home observation or centralized quarantine, 14 × 24 h from the last exposure (<c>EpiGrid__Observation__Days</c>).
/// While Active, two checks a day are due; at <see cref="EndsAt"/> the release job releases it.
/// </summary>
[ScopedBy(nameof(CompoundId))]
public sealed class QuarantineOrder
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Guid CompoundId { get; set; }
    public QuarantineKind Kind { get; set; }
    public DateTime StartsAt { get; set; }
    public DateTime LastExposureAt { get; set; }
    public DateTime EndsAt { get; set; }
    public QuarantineStatus Status { get; set; }
    public string? Site { get; set; }
    public DateTime? ClosedAt { get; set; }
    public string? ClosingNote { get; set; }
    public string? ExtensionReason { get; set; }
    public DateTime CreatedAt { get; set; }
    public Guid? CreatedBy { get; set; }

    public static string KindName(QuarantineKind k) => k == QuarantineKind.Home ? "居家医学观察" : "集中隔离";
    public static string StatusName(QuarantineStatus s) => s switch
    {
        QuarantineStatus.Active => "观察中",
        QuarantineStatus.Released => "已解除",
        QuarantineStatus.Transferred => "已转运",
        _ => "已终止",
    };
}

/// <summary>A temperature and symptom check. takenAt is the taker's clock; receivedAt the server's.</summary>
[ScopedBy(nameof(CompoundId))]
public sealed class HealthCheck
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Guid CompoundId { get; set; }
    public Guid? OrderId { get; set; }
    public decimal Temperature { get; set; }
    public string Symptoms { get; set; } = "";
    public CheckMethod Method { get; set; }
    public DateTime TakenAt { get; set; }
    public DateTime ReceivedAt { get; set; }
    public Guid? ByUserId { get; set; }
    public bool Fever { get; set; }
    public string? ClinicOutcome { get; set; }

    public IEnumerable<Symptom> SymptomList => Symptoms.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<Symptom>);

    public static string SymptomName(Symptom s) => s switch
    {
        Symptom.Cough => "咳嗽",
        Symptom.Fatigue => "乏力",
        Symptom.SoreThroat => "咽痛",
        Symptom.ShortBreath => "气促",
        Symptom.Diarrhea => "腹泻",
        _ => "其他",
    };
}

internal sealed class QuarantineOrderConfiguration : IEntityTypeConfiguration<QuarantineOrder>
{
    public void Configure(EntityTypeBuilder<QuarantineOrder> b)
    {
        b.Property(o => o.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(o => o.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(o => o.Site).HasMaxLength(100);
        b.Property(o => o.ClosingNote).HasMaxLength(500);
        b.Property(o => o.ExtensionReason).HasMaxLength(500);
        b.HasIndex(o => new { o.Status, o.EndsAt });
        b.HasIndex(o => o.PersonId);
        b.HasOne<Person>().WithMany().HasForeignKey(o => o.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class HealthCheckConfiguration : IEntityTypeConfiguration<HealthCheck>
{
    public void Configure(EntityTypeBuilder<HealthCheck> b)
    {
        b.Property(c => c.Temperature).HasPrecision(3, 1);
        b.Property(c => c.Symptoms).HasMaxLength(100);
        b.Property(c => c.Method).HasConversion<string>().HasMaxLength(10);
        b.Property(c => c.ClinicOutcome).HasMaxLength(200);
        b.HasIndex(c => new { c.PersonId, c.TakenAt });
        b.HasIndex(c => new { c.CompoundId, c.TakenAt });
        b.Ignore(c => c.SymptomList);
        b.HasOne<Person>().WithMany().HasForeignKey(c => c.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
