using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Features.People;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Households;

/// <summary>Keeping the household register: households, their residents, and screening visits (逐户排查).</summary>
public sealed class KeepRegister(AppDbContext db, PrivacyKit kit, OfficeClock clock, IHttpContextAccessor http)
{
    public sealed record HouseholdInput(Guid? CompoundId, Guid? BuildingId, string? Unit, string? Room, bool? Rented, string? Note);
    public sealed record ResidentInput(string? Name, string? Relation, Gender? Gender, string? IdNumber, string? Phone, ResidenceType? Type);
    public sealed record VisitInput(ScreeningOutcome? Outcome, int? Occupants, DateTimeOffset? VisitedAt, string? Note);

    public async Task<Household> CreateHouseholdAsync(HouseholdInput input, CancellationToken ct = default)
    {
        var errors = new Errors();
        var (compoundId, buildingId, unit, room) = await CheckPlaceAsync(input, errors, ct);
        var note = errors.Text("note", input.Note, 500, required: false, multiline: true);
        if (!errors.Any && await db.Set<Household>().IgnoreQueryFilters().AnyAsync(h => h.CompoundId == compoundId && h.BuildingId == buildingId && h.Unit == unit && h.Room == room, ct))
        {
            errors.Add("room", "该户已在登记册中");
        }
        errors.Throw();
        var h = new Household { CompoundId = compoundId, BuildingId = buildingId, Unit = unit, Room = room, Rented = input.Rented == true, Note = note, CreatedAt = clock.UtcNow };
        db.Add(h);
        await db.SaveChangesAsync(ct);
        return h;
    }

    internal async Task<(Guid Compound, Guid? Building, string Unit, string Room)> CheckPlaceAsync(HouseholdInput input, Errors errors, CancellationToken ct)
    {
        var compoundId = errors.Required("compoundId", input.CompoundId);
        if (compoundId is { } c && !await db.Areas.AnyAsync(a => a.Id == c && a.Kind == AreaKind.Compound, ct)) { errors.Add("compoundId", "小区不存在或不在您的辖区内"); compoundId = null; }
        if (input.BuildingId is { } b && compoundId is { } cc && !await db.Areas.AnyAsync(a => a.Id == b && a.Kind == AreaKind.Building && a.ParentId == cc, ct))
        {
            errors.Add("buildingId", "楼栋不存在，或不属于该小区");
        }
        var unit = errors.Text("unit", input.Unit, 20, required: false) ?? "";
        var room = errors.Text("room", input.Room, 20) ?? "";
        return (compoundId ?? Guid.Empty, input.BuildingId, unit, room);
    }

    public Resident ValidateResident(ResidentInput input, Guid householdId, Guid compoundId, Errors errors, string prefix = "")
    {
        var name = errors.Text(prefix + "name", input.Name, 50);
        var relation = errors.Text(prefix + "relation", input.Relation, 20, required: false) ?? "";
        var gender = errors.Required(prefix + "gender", input.Gender);
        string? id = null;
        if (!string.IsNullOrWhiteSpace(input.IdNumber))
        {
            id = IdNumber.Normalize(input.IdNumber, clock.Today, out var why);
            if (id is null) errors.Add(prefix + "idNumber", why!);
        }
        string? phone = null;
        if (!string.IsNullOrWhiteSpace(input.Phone) && (phone = Phone.Validate(input.Phone)) is null) errors.Add(prefix + "phone", "电话号码格式不正确");
        var r = new Resident { HouseholdId = householdId, CompoundId = compoundId, Name = name ?? "", Relation = relation, Gender = gender ?? Gender.Male, Type = input.Type ?? ResidenceType.Resident };
        if (id is not null) r.SetIdNumber(kit.Protect(ProtectedKind.IdNumber, id));
        if (phone is not null) r.SetPhone(kit.Protect(ProtectedKind.Phone, phone));
        return r;
    }

    public async Task<Resident?> AddResidentAsync(Guid householdId, ResidentInput input, CancellationToken ct = default)
    {
        var h = await db.Set<Household>().FirstOrDefaultAsync(x => x.Id == householdId, ct);
        if (h is null) return null;
        var errors = new Errors();
        var r = ValidateResident(input, h.Id, h.CompoundId, errors);
        errors.Throw();
        if (r.IdNumberHash is { } hash && await db.Set<Resident>().AnyAsync(x => x.HouseholdId == h.Id && x.IdNumberHash == hash && !x.MovedOut, ct))
        {
            new Errors().Add("idNumber", "此人已是该户成员").Throw();
        }
        db.Add(r);
        await db.SaveChangesAsync(ct);
        return r;
    }

    public async Task<ScreeningVisit?> RecordVisitAsync(Guid householdId, VisitInput input, CancellationToken ct = default)
    {
        var h = await db.Set<Household>().FirstOrDefaultAsync(x => x.Id == householdId, ct);
        if (h is null) return null;
        var errors = new Errors();
        var outcome = errors.Required("outcome", input.Outcome);
        if (input.Occupants is < 0 or > 50) errors.Add("occupants", "在住人数应在 0 到 50 之间");
        var note = errors.Text("note", input.Note, 500, required: false, multiline: true);
        var at = input.VisitedAt?.UtcDateTime ?? clock.UtcNow;
        if (at > clock.UtcNow.AddMinutes(10)) errors.Add("visitedAt", "走访时间不能在未来");
        if (at < clock.UtcNow.AddDays(-30)) errors.Add("visitedAt", "只能补录 30 天内的走访");
        errors.Throw();
        var v = new ScreeningVisit
        {
            HouseholdId = h.Id, CompoundId = h.CompoundId, VisitedAt = at, ByUserId = http.HttpContext!.User.UserId(),
            Outcome = outcome!.Value, Occupants = input.Occupants ?? 0, Note = note,
        };
        db.Add(v);
        if (h.LastScreenedAt is null || h.LastScreenedAt < at) h.LastScreenedAt = at;
        await db.SaveChangesAsync(ct);
        return v;
    }
}
