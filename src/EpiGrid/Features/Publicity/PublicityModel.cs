using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Features.Publicity;

public enum MaterialKind { Poster, Order, Letter, Leaflet, Banner, Other }
public enum PostingMethod { Posted, HandedOut }

/// <summary>A publicity vehicle (宣传车) with its route and daily hours (e.g. 宝福路、新福路, 08:00–21:00).</summary>
[ScopedBy(nameof(AreaId))]
public sealed class PublicityVehicle
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public string? Plate { get; set; }
    /// <summary>The streets it drives, joined with 、.</summary>
    public string Route { get; set; } = "";
    public TimeOnly DailyFrom { get; set; } = new(8, 0);
    public TimeOnly DailyTo { get; set; } = new(21, 0);
    /// <summary>The area it serves (the subdistrict, or a community/village).</summary>
    public Guid AreaId { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }

    public const string Separator = "、";
}

/// <summary>One run of a vehicle on a day: when, which streets, what it broadcast.</summary>
[ScopedBy(nameof(AreaId))]
public sealed class VehicleRun
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid VehicleId { get; set; }
    /// <summary>The vehicle's area (copied, for scope).</summary>
    public Guid AreaId { get; set; }
    /// <summary>Office-local date of <see cref="StartedAt"/>.</summary>
    public DateOnly Date { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime EndedAt { get; set; }
    public string Route { get; set; } = "";
    /// <summary>What it broadcast (e.g. 防控指挥部3号令, 防疫知识).</summary>
    public string? Content { get; set; }
    public string? Note { get; set; }
    public DateTime RecordedAt { get; set; }
    public Guid RecordedById { get; set; }
}

/// <summary>A fixed publicity point (固定宣传点) with what it shows (展板、横幅、电子屏...).</summary>
[ScopedBy(nameof(AreaId))]
public sealed class PublicityPoint
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    /// <summary>A community/village or a compound.</summary>
    public Guid AreaId { get; set; }
    public string? Location { get; set; }
    public string Shows { get; set; } = "";
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// A material (宣传材料): a poster, a command order (防控指挥部1号令), the letter to party members... Office-wide
/// reference data like the calendar (not scoped): every community posts the same orders; where and how many were
/// posted is what lies in the tree (<see cref="MaterialPosting"/>).
/// </summary>
public sealed class PublicityMaterial
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public MaterialKind Kind { get; set; }
    public string Title { get; set; } = "";
    /// <summary>Who issued it (金台区疫情防控指挥部, 西关街道党工委...).</summary>
    public string? Issuer { get; set; }
    public DateOnly? IssuedOn { get; set; }
    public string? Note { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }

    public static string KindName(MaterialKind k) => k switch
    {
        MaterialKind.Poster => "海报",
        MaterialKind.Order => "指挥部令",
        MaterialKind.Letter => "公开信",
        MaterialKind.Leaflet => "传单/明白纸",
        MaterialKind.Banner => "横幅",
        _ => "其他",
    };
}

/// <summary>Where and how many of a material were posted (张贴) or handed out (发放): at a compound (or a building of it), a community or a fixed point.</summary>
[ScopedBy(nameof(AreaId))]
public sealed class MaterialPosting
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MaterialId { get; set; }
    public Guid AreaId { get; set; }
    public Guid? PointId { get; set; }
    /// <summary>The spot (单元门、公告栏...).</summary>
    public string? Place { get; set; }
    public PostingMethod Method { get; set; }
    public int Quantity { get; set; }
    public DateOnly Date { get; set; }
    public string DoneBy { get; set; } = "";
    public string? Note { get; set; }
    public DateTime RecordedAt { get; set; }
    public Guid RecordedById { get; set; }

    public static string MethodName(PostingMethod m) => m == PostingMethod.Posted ? "张贴" : "发放";
}

internal sealed class PublicityVehicleConfiguration : IEntityTypeConfiguration<PublicityVehicle>
{
    public void Configure(EntityTypeBuilder<PublicityVehicle> b)
    {
        b.Property(v => v.Name).HasMaxLength(50).NotPersonal();
        b.Property(v => v.Plate).HasMaxLength(20);
        b.Property(v => v.Route).HasMaxLength(300).NotPersonal();
        b.HasIndex(v => v.AreaId);
        b.HasOne<Area>().WithMany().HasForeignKey(v => v.AreaId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class VehicleRunConfiguration : IEntityTypeConfiguration<VehicleRun>
{
    public void Configure(EntityTypeBuilder<VehicleRun> b)
    {
        b.Property(r => r.Route).HasMaxLength(300).NotPersonal();
        b.Property(r => r.Content).HasMaxLength(200);
        b.Property(r => r.Note).HasMaxLength(500);
        b.HasIndex(r => new { r.VehicleId, r.Date });
        b.HasIndex(r => new { r.AreaId, r.Date });
        b.HasOne<PublicityVehicle>().WithMany().HasForeignKey(r => r.VehicleId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Area>().WithMany().HasForeignKey(r => r.AreaId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(r => r.RecordedById).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PublicityPointConfiguration : IEntityTypeConfiguration<PublicityPoint>
{
    public void Configure(EntityTypeBuilder<PublicityPoint> b)
    {
        b.Property(p => p.Name).HasMaxLength(100).NotPersonal();
        b.Property(p => p.Location).HasMaxLength(200).NotPersonal();
        b.Property(p => p.Shows).HasMaxLength(500);
        b.HasIndex(p => p.AreaId);
        b.HasOne<Area>().WithMany().HasForeignKey(p => p.AreaId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PublicityMaterialConfiguration : IEntityTypeConfiguration<PublicityMaterial>
{
    public void Configure(EntityTypeBuilder<PublicityMaterial> b)
    {
        b.Property(m => m.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(m => m.Title).HasMaxLength(100).NotPersonal();
        b.Property(m => m.Issuer).HasMaxLength(100);
        b.Property(m => m.Note).HasMaxLength(500);
        b.HasIndex(m => m.Title).IsUnique();
    }
}

internal sealed class MaterialPostingConfiguration : IEntityTypeConfiguration<MaterialPosting>
{
    public void Configure(EntityTypeBuilder<MaterialPosting> b)
    {
        b.Property(p => p.Method).HasConversion<string>().HasMaxLength(20);
        b.Property(p => p.Place).HasMaxLength(200).NotPersonal();
        b.Property(p => p.DoneBy).HasMaxLength(100);
        b.Property(p => p.Note).HasMaxLength(500);
        b.HasIndex(p => new { p.AreaId, p.MaterialId });
        b.HasIndex(p => new { p.MaterialId, p.Date });
        b.HasOne<PublicityMaterial>().WithMany().HasForeignKey(p => p.MaterialId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Area>().WithMany().HasForeignKey(p => p.AreaId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PublicityPoint>().WithMany().HasForeignKey(p => p.PointId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(p => p.RecordedById).OnDelete(DeleteBehavior.Restrict);
    }
}
