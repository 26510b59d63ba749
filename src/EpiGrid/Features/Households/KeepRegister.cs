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
    /// <summary>The office-local day of a move-out or a deregistration; today when left out.</summary>
    public sealed record DateInput(DateOnly? Date);

    /// <summary>How far back a move-out or deregistration may be dated.</summary>
    public const int MaxBackdateDays = 365;
    public const string Deregistered = "该户已注销";

    public async Task<Household> CreateHouseholdAsync(HouseholdInput input, CancellationToken ct = default)
    {
        var errors = new Errors();
        var (compoundId, buildingId, unit, room) = await CheckPlaceAsync(input, errors, ct);
        var note = errors.Text("note", input.Note, 500, required: false, multiline: true);
        if (!errors.Any && await db.Set<Household>().IgnoreQueryFilters().Where(h => h.CompoundId == compoundId && h.BuildingId == buildingId && h.Unit == unit && h.Room == room)
                .Select(h => new { h.DeregisteredAt }).FirstOrDefaultAsync(ct) is { } existing)
        {
            errors.Add("room", existing.DeregisteredAt is null ? "该户已在登记册中" : "该户已注销：如有人入住，请在该户页面撤销注销");
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
        if (h.DeregisteredAt is not null) throw new InvalidStepException(Deregistered + "，请先撤销注销再添加居民");
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
        if (h.DeregisteredAt is not null) throw new InvalidStepException(Deregistered + "，不再排查");
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

    /// <summary>The start (UTC) of the day given, today when none; a day in the future or more than a year back → 400.</summary>
    private DateTime Day(DateOnly? date, string what)
    {
        var day = date ?? clock.Today;
        var errors = new Errors();
        if (day > clock.Today) errors.Add("date", what + "日期不能在未来");
        else if (day < clock.Today.AddDays(-MaxBackdateDays)) errors.Add("date", $"只能补录 {MaxBackdateDays} 天内的{what}");
        errors.Throw();
        return clock.StartOfDayUtc(day);
    }

    /// <summary>A resident moves out (迁出): no longer counted in the household, nor found at the gate; retention deletes the
    /// row <c>ResidentDays</c> after that day, or after the step was recorded when that is later. null when the household or the resident is not in the caller's scope (404).</summary>
    public async Task<Resident?> MoveOutAsync(Guid householdId, Guid residentId, DateInput input, CancellationToken ct = default)
    {
        var r = await db.Set<Resident>().FirstOrDefaultAsync(x => x.Id == residentId && x.HouseholdId == householdId, ct);
        if (r is null) return null;
        var at = Day(input.Date, "迁出");
        if (r.MovedOut) throw new InvalidStepException("此人已迁出");
        r.MovedOut = true;
        r.MovedOutAt = at;
        r.MovedOutRecordedAt = clock.UtcNow;
        await db.SaveChangesAsync(ct);
        return r;
    }

    /// <summary>Undoes a move-out (a mistake, or the person came back) while retention has not deleted the row.</summary>
    public async Task<Resident?> UndoMoveOutAsync(Guid householdId, Guid residentId, CancellationToken ct = default)
    {
        var r = await db.Set<Resident>().FirstOrDefaultAsync(x => x.Id == residentId && x.HouseholdId == householdId, ct);
        if (r is null) return null;
        if (!r.MovedOut) throw new InvalidStepException("此人未迁出");
        if (await db.Set<Household>().AnyAsync(h => h.Id == householdId && h.DeregisteredAt != null, ct))
        {
            throw new InvalidStepException(Deregistered + "，请先撤销注销");
        }
        if (r.IdNumberHash is { } hash && await db.Set<Resident>().AnyAsync(x => x.HouseholdId == householdId && x.Id != r.Id && x.IdNumberHash == hash && !x.MovedOut, ct))
        {
            throw new InvalidStepException("此人已重新登记为该户成员");
        }
        r.MovedOut = false;
        r.MovedOutAt = null;
        r.MovedOutRecordedAt = null;
        await db.SaveChangesAsync(ct);
        return r;
    }

    /// <summary>
    /// Deregisters a household (注销): everyone still living there moves out on that day and its pass card in force is
    /// revoked. It leaves the lists and the coverage; retention removes its residents, note and address
    /// <c>ResidentDays</c> after that day, or after the step was recorded when that is later. null when not in the caller's scope (404).
    /// </summary>
    public async Task<Household?> DeregisterAsync(Guid householdId, DateInput input, CancellationToken ct = default)
    {
        var h = await db.Set<Household>().FirstOrDefaultAsync(x => x.Id == householdId, ct);
        if (h is null) return null;
        var at = Day(input.Date, "注销");
        if (h.DeregisteredAt is not null) throw new InvalidStepException(Deregistered);
        h.DeregisteredAt = at;
        h.DeregisteredRecordedAt = clock.UtcNow;
        foreach (var r in await db.Set<Resident>().Where(x => x.HouseholdId == h.Id && !x.MovedOut).ToListAsync(ct))
        {
            r.MovedOut = true;
            r.MovedOutAt = at;
            r.MovedOutRecordedAt = clock.UtcNow;
        }
        var me = http.HttpContext?.User.UserId() is { } u && u != Guid.Empty ? u : (Guid?)null;
        foreach (var card in await db.Set<PassCards.PassCard>().Where(c => c.HouseholdId == h.Id && c.RevokedAt == null).ToListAsync(ct))
        {
            card.RevokedAt = clock.UtcNow;
            card.RevokedBy = me;
            card.RevokeReason = "户已注销";
        }
        await db.SaveChangesAsync(ct);
        return h;
    }

    /// <summary>Undoes a deregistration while retention has not emptied the household. Its residents stay moved out (each
    /// can be undone) and its revoked card stays revoked (a new one is issued).</summary>
    public async Task<Household?> UndoDeregisterAsync(Guid householdId, CancellationToken ct = default)
    {
        var h = await db.Set<Household>().FirstOrDefaultAsync(x => x.Id == householdId, ct);
        if (h is null) return null;
        if (h.PurgedAt is not null) throw new InvalidStepException("该户注销已超过保存期限，登记信息已清除，不能撤销；请重新添加住户");
        if (h.DeregisteredAt is null) throw new InvalidStepException("该户未注销");
        h.DeregisteredAt = null;
        h.DeregisteredRecordedAt = null;
        await db.SaveChangesAsync(ct);
        return h;
    }
}
