using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Features.Command;

/// <summary>A work group of the command (防控组、安保组、督办组、宣传组): a leader, members and duties.</summary>
public sealed class WorkGroup
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public Guid? LeaderId { get; set; }
    public string Duties { get; set; } = "";
    public int Sort { get; set; }
}

/// <summary>A member of a work group: an account, or a named person without one.</summary>
public sealed class WorkGroupMember
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid GroupId { get; set; }
    public Guid? UserId { get; set; }
    public string Name { get; set; } = "";
    public string? Title { get; set; }
}

public enum ResponsibilityRole { Leader, Cadre }

/// <summary>One line of the responsibility matrix (包抓): a leader or cadre answers for a compound.</summary>
[EpiGrid.Data.ScopedBy(nameof(CompoundId))]
public sealed class Responsibility
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CompoundId { get; set; }
    public Guid UserId { get; set; }
    public ResponsibilityRole Role { get; set; }

    public static string RoleName(ResponsibilityRole r) => r == ResponsibilityRole.Leader ? "包抓领导" : "包抓干部";
}

internal sealed class WorkGroupConfiguration : IEntityTypeConfiguration<WorkGroup>
{
    public void Configure(EntityTypeBuilder<WorkGroup> b)
    {
        b.Property(g => g.Name).HasMaxLength(50).NotPersonal();
        b.Property(g => g.Duties).HasMaxLength(2000);
        b.HasIndex(g => g.Name).IsUnique();
        b.HasOne<AppUser>().WithMany().HasForeignKey(g => g.LeaderId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class WorkGroupMemberConfiguration : IEntityTypeConfiguration<WorkGroupMember>
{
    public void Configure(EntityTypeBuilder<WorkGroupMember> b)
    {
        b.Property(m => m.Name).HasMaxLength(50);
        b.Property(m => m.Title).HasMaxLength(50);
        b.HasOne<WorkGroup>().WithMany().HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ResponsibilityConfiguration : IEntityTypeConfiguration<Responsibility>
{
    public void Configure(EntityTypeBuilder<Responsibility> b)
    {
        b.Property(r => r.Role).HasConversion<string>().HasMaxLength(10);
        b.HasIndex(r => new { r.CompoundId, r.UserId }).IsUnique();
        b.HasIndex(r => r.UserId);
        b.HasOne<Area>().WithMany().HasForeignKey(r => r.CompoundId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
