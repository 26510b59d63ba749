using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Features.People;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Features.Tasks;

public enum TaskKind { Verification, MissedCheck, FeverFollowUp }
public enum WorkTaskStatus { Open, Done, Cancelled }
public enum AttemptMethod { Visit, Phone }
public enum AttemptOutcome { Reached, NotReached, Refused, NotFound, LeftArea, NotInJurisdiction, WrongNumber }
public enum CareKind { Shopping, NoticeRead, Counselling, Medicine, Other }

/// <summary>
/// A task for a named grid worker (verify a registration, follow up a fever or a missed check). With no grid
/// worker for the compound it sits in the community's queue (<see cref="AssigneeId"/> null).
/// </summary>
[ScopedBy(nameof(CompoundId))]
public sealed class WorkTask
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public TaskKind Kind { get; set; }
    public Guid PersonId { get; set; }
    public Guid CompoundId { get; set; }
    public Guid? AssigneeId { get; set; }
    public DateTime DueAt { get; set; }
    public WorkTaskStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? DoneAt { get; set; }
    public string? Note { get; set; }
    /// <summary>What the task is about, so that a rule run twice creates it once ("missed:{order}:{date}:{slot}").</summary>
    public string? DedupeKey { get; set; }

    public static string KindName(TaskKind k) => k switch
    {
        TaskKind.Verification => "核查",
        TaskKind.MissedCheck => "补测体温",
        _ => "发热随访",
    };
}

/// <summary>One attempt to reach the person for a task: by visit or phone, and its outcome.</summary>
[ScopedBy(nameof(CompoundId))]
public sealed class Attempt
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TaskId { get; set; }
    public Guid PersonId { get; set; }
    public Guid CompoundId { get; set; }
    public AttemptMethod Method { get; set; }
    public AttemptOutcome Outcome { get; set; }
    public string? Note { get; set; }
    public DateTime At { get; set; }
    public Guid ByUserId { get; set; }

    public static string OutcomeName(AttemptOutcome o) => o switch
    {
        AttemptOutcome.Reached => "已联系核实",
        AttemptOutcome.NotReached => "未联系上",
        AttemptOutcome.Refused => "拒绝配合",
        AttemptOutcome.NotFound => "查无此人",
        AttemptOutcome.LeftArea => "已离开本地",
        AttemptOutcome.NotInJurisdiction => "不属本辖区",
        _ => "号码错误",
    };
}

/// <summary>Care given to a person under watch (shopping, notices read, counselling...).</summary>
[ScopedBy(nameof(CompoundId))]
public sealed class CareRecord
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Guid CompoundId { get; set; }
    public CareKind Kind { get; set; }
    public string Note { get; set; } = "";
    public DateTime At { get; set; }
    public Guid ByUserId { get; set; }

    public static string KindName(CareKind k) => k switch
    {
        CareKind.Shopping => "代购生活物品",
        CareKind.NoticeRead => "宣读告知书",
        CareKind.Counselling => "心理疏导",
        CareKind.Medicine => "代购药品",
        _ => "其他关怀",
    };
}

internal sealed class WorkTaskConfiguration : IEntityTypeConfiguration<WorkTask>
{
    public void Configure(EntityTypeBuilder<WorkTask> b)
    {
        b.ToTable("Tasks");
        b.Property(t => t.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(t => t.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(t => t.Note).HasMaxLength(500);
        b.Property(t => t.DedupeKey).HasMaxLength(200).NotPersonal();
        b.HasIndex(t => t.DedupeKey).IsUnique();
        b.HasIndex(t => new { t.AssigneeId, t.Status, t.DueAt });
        // A worker's whole list by due time with its count, the scope's compound read from the index (ADR-015).
        b.HasIndex(t => new { t.AssigneeId, t.DueAt, t.CompoundId });
        b.HasIndex(t => new { t.CompoundId, t.Status });
        b.HasIndex(t => t.PersonId);
        b.HasOne<Person>().WithMany().HasForeignKey(t => t.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(t => t.AssigneeId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class AttemptConfiguration : IEntityTypeConfiguration<Attempt>
{
    public void Configure(EntityTypeBuilder<Attempt> b)
    {
        b.Property(a => a.Method).HasConversion<string>().HasMaxLength(10);
        b.Property(a => a.Outcome).HasConversion<string>().HasMaxLength(20);
        b.Property(a => a.Note).HasMaxLength(500);
        b.HasIndex(a => new { a.TaskId, a.At });
        b.HasIndex(a => a.PersonId);
        b.HasOne<WorkTask>().WithMany().HasForeignKey(a => a.TaskId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CareRecordConfiguration : IEntityTypeConfiguration<CareRecord>
{
    public void Configure(EntityTypeBuilder<CareRecord> b)
    {
        b.Property(c => c.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.Note).HasMaxLength(500);
        b.HasIndex(c => c.PersonId);
        b.HasOne<Person>().WithMany().HasForeignKey(c => c.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
