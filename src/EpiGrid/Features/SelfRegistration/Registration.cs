using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Features.People;
using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Features.SelfRegistration;

public enum RegistrationStatus { Pending, Confirmed, Rejected }

/// <summary>
/// A returnee's own registration from the public page of a community (返乡人员登记): pending until the grid
/// worker confirms it (it becomes a person under watch) or rejects it. Lies in the community.
/// </summary>
[ScopedBy(nameof(CommunityId))]
public sealed class PendingRegistration
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Reference { get; set; } = "";
    public Guid CommunityId { get; set; }
    public string Name { get; set; } = "";
    public Gender Gender { get; set; }
    public string IdNumberCipher { get; set; } = "";
    public string IdNumberHash { get; set; } = "";
    public string IdNumberLast4 { get; set; } = "";
    public string IdNumberMasked { get; set; } = "";
    public string PhoneCipher { get; set; } = "";
    public string PhoneHash { get; set; } = "";
    public string PhoneLast4 { get; set; } = "";
    public string PhoneMasked { get; set; } = "";
    public string Address { get; set; } = "";
    public string? TravelFrom { get; set; }
    public DateTime? LeftAt { get; set; }
    public DateTime? ArrivedAt { get; set; }
    public Transport? Transport { get; set; }
    public string? TripNumber { get; set; }
    public string? Companions { get; set; }
    public bool ContactWithCases { get; set; }
    public string? Symptoms { get; set; }
    public DateTime SubmittedAt { get; set; }
    public RegistrationStatus Status { get; set; }
    public Guid? ReviewedBy { get; set; }
    public DateTime? ReviewedAt { get; set; }
    public string? ReviewNote { get; set; }
    public Guid? PersonId { get; set; }

    public void SetIdNumber(ProtectedValue v) { IdNumberCipher = v.Cipher; IdNumberHash = v.Hash; IdNumberLast4 = v.Last4; IdNumberMasked = v.Masked; }
    public void SetPhone(ProtectedValue v) { PhoneCipher = v.Cipher; PhoneHash = v.Hash; PhoneLast4 = v.Last4; PhoneMasked = v.Masked; }
}

internal sealed class PendingRegistrationConfiguration : IEntityTypeConfiguration<PendingRegistration>
{
    public void Configure(EntityTypeBuilder<PendingRegistration> b)
    {
        b.Property(r => r.Reference).HasMaxLength(20).NotPersonal();
        b.HasIndex(r => r.Reference).IsUnique();
        b.Property(r => r.Name).HasMaxLength(50);
        b.Property(r => r.Gender).HasConversion<string>().HasMaxLength(10);
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(r => r.Transport).HasConversion<string>().HasMaxLength(10);
        b.HasProtected("IdNumber", required: true);
        b.HasProtected("Phone", required: true);
        b.Property(r => r.Address).HasMaxLength(200);
        b.Property(r => r.TravelFrom).HasMaxLength(100);
        b.Property(r => r.TripNumber).HasMaxLength(30);
        b.Property(r => r.Companions).HasMaxLength(500);
        b.Property(r => r.Symptoms).HasMaxLength(200);
        b.Property(r => r.ReviewNote).HasMaxLength(500);
        b.HasIndex(r => new { r.CommunityId, r.Status });
        b.HasOne<Area>().WithMany().HasForeignKey(r => r.CommunityId).OnDelete(DeleteBehavior.Restrict);
    }
}
