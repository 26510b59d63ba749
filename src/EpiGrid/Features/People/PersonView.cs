using EpiGrid.Data;
using EpiGrid.Features.Households;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.People;

/// <summary>A person as the API and the record page show them: masked numbers only.</summary>
public sealed record PersonView(Guid Id, string Name, Gender Gender, DocumentType DocumentType, string IdNumberMasked, string? PhoneMasked,
    Guid CompoundId, string CompoundName, string CommunityName, Guid? HouseholdId, string Address, PersonCategory[] Categories, PersonStatus Status,
    PersonView.TravelView? Travel, PersonView.TransferView? Transfer, string? Note, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public sealed record TravelView(string? From, DateTimeOffset? LeftAt, DateTimeOffset? ArrivedAt, Transport? Transport, string? TripNumber, string? Companions);
    public sealed record TransferView(DateTimeOffset At, string To, string? By);

    public static async Task<PersonView?> LoadAsync(AppDbContext db, OfficeClock clock, Guid id, CancellationToken ct = default)
    {
        var p = await db.Set<Person>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (p is null) return null;
        var categories = await db.Set<PersonCategoryRow>().AsNoTracking().Where(c => c.PersonId == id).Select(c => c.Category).ToListAsync(ct);
        var compound = await db.Areas.AsNoTracking().Where(a => a.Id == p.CompoundId).Select(a => new { a.Name, a.ParentId }).FirstAsync(ct);
        var community = await db.Areas.IgnoreQueryFilters().AsNoTracking().Where(a => a.Id == compound.ParentId).Select(a => a.Name).FirstOrDefaultAsync(ct);
        DateTimeOffset? At(DateTime? d) => d is { } v ? clock.WithOffset(v) : null;
        var travel = p.TravelFrom is null && p.LeftAt is null && p.ArrivedAt is null && p.TripNumber is null ? null
            : new TravelView(p.TravelFrom, At(p.LeftAt), At(p.ArrivedAt), p.Transport, p.TripNumber, p.Companions);
        var transfer = p.TransferredAt is { } t ? new TransferView(clock.WithOffset(t), p.TransferredTo ?? "", p.TransferredBy) : null;
        return new PersonView(p.Id, p.Name, p.Gender, p.DocumentType, p.IdNumberMasked, p.PhoneMasked, p.CompoundId, compound.Name, community ?? "",
            p.HouseholdId, p.Address, [.. categories.Order()], p.Status, travel, transfer, p.Note, clock.WithOffset(p.CreatedAt), clock.WithOffset(p.UpdatedAt));
    }
}
