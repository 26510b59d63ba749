using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Features.People;
using EpiGrid.Platform.Audit;
using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Features.Imports;

/// <summary>
/// Draft: uploaded on the page, waiting for its columns to be mapped (only the page makes drafts; the API's upload
/// is queued at once). Queued → Running → Completed, or Failed with a reason.
/// </summary>
public enum ImportStatus { Draft, Queued, Running, Completed, Failed }

/// <summary>
/// What became of a valid row: a new person, a person already registered (linked), waiting to be placed, or a person
/// registered outside the uploader's scope — not linked: the row says only the community they are registered in, as the
/// duplicate rule does for a registration (<see cref="People.RegisterPerson.OwnerAreasAsync"/>), and makes no task.
/// Stored as its name (at most 10 characters: the column's length).
/// </summary>
public enum ImportRowKind { New, Matched, Unplaced, Elsewhere }

/// <summary>
/// One upper-level list (大数据推送名单, a railway or airline passenger list) being imported: the uploaded file (kept
/// encrypted in the data directory), its headings and mapping, and the import's state — status, counts, the last
/// spreadsheet row committed — so that any request (any node) can read it and a restart resumes it.
/// It lies at the uploader's scope node: statisticians above or at that node see it.
/// </summary>
[ScopedBy(nameof(AreaId))]
public sealed class ImportJob
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid AreaId { get; set; }
    public string FileName { get; set; } = "";
    public string StoredName { get; set; } = "";
    public long FileSize { get; set; }
    public ImportStatus Status { get; set; }
    /// <summary>The file's headings (row 1) in column order, as JSON (an array of strings; "" for an empty heading).</summary>
    public string Headings { get; set; } = "[]";
    /// <summary>field → heading, as JSON (see <see cref="ImportFields"/>).</summary>
    public string? Mapping { get; set; }
    public Guid? TemplateId { get; set; }
    /// <summary>Data rows the sheet declares (its dimension), for the progress bar; the true count is <see cref="Total"/>.</summary>
    public int EstimatedRows { get; set; }
    /// <summary>The last spreadsheet row whose outcome is committed: a resumed import starts after it.</summary>
    public int LastRow { get; set; }
    public int Total { get; set; }
    public int Imported { get; set; }
    public int Matched { get; set; }
    public int Rejected { get; set; }
    public int Unplaced { get; set; }
    public Guid? CreatedBy { get; set; }
    public string CreatedByName { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    /// <summary>Touched with every committed batch: a Running import whose heartbeat is old lost its worker.</summary>
    public DateTime? HeartbeatAt { get; set; }
    public string? FailureReason { get; set; }
    public int Resumes { get; set; }

    public static string StatusName(ImportStatus s) => s switch
    {
        ImportStatus.Draft => "待映射",
        ImportStatus.Queued => "排队中",
        ImportStatus.Running => "导入中",
        ImportStatus.Completed => "已完成",
        _ => "失败",
    };

    public static string StatusBadge(ImportStatus s) => s switch
    {
        ImportStatus.Completed => "text-bg-success",
        ImportStatus.Failed => "text-bg-danger",
        ImportStatus.Running or ImportStatus.Queued => "text-bg-primary",
        _ => "text-bg-secondary",
    };
}

/// <summary>A saved column mapping (field → heading), reused for files of the same layout.</summary>
[ScopedBy(nameof(AreaId))]
public sealed class ImportTemplate
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid AreaId { get; set; }
    public string Name { get; set; } = "";
    public string Mapping { get; set; } = "{}";
    public DateTime CreatedAt { get; set; }
    public Guid? CreatedBy { get; set; }
}

/// <summary>
/// A valid row of an import: what the list said (personal fields protected), and what became of it — the person it
/// created or matched and the verification task it became. Differences between the list and a matched person wait
/// here for the statistician to accept; an unplaced row waits to be placed in a compound.
/// Written in bulk by <see cref="RunImport"/> (the import's one audit entry records the counts).
/// </summary>
[ScopedBy(nameof(AreaId))]
public sealed class ImportRow
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ImportId { get; set; }
    public Guid AreaId { get; set; }
    public int Row { get; set; }
    public ImportRowKind Kind { get; set; }
    public Guid? PersonId { get; set; }
    public Guid? TaskId { get; set; }
    /// <summary>A row naming the same person as an earlier row of the file.</summary>
    public int? DuplicateOfRow { get; set; }
    public string Name { get; set; } = "";
    public Gender Gender { get; set; }
    public string IdNumberCipher { get; set; } = "";
    public string IdNumberHash { get; set; } = "";
    public string IdNumberLast4 { get; set; } = "";
    public string IdNumberMasked { get; set; } = "";
    public string? PhoneCipher { get; set; }
    public string? PhoneHash { get; set; }
    public string? PhoneLast4 { get; set; }
    public string? PhoneMasked { get; set; }
    public string? Address { get; set; }
    public string? TravelFrom { get; set; }
    public DateTime? ArrivedAt { get; set; }
    public Transport? Transport { get; set; }
    public string? TripNumber { get; set; }
    /// <summary>JSON list of { field, current, incoming } (personal values masked) for a matched person; null when none.</summary>
    public string? Differences { get; set; }
    /// <summary>Null while differences wait; true accepted, false kept as registered.</summary>
    public bool? DifferencesAccepted { get; set; }
}

/// <summary>An invalid row: its spreadsheet row number, the field (its heading) and the reason. The row is not stored.</summary>
[NotAudited]
public sealed class ImportRowError
{
    public long Id { get; set; }
    public Guid ImportId { get; set; }
    public int Row { get; set; }
    public string Field { get; set; } = "";
    public string Message { get; set; } = "";
}

internal sealed class ImportJobConfiguration : IEntityTypeConfiguration<ImportJob>
{
    public void Configure(EntityTypeBuilder<ImportJob> b)
    {
        b.ToTable("Imports");
        b.Property(i => i.FileName).HasMaxLength(200);
        b.Property(i => i.StoredName).HasMaxLength(100).NotPersonal();
        b.Property(i => i.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(i => i.Headings).HasMaxLength(20_000);
        b.Property(i => i.Mapping).HasMaxLength(4000);
        b.Property(i => i.CreatedByName).HasMaxLength(100);
        b.Property(i => i.FailureReason).HasMaxLength(500);
        b.HasIndex(i => new { i.AreaId, i.CreatedAt });
        b.HasIndex(i => i.Status);
        b.HasOne<Area>().WithMany().HasForeignKey(i => i.AreaId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ImportTemplate>().WithMany().HasForeignKey(i => i.TemplateId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ImportTemplateConfiguration : IEntityTypeConfiguration<ImportTemplate>
{
    public void Configure(EntityTypeBuilder<ImportTemplate> b)
    {
        b.ToTable("ImportTemplates");
        b.Property(t => t.Name).HasMaxLength(50).NotPersonal();
        b.Property(t => t.Mapping).HasMaxLength(4000);
        b.HasIndex(t => new { t.AreaId, t.Name }).IsUnique();
        b.HasOne<Area>().WithMany().HasForeignKey(t => t.AreaId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ImportRowConfiguration : IEntityTypeConfiguration<ImportRow>
{
    public void Configure(EntityTypeBuilder<ImportRow> b)
    {
        b.ToTable("ImportRows");
        b.Property(r => r.Kind).HasConversion<string>().HasMaxLength(10);
        b.Property(r => r.Name).HasMaxLength(50);
        b.Property(r => r.Gender).HasConversion<string>().HasMaxLength(10);
        // Nothing looks an import's rows up by ID number or phone (people are matched in People): no hash or last-4
        // indexes, four fewer random-key indexes for every bulk-written row (ImportsSpeed).
        b.HasProtected("IdNumber", required: true, indexHash: false, indexLast4: false);
        b.HasProtected("Phone", indexHash: false, indexLast4: false);
        b.Property(r => r.Address).HasMaxLength(200);
        b.Property(r => r.TravelFrom).HasMaxLength(100);
        b.Property(r => r.Transport).HasConversion<string>().HasMaxLength(10);
        b.Property(r => r.TripNumber).HasMaxLength(30);
        b.Property(r => r.Differences).HasMaxLength(4000);
        b.HasIndex(r => new { r.ImportId, r.Row }).IsUnique();
        b.HasIndex(r => new { r.ImportId, r.Kind });
        b.HasIndex(r => r.PersonId);
        b.HasOne<ImportJob>().WithMany().HasForeignKey(r => r.ImportId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ImportRowErrorConfiguration : IEntityTypeConfiguration<ImportRowError>
{
    public void Configure(EntityTypeBuilder<ImportRowError> b)
    {
        b.ToTable("ImportRowErrors");
        b.Property(e => e.Field).HasMaxLength(50);
        b.Property(e => e.Message).HasMaxLength(200);
        b.HasIndex(e => new { e.ImportId, e.Row });
        b.HasOne<ImportJob>().WithMany().HasForeignKey(e => e.ImportId).OnDelete(DeleteBehavior.Cascade);
    }
}
