using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Features.Complaints;

internal sealed class ComplaintConfiguration : IEntityTypeConfiguration<Complaint>
{
    public void Configure(EntityTypeBuilder<Complaint> b)
    {
        b.Property(c => c.Number).HasMaxLength(30).NotPersonal();
        b.HasIndex(c => c.Number).IsUnique();
        b.HasIndex(c => new { c.NumberDate, c.NumberSeq }).IsUnique();
        b.Property(c => c.Channel).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.Category).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.Urgency).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.Satisfaction).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.Content).HasMaxLength(2000);
        b.Property(c => c.ComplainantName).HasMaxLength(50);
        b.HasProtected("ComplainantPhone");
        b.Property(c => c.Address).HasMaxLength(200);
        b.Property(c => c.Concerning).HasMaxLength(100);
        b.Property(c => c.UpstreamNumber).HasMaxLength(50).NotPersonal();
        b.Property(c => c.Reply).HasMaxLength(2000);
        b.Property(c => c.Version).IsConcurrencyToken();
        b.HasIndex(c => c.AreaId);
        b.HasIndex(c => c.HandlerId);
        b.HasIndex(c => c.ResponderId);
        b.HasIndex(c => new { c.Status, c.DueAt });
        b.HasIndex(c => c.ReceivedAt);
        b.HasIndex(c => c.MergedIntoId);
        b.HasOne<Complaint>().WithMany().HasForeignKey(c => c.MergedIntoId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Area>().WithMany().HasForeignKey(c => c.AreaId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(c => c.HandlerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(c => c.ResponderId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany<ComplaintEvent>().WithOne().HasForeignKey(e => e.ComplaintId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ComplaintEventConfiguration : IEntityTypeConfiguration<ComplaintEvent>
{
    public void Configure(EntityTypeBuilder<ComplaintEvent> b)
    {
        b.Property(e => e.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(e => e.ActionKind).HasConversion<string>().HasMaxLength(20);
        b.Property(e => e.Satisfaction).HasConversion<string>().HasMaxLength(20);
        b.Property(e => e.ActorName).HasMaxLength(60);
        b.Property(e => e.Text).HasMaxLength(2000);
        b.HasIndex(e => new { e.ComplaintId, e.Seq }).IsUnique();
    }
}
