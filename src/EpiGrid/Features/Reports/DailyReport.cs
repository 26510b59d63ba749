using EpiGrid.Data;
using EpiGrid.Features.Complaints;
using EpiGrid.Features.Gates;
using EpiGrid.Features.Households;
using EpiGrid.Features.Observation;
using EpiGrid.Features.OrgTree;
using EpiGrid.Features.People;
using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Features.Reports;

public enum ReportStatus { Reviewed, Signed }

/// <summary>
/// One version of a subdistrict's daily report: its lines frozen as data when the statistician reviewed it, signed
/// by a leader. A signed version never changes; a correction is the next version, with its reason. Not scoped by
/// attribute: the version is the subdistrict's; its lines (<see cref="DailyReportLine"/>) are scoped by community, so
/// a community's grid worker reads their own line of a signed report.
/// </summary>
public sealed class DailyReport
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SubdistrictId { get; set; }
    public DateOnly Date { get; set; }
    public int Version { get; set; }
    public DateTime FromUtc { get; set; }
    public DateTime ToUtc { get; set; }
    public ReportStatus Status { get; set; }
    /// <summary>When the figures were computed (at review).</summary>
    public DateTime ComputedAt { get; set; }
    public Guid ReviewedBy { get; set; }
    public string ReviewedByName { get; set; } = "";
    public DateTime ReviewedAt { get; set; }
    public Guid? SignedBy { get; set; }
    public string? SignedByName { get; set; }
    public DateTime? SignedAt { get; set; }
    /// <summary>Why this version corrects the one before (version 2 and later).</summary>
    public string? Reason { get; set; }
    /// <summary>Bumped by every step, so a review and a signature racing cannot both win.</summary>
    public int Concurrency { get; set; }
}

/// <summary>A frozen line of a version: a community or village, or the totals (<see cref="IsTotal"/>, lying at the subdistrict).</summary>
[ScopedBy(nameof(AreaId))]
public sealed class DailyReportLine
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ReportId { get; set; }
    public int Seq { get; set; }
    public bool IsTotal { get; set; }
    public Guid AreaId { get; set; }
    public string AreaName { get; set; } = "";
    public string Code { get; set; } = "";
    /// <summary>The figures in <see cref="ReportLine.Columns"/> order, comma-separated (16 integers).</summary>
    public string Figures { get; set; } = "";
    public string Remark { get; set; } = "";

    public static DailyReportLine From(Guid reportId, int seq, ReportLine l, bool total) => new()
    {
        ReportId = reportId, Seq = seq, IsTotal = total, AreaId = l.AreaId, AreaName = l.AreaName, Code = l.Code, Remark = l.Remark,
        Figures = string.Join(",", ReportLine.Columns.Select(c => c.Get(l).ToString(System.Globalization.CultureInfo.InvariantCulture))),
    };

    public ReportLine ToLine()
    {
        var line = new ReportLine { AreaId = AreaId, AreaName = AreaName, Code = Code, Remark = Remark };
        var values = Figures.Split(',');
        for (var i = 0; i < ReportLine.Columns.Count && i < values.Length; i++)
        {
            ReportLine.Columns[i].Set(line, int.Parse(values[i], System.Globalization.CultureInfo.InvariantCulture));
        }
        return line;
    }
}

internal sealed class DailyReportConfiguration : IEntityTypeConfiguration<DailyReport>
{
    public void Configure(EntityTypeBuilder<DailyReport> b)
    {
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(r => r.ReviewedByName).HasMaxLength(50);
        b.Property(r => r.SignedByName).HasMaxLength(50);
        b.Property(r => r.Reason).HasMaxLength(500);
        b.Property(r => r.Concurrency).IsConcurrencyToken();
        b.HasIndex(r => new { r.SubdistrictId, r.Date, r.Version }).IsUnique();
        b.HasOne<Area>().WithMany().HasForeignKey(r => r.SubdistrictId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany<DailyReportLine>().WithOne().HasForeignKey(l => l.ReportId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DailyReportLineConfiguration : IEntityTypeConfiguration<DailyReportLine>
{
    public void Configure(EntityTypeBuilder<DailyReportLine> b)
    {
        b.Property(l => l.AreaName).HasMaxLength(100).NotPersonal();
        b.Property(l => l.Code).HasMaxLength(20).NotPersonal();
        b.Property(l => l.Figures).HasMaxLength(400).NotPersonal();
        b.Property(l => l.Remark).HasMaxLength(200);
        b.HasIndex(l => new { l.ReportId, l.Seq }).IsUnique();
    }
}

// Indexes the report's and the dashboard's grouped counts need, on other features' tables. Kept here so the
// reporting needs are in one place (EF merges several configurations of one entity).

internal sealed class PersonReportIndexes : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> b)
    {
        b.HasIndex(p => new { p.CreatedAt, p.CompoundId }).HasDatabaseName("IX_People_Report_CreatedAt");
        // New and cumulative people by category per compound (the report's 新增/累计 columns): one pass over this index,
        // in compound order (no sort), the categories read from the person's own bits (Person.CategoryFlags).
        b.HasIndex(p => new { p.CompoundId, p.CreatedAt, p.CategoryFlags }).HasDatabaseName("IX_People_Report_Categories");
        b.HasIndex(p => p.TransferredAt).HasDatabaseName("IX_People_Report_TransferredAt");
    }
}

internal sealed class OrderReportIndexes : IEntityTypeConfiguration<QuarantineOrder>
{
    public void Configure(EntityTypeBuilder<QuarantineOrder> b)
    {
        b.HasIndex(o => o.ClosedAt).HasDatabaseName("IX_QuarantineOrders_Report_ClosedAt");
    }
}

internal sealed class GatePassReportIndexes : IEntityTypeConfiguration<GatePass>
{
    public void Configure(EntityTypeBuilder<GatePass> b)
    {
        // Fever passes only: a handful among millions of passes, counted per window without touching the rest.
        b.HasIndex(p => new { p.TakenAt, p.CompoundId }).HasDatabaseName("IX_GatePasses_Report_Fever").HasFilter("\"Fever\"");
    }
}

internal sealed class VisitReportIndexes : IEntityTypeConfiguration<ScreeningVisit>
{
    public void Configure(EntityTypeBuilder<ScreeningVisit> b)
    {
        b.HasIndex(v => new { v.VisitedAt, v.CompoundId, v.HouseholdId, v.Occupants }).HasDatabaseName("IX_ScreeningVisits_Report_VisitedAt");
    }
}

internal sealed class ComplaintReportIndexes : IEntityTypeConfiguration<Complaint>
{
    public void Configure(EntityTypeBuilder<Complaint> b)
    {
        b.HasIndex(c => c.ClosedAt).HasDatabaseName("IX_Complaints_Report_ClosedAt");
    }
}
