using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Features.People;

public enum Gender { Male, Female }
public enum DocumentType { ResidentId, Passport, HkMacaoPermit, TaiwanPermit, Other }
public enum PersonCategory { Returnee, CloseContact, HomeObservation, CentralizedQuarantine, Fever, Suspected, Confirmed, FloatingPopulation }
public enum Transport { Rail, Air, Coach, Car, Ship, Other }
public enum PersonStatus { Active, Released, Transferred, Closed }

/// <summary>
/// A person under watch: one record per real person, keyed by their document number (a protected field).
/// Lies in a compound (scope). Categories are a set (<see cref="PersonCategoryRow"/>).
/// </summary>
[ScopedBy(nameof(CompoundId))]
public sealed class Person
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public Gender Gender { get; set; }
    public DocumentType DocumentType { get; set; }
    public string IdNumberCipher { get; set; } = "";
    public string IdNumberHash { get; set; } = "";
    public string IdNumberLast4 { get; set; } = "";
    public string IdNumberMasked { get; set; } = "";
    public string? PhoneCipher { get; set; }
    public string? PhoneHash { get; set; }
    public string? PhoneLast4 { get; set; }
    public string? PhoneMasked { get; set; }
    public Guid CompoundId { get; set; }
    public Guid? HouseholdId { get; set; }
    public string Address { get; set; } = "";
    public PersonStatus Status { get; set; } = PersonStatus.Active;

    // Travel (from where, when left, when arrived, how, train/flight/plate, with whom).
    public string? TravelFrom { get; set; }
    public DateTime? LeftAt { get; set; }
    public DateTime? ArrivedAt { get; set; }
    public Transport? Transport { get; set; }
    public string? TripNumber { get; set; }
    public string? Companions { get; set; }

    // Transfer (转运) of a confirmed or suspected case.
    public DateTime? TransferredAt { get; set; }
    public string? TransferredTo { get; set; }
    public string? TransferredBy { get; set; }

    public string? Note { get; set; }
    public DateTime CreatedAt { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>
    /// The categories as bits (1 &lt;&lt; (int)category), a copy of <see cref="PersonCategoryRow"/> kept by database triggers
    /// (<see cref="PersonCategoryFlags"/>) so that the report and the dashboard count categories from the person's own
    /// index. Read only: never set it from code (the import's raw insert writes a new person with the bit of the category it
    /// inserts with them, the value the trigger would set).
    /// </summary>
    public int CategoryFlags { get; private set; }

    /// <summary>When the retention job removed the personal details (ID, phone, name, address, movements); null before.</summary>
    public DateTime? AnonymisedAt { get; set; }

    public void SetIdNumber(ProtectedValue v) { IdNumberCipher = v.Cipher; IdNumberHash = v.Hash; IdNumberLast4 = v.Last4; IdNumberMasked = v.Masked; }
    public void SetPhone(ProtectedValue v) { PhoneCipher = v.Cipher; PhoneHash = v.Hash; PhoneLast4 = v.Last4; PhoneMasked = v.Masked; }

    public static string CategoryName(PersonCategory c) => c switch
    {
        PersonCategory.Returnee => "湖北返回",
        PersonCategory.CloseContact => "密切接触者",
        PersonCategory.HomeObservation => "居家医学观察",
        PersonCategory.CentralizedQuarantine => "集中隔离",
        PersonCategory.Fever => "发热",
        PersonCategory.Suspected => "疑似病例",
        PersonCategory.Confirmed => "确诊病例",
        PersonCategory.FloatingPopulation => "流动人口",
        _ => c.ToString(),
    };

    /// <summary>Badge colour: red for cases and fever, orange for contacts and observation, grey otherwise.</summary>
    public static string CategoryBadge(PersonCategory c) => c switch
    {
        PersonCategory.Confirmed or PersonCategory.Suspected or PersonCategory.Fever => "text-bg-danger",
        PersonCategory.CloseContact or PersonCategory.HomeObservation or PersonCategory.CentralizedQuarantine => "text-bg-warning",
        PersonCategory.Returnee => "text-bg-primary",
        _ => "text-bg-secondary",
    };

    public static string StatusName(PersonStatus s) => s switch
    {
        PersonStatus.Active => "在管",
        PersonStatus.Released => "已解除",
        PersonStatus.Transferred => "已转运",
        PersonStatus.Closed => "已销号",
        _ => s.ToString(),
    };

    public static string DocumentName(DocumentType d) => d switch
    {
        DocumentType.ResidentId => "居民身份证",
        DocumentType.Passport => "护照",
        DocumentType.HkMacaoPermit => "港澳通行证/居住证",
        DocumentType.TaiwanPermit => "台湾居民来往大陆通行证",
        _ => "其他证件",
    };

    public static string TransportName(Transport t) => t switch
    {
        People.Transport.Rail => "火车",
        People.Transport.Air => "飞机",
        People.Transport.Coach => "长途汽车",
        People.Transport.Car => "自驾",
        People.Transport.Ship => "轮船",
        _ => "其他",
    };
}

/// <summary>One category of a person (a person may have several).</summary>
public sealed class PersonCategoryRow
{
    public Guid PersonId { get; set; }
    public PersonCategory Category { get; set; }
}

/// <summary>An exposure: <see cref="PersonId"/> was in contact with <see cref="SourcePersonId"/>, last on <see cref="LastContactAt"/>.</summary>
[ScopedBy(nameof(CompoundId))]
public sealed class ContactLink
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Guid SourcePersonId { get; set; }
    /// <summary>The compound of <see cref="PersonId"/> (the exposed person), for scope.</summary>
    public Guid CompoundId { get; set; }
    public DateTime? LastContactAt { get; set; }
    public string? Relation { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> b)
    {
        b.ToTable("People");
        b.Property(p => p.Name).HasMaxLength(50);
        b.Property(p => p.Gender).HasConversion<string>().HasMaxLength(10);
        b.Property(p => p.DocumentType).HasConversion<string>().HasMaxLength(20);
        b.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(p => p.Transport).HasConversion<string>().HasMaxLength(10);
        b.HasProtected("IdNumber", required: true, unique: true); // one record per real person
        // No index on the phone hash: nothing looks people up by their full phone number (the search uses the last 4, the
        // lookups the ID hash), and every new person would pay one more random-key index (R1: the import's inserts).
        b.HasProtected("Phone", indexHash: false);
        b.Property(p => p.Address).HasMaxLength(200);
        b.Property(p => p.TravelFrom).HasMaxLength(100);
        b.Property(p => p.TripNumber).HasMaxLength(30);
        b.Property(p => p.Companions).HasMaxLength(500);
        b.Property(p => p.TransferredTo).HasMaxLength(100);
        b.Property(p => p.TransferredBy).HasMaxLength(100);
        b.Property(p => p.Note).HasMaxLength(1000);
        // Name first for the prefix search; CompoundId beside it so the scope filter and the count need no row lookups.
        b.HasIndex(p => new { p.Name, p.CompoundId });
        b.HasIndex(p => new { p.CompoundId, p.Status, p.CategoryFlags }); // lists by status; the dashboard's people under watch by category
        b.Property(p => p.CategoryFlags).HasDefaultValue(0).ValueGeneratedNever();
        b.HasOne<Area>().WithMany().HasForeignKey(p => p.CompoundId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(p => p.CreatedBy).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class PersonCategoryConfiguration : IEntityTypeConfiguration<PersonCategoryRow>
{
    public void Configure(EntityTypeBuilder<PersonCategoryRow> b)
    {
        b.ToTable("PersonCategories");
        b.HasKey(c => new { c.PersonId, c.Category });
        b.Property(c => c.Category).HasConversion<string>().HasMaxLength(30);
        b.HasIndex(c => new { c.Category, c.PersonId });
        b.HasOne<Person>().WithMany().HasForeignKey(c => c.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ContactLinkConfiguration : IEntityTypeConfiguration<ContactLink>
{
    public void Configure(EntityTypeBuilder<ContactLink> b)
    {
        b.Property(c => c.Relation).HasMaxLength(100);
        b.HasIndex(c => new { c.PersonId, c.SourcePersonId }).IsUnique();
        b.HasIndex(c => c.SourcePersonId);
        b.HasOne<Person>().WithMany().HasForeignKey(c => c.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Person>().WithMany().HasForeignKey(c => c.SourcePersonId).OnDelete(DeleteBehavior.Restrict);
    }
}
