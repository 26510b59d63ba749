using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Features.Inspections;

public enum PremisesKind { Market, Pharmacy, FoodShop, Restaurant }

/// <summary>The answer to one item of the checklist.</summary>
public enum CheckResult { Pass, Fail, NotApplicable }

/// <summary>Open until a re-inspection closes it: passed → Rectified; failed → Superseded by the new order it issues.</summary>
public enum RectificationStatus { Open, Rectified, Superseded }

/// <summary>A market, pharmacy, food shop or restaurant in a compound, inspected for wild animals, fever medicine sales, masks, disinfection.</summary>
[ScopedBy(nameof(CompoundId))]
public sealed class Premises
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public PremisesKind Kind { get; set; }
    public string Name { get; set; } = "";
    public string? Address { get; set; }
    /// <summary>The business licence (营业执照/药品经营许可证) number.</summary>
    public string? Licence { get; set; }
    public Guid CompoundId { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }

    /// <summary>Two failed inspections (any item failed) flag a premises.</summary>
    public const int FlagAfterFailures = 2;

    public static string KindName(PremisesKind k) => k switch
    {
        PremisesKind.Market => "综合市场",
        PremisesKind.Pharmacy => "药店",
        PremisesKind.FoodShop => "食品店",
        PremisesKind.Restaurant => "餐馆",
        _ => k.ToString(),
    };
}

/// <summary>One inspection (or re-inspection) of a premises: who, when, the checklist, findings and photos.</summary>
[ScopedBy(nameof(CompoundId))]
public sealed class Inspection
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PremisesId { get; set; }
    /// <summary>The premises' compound, for the scope.</summary>
    public Guid CompoundId { get; set; }
    /// <summary>Office-local date of the inspection.</summary>
    public DateOnly Date { get; set; }
    public string Inspectors { get; set; } = "";
    public CheckResult WildAnimals { get; set; }
    public CheckResult FeverMedicineRegister { get; set; }
    public CheckResult StaffMasks { get; set; }
    public CheckResult Disinfection { get; set; }
    public CheckResult Other { get; set; }
    public string? OtherNote { get; set; }
    public string? Findings { get; set; }
    /// <summary>No item failed.</summary>
    public bool Passed { get; set; }
    /// <summary>The rectification order this inspection re-inspected, if any.</summary>
    public Guid? ReinspectionOfId { get; set; }
    public DateTime RecordedAt { get; set; }
    public Guid RecordedById { get; set; }

    /// <summary>The checklist, in order: (JSON name, Chinese question, answer).</summary>
    public IEnumerable<(string Field, string Question, CheckResult Result)> Checklist() =>
    [
        ("wildAnimals", Questions[0].Question, WildAnimals),
        ("feverMedicineRegister", Questions[1].Question, FeverMedicineRegister),
        ("staffMasks", Questions[2].Question, StaffMasks),
        ("disinfection", Questions[3].Question, Disinfection),
        ("other", Questions[4].Question, Other),
    ];

    public string[] FailedItems() => [.. Checklist().Where(c => c.Result == CheckResult.Fail).Select(c => c.Field)];

    public static readonly (string Field, string Question)[] Questions =
    [
        ("wildAnimals", "无野生动物出售、饲养、食用"),
        ("feverMedicineRegister", "退烧、止咳药品销售已登记购药人信息"),
        ("staffMasks", "从业人员佩戴口罩"),
        ("disinfection", "已按要求消毒并有记录"),
        ("other", "其他"),
    ];

    public static string ResultName(CheckResult r) => r switch
    {
        CheckResult.Pass => "合格",
        CheckResult.Fail => "不合格",
        CheckResult.NotApplicable => "不适用",
        _ => r.ToString(),
    };
}

/// <summary>A rectification order (整改通知) issued by a failed inspection, with a deadline (an office-local date).</summary>
[ScopedBy(nameof(CompoundId))]
public sealed class Rectification
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PremisesId { get; set; }
    public Guid CompoundId { get; set; }
    /// <summary>The inspection that issued it.</summary>
    public Guid InspectionId { get; set; }
    public string Requirement { get; set; } = "";
    /// <summary>The last day to rectify; overdue from the next day on.</summary>
    public DateOnly Deadline { get; set; }
    public RectificationStatus Status { get; set; } = RectificationStatus.Open;
    public DateTime IssuedAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    public Guid? ClosedByInspectionId { get; set; }

    public static string StatusName(RectificationStatus s) => s switch
    {
        RectificationStatus.Open => "整改中",
        RectificationStatus.Rectified => "已整改（复查合格）",
        RectificationStatus.Superseded => "复查不合格，已重新下达",
        _ => s.ToString(),
    };
}

/// <summary>A photo of an inspection, stored outside the web root under a random name; served only through the API, in scope.</summary>
[ScopedBy(nameof(CompoundId))]
public sealed class InspectionPhoto
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid InspectionId { get; set; }
    public Guid CompoundId { get; set; }
    /// <summary>The random file name under the uploads directory.</summary>
    public string StoredName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    public DateTime UploadedAt { get; set; }
    public Guid UploadedById { get; set; }
}

internal sealed class PremisesConfiguration : IEntityTypeConfiguration<Premises>
{
    public void Configure(EntityTypeBuilder<Premises> b)
    {
        b.Property(p => p.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(p => p.Name).HasMaxLength(100);
        b.Property(p => p.Address).HasMaxLength(200);
        b.Property(p => p.Licence).HasMaxLength(50);
        b.HasIndex(p => new { p.CompoundId, p.Name }).IsUnique();
        b.HasOne<Area>().WithMany().HasForeignKey(p => p.CompoundId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class InspectionConfiguration : IEntityTypeConfiguration<Inspection>
{
    public void Configure(EntityTypeBuilder<Inspection> b)
    {
        b.Property(i => i.Inspectors).HasMaxLength(100);
        foreach (var p in new[] { nameof(Inspection.WildAnimals), nameof(Inspection.FeverMedicineRegister), nameof(Inspection.StaffMasks), nameof(Inspection.Disinfection), nameof(Inspection.Other) })
        {
            b.Property<CheckResult>(p).HasConversion<string>().HasMaxLength(20);
        }
        b.Property(i => i.OtherNote).HasMaxLength(200);
        b.Property(i => i.Findings).HasMaxLength(2000);
        b.HasIndex(i => new { i.PremisesId, i.Date });
        b.HasIndex(i => new { i.CompoundId, i.Date });
        b.HasOne<Premises>().WithMany().HasForeignKey(i => i.PremisesId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Rectification>().WithMany().HasForeignKey(i => i.ReinspectionOfId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(i => i.RecordedById).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RectificationConfiguration : IEntityTypeConfiguration<Rectification>
{
    public void Configure(EntityTypeBuilder<Rectification> b)
    {
        b.Property(r => r.Requirement).HasMaxLength(1000);
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(r => new { r.Status, r.Deadline });
        b.HasIndex(r => r.PremisesId);
        b.HasOne<Premises>().WithMany().HasForeignKey(r => r.PremisesId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Inspection>().WithMany().HasForeignKey(r => r.InspectionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class InspectionPhotoConfiguration : IEntityTypeConfiguration<InspectionPhoto>
{
    public void Configure(EntityTypeBuilder<InspectionPhoto> b)
    {
        b.Property(p => p.StoredName).HasMaxLength(80).NotPersonal();
        b.Property(p => p.ContentType).HasMaxLength(30).NotPersonal();
        b.HasIndex(p => p.InspectionId);
        b.HasOne<Inspection>().WithMany().HasForeignKey(p => p.InspectionId).OnDelete(DeleteBehavior.Restrict);
    }
}
