using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Features.People;
using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Features.Households;

public enum ResidenceType { Resident, Renting, Floating }
public enum ScreeningOutcome { AllWell, SomeoneReturned, NobodyHome, Refused }

/// <summary>A household (户) of the register: compound / building / unit / room.</summary>
[ScopedBy(nameof(CompoundId))]
public sealed class Household
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CompoundId { get; set; }
    public Guid? BuildingId { get; set; }
    public string Unit { get; set; } = "";
    public string Room { get; set; } = "";
    /// <summary>Rented out (出租户): its residents are usually floating population.</summary>
    public bool Rented { get; set; }
    public string? Note { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastScreenedAt { get; set; }
    /// <summary>Deregistered (注销): nobody lives there any more, or the dwelling is gone (the start of that office day, UTC).
    /// Out of the lists and the coverage; undone until retention empties it.</summary>
    public DateTime? DeregisteredAt { get; set; }
    /// <summary>When the deregistration was recorded (UTC); retention counts from the later of this and <see cref="DeregisteredAt"/>,
    /// so a backdated one can still be undone for the whole period.</summary>
    public DateTime? DeregisteredRecordedAt { get; set; }
    /// <summary>When retention removed the residents, the note and the address (unit, room, building) of a deregistered
    /// household; the row stays for its visits and pass cards (the counts).</summary>
    public DateTime? PurgedAt { get; set; }

    public static string Label(string? building, string unit, string room) =>
        string.Join(" ", new[] { building, unit.Length > 0 ? unit + "单元" : null, room.Length > 0 ? room + "室" : null }.Where(x => !string.IsNullOrEmpty(x)));
}

/// <summary>Someone living in a household (实有人口).</summary>
[ScopedBy(nameof(CompoundId))]
public sealed class Resident
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid HouseholdId { get; set; }
    public Guid CompoundId { get; set; }
    public string Name { get; set; } = "";
    /// <summary>户主, 配偶, 子女, 父母, 租户, 其他...</summary>
    public string Relation { get; set; } = "";
    public Gender Gender { get; set; }
    public string? IdNumberCipher { get; set; }
    public string? IdNumberHash { get; set; }
    public string? IdNumberLast4 { get; set; }
    public string? IdNumberMasked { get; set; }
    public string? PhoneCipher { get; set; }
    public string? PhoneHash { get; set; }
    public string? PhoneLast4 { get; set; }
    public string? PhoneMasked { get; set; }
    public ResidenceType Type { get; set; }
    public bool MovedOut { get; set; }
    /// <summary>The day the resident moved out (its start, UTC), set with <see cref="MovedOut"/>; retention counts from it.</summary>
    public DateTime? MovedOutAt { get; set; }
    /// <summary>When the move-out was recorded (UTC); retention counts from the later of this and <see cref="MovedOutAt"/>.</summary>
    public DateTime? MovedOutRecordedAt { get; set; }
    public Guid? PersonId { get; set; }

    public void SetIdNumber(ProtectedValue v) { IdNumberCipher = v.Cipher; IdNumberHash = v.Hash; IdNumberLast4 = v.Last4; IdNumberMasked = v.Masked; }
    public void SetPhone(ProtectedValue v) { PhoneCipher = v.Cipher; PhoneHash = v.Hash; PhoneLast4 = v.Last4; PhoneMasked = v.Masked; }

    public static string TypeName(ResidenceType t) => t switch
    {
        ResidenceType.Resident => "户籍/常住",
        ResidenceType.Renting => "租住",
        _ => "流动人口",
    };
}

/// <summary>A screening visit (逐户排查) to a household: when, by whom, outcome, who lives there now.</summary>
[ScopedBy(nameof(CompoundId))]
public sealed class ScreeningVisit
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid HouseholdId { get; set; }
    public Guid CompoundId { get; set; }
    public DateTime VisitedAt { get; set; }
    public Guid ByUserId { get; set; }
    public ScreeningOutcome Outcome { get; set; }
    /// <summary>People found living there now.</summary>
    public int Occupants { get; set; }
    public string? Note { get; set; }

    public static string OutcomeName(ScreeningOutcome o) => o switch
    {
        ScreeningOutcome.AllWell => "全部正常",
        ScreeningOutcome.SomeoneReturned => "有人返回",
        ScreeningOutcome.NobodyHome => "无人在家",
        _ => "拒绝配合",
    };
}

internal sealed class HouseholdConfiguration : IEntityTypeConfiguration<Household>
{
    public void Configure(EntityTypeBuilder<Household> b)
    {
        b.Property(h => h.Unit).HasMaxLength(20);
        b.Property(h => h.Room).HasMaxLength(20);
        b.Property(h => h.Note).HasMaxLength(500);
        b.HasIndex(h => new { h.CompoundId, h.BuildingId, h.Unit, h.Room }).IsUnique();
        b.HasOne<Area>().WithMany().HasForeignKey(h => h.CompoundId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Area>().WithMany().HasForeignKey(h => h.BuildingId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ResidentConfiguration : IEntityTypeConfiguration<Resident>
{
    public void Configure(EntityTypeBuilder<Resident> b)
    {
        b.Property(r => r.Name).HasMaxLength(50);
        b.Property(r => r.Relation).HasMaxLength(20);
        b.Property(r => r.Gender).HasConversion<string>().HasMaxLength(10);
        b.Property(r => r.Type).HasConversion<string>().HasMaxLength(20);
        b.HasProtected("IdNumber");
        b.HasProtected("Phone");
        b.HasIndex(r => r.HouseholdId);
        b.HasIndex(r => new { r.CompoundId, r.Name });
        b.HasOne<Household>().WithMany().HasForeignKey(r => r.HouseholdId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Person>().WithMany().HasForeignKey(r => r.PersonId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ScreeningVisitConfiguration : IEntityTypeConfiguration<ScreeningVisit>
{
    public void Configure(EntityTypeBuilder<ScreeningVisit> b)
    {
        b.Property(v => v.Outcome).HasConversion<string>().HasMaxLength(20);
        b.Property(v => v.Note).HasMaxLength(500);
        b.HasIndex(v => new { v.HouseholdId, v.VisitedAt });
        b.HasIndex(v => new { v.CompoundId, v.VisitedAt });
        b.HasOne<Household>().WithMany().HasForeignKey(v => v.HouseholdId).OnDelete(DeleteBehavior.Cascade);
    }
}
