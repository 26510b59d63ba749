using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Features.Duty;

public enum DutyMemberKind { PartyMember, Cadre, Volunteer }

/// <summary>
/// Someone on duty (在岗人员): a party member, a cadre or a volunteer — with or without an account. Lies in an area
/// (the subdistrict, a community/village or a compound) for scope. Their contact phone is a protected field.
/// </summary>
[ScopedBy(nameof(AreaId))]
public sealed class DutyMember
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public DutyMemberKind Kind { get; set; }
    /// <summary>The party branch (党支部) or unit, e.g. 西关社区党支部.</summary>
    public string? Branch { get; set; }
    public string? PhoneCipher { get; set; }
    public string? PhoneHash { get; set; }
    public string? PhoneLast4 { get; set; }
    public string? PhoneMasked { get; set; }
    /// <summary>What they can do (驾驶、医护、心理疏导...), joined with 、.</summary>
    public string? Skills { get; set; }
    public Guid AreaId { get; set; }
    /// <summary>Their account, if they have one (a volunteer who completes deliveries on a phone).</summary>
    public Guid? UserId { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }

    public void SetPhone(ProtectedValue v) { PhoneCipher = v.Cipher; PhoneHash = v.Hash; PhoneLast4 = v.Last4; PhoneMasked = v.Masked; }

    public static string KindName(DutyMemberKind k) => k switch
    {
        DutyMemberKind.PartyMember => "党员",
        DutyMemberKind.Cadre => "干部",
        DutyMemberKind.Volunteer => "志愿者",
        _ => k.ToString(),
    };
}

/// <summary>A model post (党员示范岗): a place where party members stand, e.g. a gate or a service desk.</summary>
[ScopedBy(nameof(AreaId))]
public sealed class ModelPost
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public Guid AreaId { get; set; }
    /// <summary>Where it is (e.g. 春天大道东门卡口).</summary>
    public string Location { get; set; } = "";
    public Guid? GateId { get; set; }
    public string? Duties { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class ModelPostMember
{
    public Guid PostId { get; set; }
    public Guid MemberId { get; set; }
}

/// <summary>A shock team (党员突击队): a leader and members sent where the work is heaviest.</summary>
[ScopedBy(nameof(AreaId))]
public sealed class ShockTeam
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public Guid AreaId { get; set; }
    public Guid LeaderId { get; set; }
    /// <summary>What it is for (卡口值守、物资转运、入户排查...).</summary>
    public string? Task { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class ShockTeamMember
{
    public Guid TeamId { get; set; }
    public Guid MemberId { get; set; }
}

/// <summary>
/// A duty shift (值班/值守班次) of one person at a gate, a model post or a named place, from <see cref="StartsAt"/> to
/// <see cref="EndsAt"/> (UTC). Lies in the area of its gate or post (else the one given), for scope.
/// </summary>
[ScopedBy(nameof(AreaId))]
public sealed class DutyShift
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MemberId { get; set; }
    public Guid AreaId { get; set; }
    public Guid? GateId { get; set; }
    public Guid? PostId { get; set; }
    /// <summary>The place as shown on the roster (the gate's or post's name, or what was typed).</summary>
    public string Place { get; set; } = "";
    public DateTime StartsAt { get; set; }
    public DateTime EndsAt { get; set; }
    public string? Note { get; set; }
    public DateTime CreatedAt { get; set; }
    public Guid CreatedById { get; set; }
}

internal sealed class DutyMemberConfiguration : IEntityTypeConfiguration<DutyMember>
{
    public void Configure(EntityTypeBuilder<DutyMember> b)
    {
        b.Property(m => m.Name).HasMaxLength(50);
        b.Property(m => m.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(m => m.Branch).HasMaxLength(100).NotPersonal();
        b.Property(m => m.Skills).HasMaxLength(200);
        b.HasProtected("Phone");
        b.HasIndex(m => new { m.AreaId, m.Kind });
        b.HasIndex(m => m.UserId);
        b.HasOne<Area>().WithMany().HasForeignKey(m => m.AreaId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ModelPostConfiguration : IEntityTypeConfiguration<ModelPost>
{
    public void Configure(EntityTypeBuilder<ModelPost> b)
    {
        b.Property(p => p.Name).HasMaxLength(100).NotPersonal();
        b.Property(p => p.Location).HasMaxLength(200).NotPersonal();
        b.Property(p => p.Duties).HasMaxLength(500);
        b.HasIndex(p => p.AreaId);
        b.HasOne<Area>().WithMany().HasForeignKey(p => p.AreaId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Gate>().WithMany().HasForeignKey(p => p.GateId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ModelPostMemberConfiguration : IEntityTypeConfiguration<ModelPostMember>
{
    public void Configure(EntityTypeBuilder<ModelPostMember> b)
    {
        b.HasKey(m => new { m.PostId, m.MemberId });
        b.HasIndex(m => m.MemberId);
        b.HasOne<ModelPost>().WithMany().HasForeignKey(m => m.PostId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<DutyMember>().WithMany().HasForeignKey(m => m.MemberId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ShockTeamConfiguration : IEntityTypeConfiguration<ShockTeam>
{
    public void Configure(EntityTypeBuilder<ShockTeam> b)
    {
        b.Property(t => t.Name).HasMaxLength(100).NotPersonal();
        b.Property(t => t.Task).HasMaxLength(500);
        b.HasIndex(t => t.AreaId);
        b.HasOne<Area>().WithMany().HasForeignKey(t => t.AreaId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<DutyMember>().WithMany().HasForeignKey(t => t.LeaderId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ShockTeamMemberConfiguration : IEntityTypeConfiguration<ShockTeamMember>
{
    public void Configure(EntityTypeBuilder<ShockTeamMember> b)
    {
        b.HasKey(m => new { m.TeamId, m.MemberId });
        b.HasIndex(m => m.MemberId);
        b.HasOne<ShockTeam>().WithMany().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<DutyMember>().WithMany().HasForeignKey(m => m.MemberId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DutyShiftConfiguration : IEntityTypeConfiguration<DutyShift>
{
    public void Configure(EntityTypeBuilder<DutyShift> b)
    {
        b.Property(s => s.Place).HasMaxLength(100);
        b.Property(s => s.Note).HasMaxLength(500);
        b.HasIndex(s => new { s.MemberId, s.StartsAt });
        b.HasIndex(s => new { s.AreaId, s.StartsAt });
        b.HasOne<DutyMember>().WithMany().HasForeignKey(s => s.MemberId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Area>().WithMany().HasForeignKey(s => s.AreaId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Gate>().WithMany().HasForeignKey(s => s.GateId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ModelPost>().WithMany().HasForeignKey(s => s.PostId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(s => s.CreatedById).OnDelete(DeleteBehavior.Restrict);
    }
}
