using EpiGrid.Data;
using EpiGrid.Features.Households;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.People;

/// <summary>
/// What a confirmed or suspected case changes: the person's transfer (转运) is recorded, and the residents of
/// their building become close contacts to trace, in one action.
/// </summary>
public sealed class CaseActions(AppDbContext db, OfficeClock clock, PrivacyKit kit, RegisterPerson register)
{
    public sealed record TransferInput(DateTimeOffset? At, string? To, string? By);
    public sealed record TraceInput(DateTimeOffset? LastContactAt);
    public sealed record TraceResult(int Created, int Linked, int WithoutIdNumber, string Building);

    public async Task<Person?> TransferAsync(Guid id, TransferInput input, CancellationToken ct = default)
    {
        var p = await db.Set<Person>().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (p is null) return null;
        var errors = new Errors();
        var to = errors.Text("to", input.To, 100);
        var by = errors.Text("by", input.By, 100, required: false);
        if (input.At is { } at && at.UtcDateTime > clock.UtcNow.AddHours(1)) errors.Add("at", "转运时间不能在未来");
        errors.Throw();
        p.TransferredAt = input.At?.UtcDateTime ?? clock.UtcNow;
        p.TransferredTo = to;
        p.TransferredBy = by;
        p.Status = PersonStatus.Transferred;
        p.UpdatedAt = clock.UtcNow;
        await db.SaveChangesAsync(ct);
        return p;
    }

    /// <summary>Every resident of the case's building becomes a close contact linked to the case. 409 when the person is not a case or has no building.</summary>
    public async Task<TraceResult?> TraceBuildingAsync(Guid id, TraceInput input, CancellationToken ct = default)
    {
        var p = await db.Set<Person>().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (p is null) return null;
        var isCase = await db.Set<PersonCategoryRow>().AnyAsync(c => c.PersonId == id && (c.Category == PersonCategory.Confirmed || c.Category == PersonCategory.Suspected), ct);
        if (!isCase) throw new InvalidStepException("只有确诊或疑似病例可以追踪同楼栋居民");
        var household = p.HouseholdId is { } h ? await db.Set<Household>().FirstOrDefaultAsync(x => x.Id == h, ct) : null;
        if (household?.BuildingId is not { } buildingId) throw new InvalidStepException("该人员未关联到有楼栋的住户，无法追踪同楼栋居民");
        if (input.LastContactAt is { } lc && lc.UtcDateTime > clock.UtcNow.AddHours(1))
        {
            new Errors().Add("lastContactAt", "接触时间不能在未来").Throw();
        }
        var building = await db.Areas.Where(a => a.Id == buildingId).Select(a => a.Name).FirstAsync(ct);
        var compound = await db.Areas.FirstAsync(a => a.Id == p.CompoundId, ct);
        var residents = await db.Set<Resident>().Where(r => !r.MovedOut && db.Set<Household>().Any(x => x.Id == r.HouseholdId && x.BuildingId == buildingId)).ToListAsync(ct);
        var lastContact = input.LastContactAt?.UtcDateTime ?? clock.UtcNow;
        int created = 0, linked = 0, without = 0;
        // Everything the loop needs, in one query each (no query per resident). People are looked up across scope:
        // a neighbour already registered by another community is linked, never registered twice.
        var hashes = residents.Where(r => !string.IsNullOrEmpty(r.IdNumberHash)).Select(r => r.IdNumberHash!).Distinct().ToList();
        var known = await db.Set<Person>().IgnoreQueryFilters().Where(x => hashes.Contains(x.IdNumberHash)).ToDictionaryAsync(x => x.IdNumberHash, ct);
        var knownIds = known.Values.Select(x => x.Id).ToList();
        var contacts = (await db.Set<PersonCategoryRow>().Where(c => knownIds.Contains(c.PersonId) && c.Category == PersonCategory.CloseContact)
            .Select(c => c.PersonId).ToListAsync(ct)).ToHashSet();
        var linkedAlready = (await db.Set<ContactLink>().IgnoreQueryFilters().Where(l => l.SourcePersonId == p.Id)
            .Select(l => l.PersonId).ToListAsync(ct)).ToHashSet();
        var householdIds = residents.Select(r => r.HouseholdId).Distinct().ToList();
        var households = await db.Set<Household>().Where(x => householdIds.Contains(x.Id)).ToDictionaryAsync(x => x.Id, ct);
        foreach (var r in residents)
        {
            if (string.IsNullOrEmpty(r.IdNumberCipher)) { without++; continue; }
            var target = known.GetValueOrDefault(r.IdNumberHash!);
            if (target?.Id == p.Id) continue;
            if (target is null)
            {
                var hh = households[r.HouseholdId];
                var v = new RegisterPerson.Valid(r.Name, r.Gender, DocumentType.ResidentId, kit.Reveal(ProtectedKind.IdNumber, r.IdNumberCipher, db),
                    r.PhoneCipher is { Length: > 0 } pc ? kit.Reveal(ProtectedKind.Phone, pc, db) : null, compound, r.HouseholdId,
                    $"{compound.Name} {Household.Label(building, hh.Unit, hh.Room)}", [PersonCategory.CloseContact], null, $"由病例 {p.Name} 同楼栋追踪生成");
                target = await register.CreateAsync(v, ct);
                known[r.IdNumberHash!] = target; // the same person twice in the building: once
                r.PersonId = target.Id;
                created++;
            }
            else
            {
                if (contacts.Add(target.Id)) db.Add(new PersonCategoryRow { PersonId = target.Id, Category = PersonCategory.CloseContact });
                linked++;
            }
            if (linkedAlready.Add(target.Id))
            {
                db.Add(new ContactLink { PersonId = target.Id, SourcePersonId = p.Id, CompoundId = target.CompoundId, LastContactAt = lastContact, Relation = $"同楼栋（{building}）", CreatedAt = clock.UtcNow });
            }
        }
        await db.SaveChangesAsync(ct);
        return new TraceResult(created, linked, without, building);
    }
}
