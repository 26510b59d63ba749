using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Features.Disinfection;

/// <summary>
/// A disinfection plan (消杀计划) for a community/village or a compound: its key places (compounds, garbage stations,
/// stairwells, lifts...), the agent, and how often — <see cref="TimesPerDay"/> slots on every <see cref="EveryDays"/>-th
/// day from <see cref="StartDate"/>. Each slot has an office-local deadline (<see cref="SlotDeadlines"/>); a slot with no
/// record by its deadline is missed.
/// </summary>
[ScopedBy(nameof(AreaId))]
public sealed class DisinfectionPlan
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    /// <summary>A community/village or a compound.</summary>
    public Guid AreaId { get; set; }
    /// <summary>The community/village the area belongs to (itself for a community), for the per-community board.</summary>
    public Guid CommunityId { get; set; }
    /// <summary>Key places, joined with 、.</summary>
    public string Places { get; set; } = "";
    public string Agent { get; set; } = "";
    public int TimesPerDay { get; set; } = 1;
    public int EveryDays { get; set; } = 1;
    public DateOnly StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }

    public const int MaxTimesPerDay = 4;
    public const int MaxEveryDays = 30;
    public const string PlaceSeparator = "、";

    /// <summary>
    /// The slot deadlines, office-local, by times per day: once — 20:00; twice — 12:00 and 20:00; three times —
    /// 10:00, 15:00, 20:00; four times — 09:00, 12:00, 16:00, 20:00. Slot n runs from the previous deadline (or
    /// midnight) to its own.
    /// </summary>
    public static TimeOnly[] SlotDeadlines(int timesPerDay) => timesPerDay switch
    {
        1 => [new(20, 0)],
        2 => [new(12, 0), new(20, 0)],
        3 => [new(10, 0), new(15, 0), new(20, 0)],
        _ => [new(9, 0), new(12, 0), new(16, 0), new(20, 0)],
    };

    public TimeOnly[] Deadlines() => SlotDeadlines(TimesPerDay);

    public string[] PlaceList() => Places.Split(PlaceSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Whether disinfection is due on this date.</summary>
    public bool DueOn(DateOnly date) =>
        date >= StartDate && (EndDate is null || date <= EndDate) && (date.DayNumber - StartDate.DayNumber) % Math.Max(1, EveryDays) == 0;

    public string FrequencyText() =>
        (EveryDays <= 1 ? "每天" : $"每 {EveryDays} 天") + $" {TimesPerDay} 次（" + string.Join("、", Deadlines().Select(t => t.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) + "前")) + "）";
}

/// <summary>
/// One disinfection done (消杀记录): who, when, where, with what. Either a slot of a plan (<see cref="PlanId"/>,
/// <see cref="Date"/>, <see cref="Slot"/>), or on its own — e.g. a household disinfected after a complaint, which
/// carries the complaint's ticket (<see cref="ComplaintId"/> / <see cref="ComplaintNumber"/>).
/// </summary>
[ScopedBy(nameof(AreaId))]
public sealed class DisinfectionRecord
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid? PlanId { get; set; }
    /// <summary>Office-local date of <see cref="DoneAt"/>.</summary>
    public DateOnly Date { get; set; }
    /// <summary>The plan's slot (1-based) this record fulfils.</summary>
    public int? Slot { get; set; }
    public Guid AreaId { get; set; }
    public string Place { get; set; } = "";
    public string Agent { get; set; } = "";
    public string DoneBy { get; set; } = "";
    public DateTime DoneAt { get; set; }
    /// <summary>
    /// The complaint that led to it: a ticket the recorder sees (validated by <see cref="RecordDisinfection"/>). Should the
    /// ticket itself be removed, the link goes (SET NULL) and <see cref="ComplaintNumber"/> keeps the number.
    /// </summary>
    public Guid? ComplaintId { get; set; }
    /// <summary>The complaint's ticket number as the hotline gave it (e.g. XG20200207-0031).</summary>
    public string? ComplaintNumber { get; set; }
    public string? Note { get; set; }
    public DateTime RecordedAt { get; set; }
    public Guid RecordedById { get; set; }
}

internal sealed class DisinfectionPlanConfiguration : IEntityTypeConfiguration<DisinfectionPlan>
{
    public void Configure(EntityTypeBuilder<DisinfectionPlan> b)
    {
        b.Property(p => p.Name).HasMaxLength(100).NotPersonal();
        b.Property(p => p.Places).HasMaxLength(1000);
        b.Property(p => p.Agent).HasMaxLength(100).NotPersonal();
        b.HasIndex(p => p.AreaId);
        b.HasIndex(p => new { p.CommunityId, p.IsActive });
        b.HasOne<Area>().WithMany().HasForeignKey(p => p.AreaId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Area>().WithMany().HasForeignKey(p => p.CommunityId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DisinfectionRecordConfiguration : IEntityTypeConfiguration<DisinfectionRecord>
{
    public void Configure(EntityTypeBuilder<DisinfectionRecord> b)
    {
        b.Property(r => r.Place).HasMaxLength(200);
        b.Property(r => r.Agent).HasMaxLength(100).NotPersonal();
        b.Property(r => r.DoneBy).HasMaxLength(100);
        b.Property(r => r.ComplaintNumber).HasMaxLength(30).NotPersonal();
        b.Property(r => r.Note).HasMaxLength(500);
        // One record per slot of a plan (rows without a plan have NULLs, which never collide).
        b.HasIndex(r => new { r.PlanId, r.Date, r.Slot }).IsUnique();
        b.HasIndex(r => new { r.AreaId, r.Date });
        b.HasIndex(r => r.ComplaintId);
        b.HasOne<DisinfectionPlan>().WithMany().HasForeignKey(r => r.PlanId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Area>().WithMany().HasForeignKey(r => r.AreaId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(r => r.RecordedById).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Complaints.Complaint>().WithMany().HasForeignKey(r => r.ComplaintId).OnDelete(DeleteBehavior.SetNull);
    }
}
