using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Features.OrgTree;

internal sealed class AreaConfiguration : IEntityTypeConfiguration<Area>
{
    public void Configure(EntityTypeBuilder<Area> b)
    {
        b.Property(a => a.Code).HasMaxLength(20).NotPersonal();
        b.Property(a => a.Name).HasMaxLength(100).NotPersonal();
        b.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(a => a.Path).HasMaxLength(400).NotPersonal();
        b.Property(a => a.Address).HasMaxLength(200).NotPersonal();
        b.Property(a => a.Note).HasMaxLength(500);
        b.Property(a => a.Outline).HasMaxLength(20000).NotPersonal();
        b.HasIndex(a => a.Code).IsUnique();
        b.HasIndex(a => a.Path);
        b.HasIndex(a => a.ParentId);
        b.HasOne<Area>().WithMany().HasForeignKey(a => a.ParentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Grid>().WithMany().HasForeignKey(a => a.GridId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class GateConfiguration : IEntityTypeConfiguration<Gate>
{
    public void Configure(EntityTypeBuilder<Gate> b)
    {
        b.Property(g => g.Name).HasMaxLength(100).NotPersonal();
        b.Property(g => g.Note).HasMaxLength(500);
        b.HasIndex(g => g.CompoundId);
        b.HasOne<Area>().WithMany().HasForeignKey(g => g.CompoundId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class GridConfiguration : IEntityTypeConfiguration<Grid>
{
    public void Configure(EntityTypeBuilder<Grid> b)
    {
        b.Property(g => g.Code).HasMaxLength(20).NotPersonal();
        b.Property(g => g.Name).HasMaxLength(100).NotPersonal();
        b.HasIndex(g => g.Code).IsUnique();
        b.HasOne<Area>().WithMany().HasForeignKey(g => g.CommunityId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<EpiGrid.Platform.Auth.AppUser>().WithMany().HasForeignKey(g => g.WorkerId).OnDelete(DeleteBehavior.SetNull);
    }
}
