using EpiGrid.Data;
using EpiGrid.Features.Households;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.People;

/// <summary>
/// Registers a person under watch — the page, <c>POST /api/people</c>, a confirmed self-registration and the
/// building trace all come here. Every invalid field is named; nothing is stored on rejection. A document number
/// already registered is a <see cref="DuplicateException"/> (409): with the existing id when it is in the caller's
/// scope, otherwise only the community it belongs to.
/// </summary>
public sealed class RegisterPerson(AppDbContext db, PrivacyKit kit, OfficeClock clock, IHttpContextAccessor http, Tasks.AssignTasks tasks)
{
    public sealed record TravelInput(string? From, DateTimeOffset? LeftAt, DateTimeOffset? ArrivedAt, Transport? Transport, string? TripNumber, string? Companions);

    public sealed record Input(string? Name, Gender? Gender, DocumentType? DocumentType, string? IdNumber, string? Phone,
        Guid? CompoundId, Guid? HouseholdId, string? Address, PersonCategory[]? Categories, TravelInput? Travel, string? Note);

    public sealed class DuplicateException(Guid? existingId, string? ownerArea) : Exception("该证件号码已登记")
    {
        public Guid? ExistingId { get; } = existingId;
        public string? OwnerArea { get; } = ownerArea;
    }

    public sealed record Valid(string Name, Gender Gender, DocumentType DocumentType, string IdNumber, string? Phone, Area Compound,
        Guid? HouseholdId, string Address, PersonCategory[] Categories, TravelInput? Travel, string? Note);

    /// <summary>Checks every field; throws with all the errors at once.</summary>
    public async Task<Valid> ValidateAsync(Input input, CancellationToken ct = default)
    {
        var errors = new Errors();
        var name = errors.Text("name", input.Name, 50);
        var gender = errors.Required("gender", input.Gender);
        var docType = input.DocumentType ?? People.DocumentType.ResidentId;
        string? idNumber = null;
        if (string.IsNullOrWhiteSpace(input.IdNumber)) errors.Add("idNumber", "必填");
        else if (docType == People.DocumentType.ResidentId)
        {
            idNumber = IdNumber.Normalize(input.IdNumber, clock.Today, out var why);
            if (idNumber is null) errors.Add("idNumber", why!);
            else if (gender is { } g && IdNumber.IsMale(idNumber) != (g == People.Gender.Male))
            {
                errors.Add("gender", "性别与身份证号码不符（第 17 位奇数为男、偶数为女）");
            }
        }
        else
        {
            idNumber = errors.Text("idNumber", input.IdNumber, 30)?.ToUpperInvariant();
            if (idNumber is not null && !idNumber.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')) { errors.Add("idNumber", "证件号码只能包含字母、数字和 -"); idNumber = null; }
        }
        string? phone = null;
        if (string.IsNullOrWhiteSpace(input.Phone)) errors.Add("phone", "必填");
        else if ((phone = Phone.Validate(input.Phone)) is null) errors.Add("phone", "电话号码格式不正确（手机 11 位，或区号-号码）");

        Area? compound = null;
        if (input.CompoundId is not { } cid) errors.Add("compoundId", "必填");
        else
        {
            compound = await db.Areas.AsNoTracking().FirstOrDefaultAsync(a => a.Id == cid && a.Kind == AreaKind.Compound, ct);
            if (compound is null) errors.Add("compoundId", "小区不存在或不在您的辖区内");
        }
        if (input.HouseholdId is { } hid && compound is not null
            && !await db.Set<Household>().AnyAsync(h => h.Id == hid && h.CompoundId == compound.Id, ct))
        {
            errors.Add("householdId", "该户不存在，或不在所选小区");
        }
        var address = errors.Text("address", input.Address, 200);
        var categories = (input.Categories ?? []).Distinct().ToArray();
        if (input.Categories is null) errors.Add("categories", "必填（至少一类）");
        else if (categories.Length == 0) errors.Add("categories", "至少选择一类人员");
        var note = errors.Text("note", input.Note, 1000, required: false, multiline: true);

        TravelInput? travel = null;
        if (input.Travel is { } t)
        {
            var from = errors.Text("travel.from", t.From, 100, required: false);
            var trip = errors.Text("travel.tripNumber", t.TripNumber, 30, required: false);
            var companions = errors.Text("travel.companions", t.Companions, 500, required: false, multiline: true);
            var now = clock.UtcNow;
            if (t.LeftAt is { } l && l.UtcDateTime > now.AddHours(1)) errors.Add("travel.leftAt", "离开时间不能在未来");
            if (t.ArrivedAt is { } a && a.UtcDateTime > now.AddHours(1)) errors.Add("travel.arrivedAt", "到达时间不能在未来");
            if (t.LeftAt is { } l2 && t.ArrivedAt is { } a2 && a2 < l2) errors.Add("travel.arrivedAt", "到达时间早于离开时间");
            if (t.LeftAt is { } l3 && l3.Year < 2019) errors.Add("travel.leftAt", "日期不合理");
            travel = t with { From = from, TripNumber = trip?.ToUpperInvariant(), Companions = companions };
        }
        errors.Throw();
        return new Valid(name!, gender!.Value, docType, idNumber!, phone, compound!, input.HouseholdId, address!, categories, travel, note);
    }

    /// <summary>Throws <see cref="DuplicateException"/> when the number is already registered.</summary>
    public Task CheckDuplicateAsync(string idNumber, CancellationToken ct = default) =>
        CheckDuplicateHashAsync(kit.LookupHash(ProtectedKind.IdNumber, idNumber), ct);

    /// <summary>The same rule by the number's lookup hash (a self-registration keeps only the hash and the cipher).</summary>
    public async Task CheckDuplicateHashAsync(string hash, CancellationToken ct = default)
    {
        var existing = await db.Set<Person>().AsNoTracking().Where(p => p.IdNumberHash == hash).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct);
        if (existing is not null) throw new DuplicateException(existing, null);
        // Out of the caller's scope: say only which community has it.
        if ((await OwnerAreasAsync(db, [hash], ct)).TryGetValue(hash, out var community)) throw new DuplicateException(null, community);
    }

    /// <summary>
    /// The duplicate rule's answer for people registered out of the caller's scope: by ID number hash, the name of the
    /// community each is registered in ("其他辖区" when it has none) — that and nothing more of them. Hashes of no registered
    /// person are left out. Also what an import tells about a listed person registered elsewhere (ReviewImport).
    /// </summary>
    public static async Task<Dictionary<string, string>> OwnerAreasAsync(AppDbContext db, IReadOnlyCollection<string> idNumberHashes, CancellationToken ct = default)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        if (idNumberHashes.Count == 0) return owners;
        var people = await db.Set<Person>().IgnoreQueryFilters().AsNoTracking().Where(p => idNumberHashes.Contains(p.IdNumberHash))
            .Select(p => new { p.IdNumberHash, p.CompoundId }).ToListAsync(ct);
        var compoundIds = people.Select(p => p.CompoundId).Distinct().ToList();
        var communities = await db.Areas.IgnoreQueryFilters().AsNoTracking().Where(c => compoundIds.Contains(c.Id))
            .Join(db.Areas.IgnoreQueryFilters(), c => c.ParentId, p => p.Id, (c, p) => new { c.Id, p.Name }).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        foreach (var p in people) owners.TryAdd(p.IdNumberHash, communities.GetValueOrDefault(p.CompoundId) ?? "其他辖区");
        return owners;
    }

    public async Task<Person> RegisterAsync(Input input, CancellationToken ct = default)
    {
        var v = await ValidateAsync(input, ct);
        await CheckDuplicateAsync(v.IdNumber, ct);
        var person = await CreateAsync(v, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Registered by someone else a moment ago (the hash is unique): the same answer as above.
            db.ChangeTracker.Clear();
            await CheckDuplicateAsync(v.IdNumber, ct);
            throw;
        }
        return person;
    }

    /// <summary>Adds the person, their categories and their verification task to the unit of work, without saving.</summary>
    public async Task<Person> CreateAsync(Valid v, CancellationToken ct = default)
    {
        var person = Create(v);
        await tasks.AddVerificationAsync(person, ct);
        return person;
    }

    private Person Create(Valid v)
    {
        var now = clock.UtcNow;
        var person = new Person
        {
            Name = v.Name, Gender = v.Gender, DocumentType = v.DocumentType, CompoundId = v.Compound.Id, HouseholdId = v.HouseholdId,
            Address = v.Address, Note = v.Note, CreatedAt = now, UpdatedAt = now,
            CreatedBy = http.HttpContext?.User.UserId() is { } u && u != Guid.Empty ? u : null,
            TravelFrom = v.Travel?.From, LeftAt = v.Travel?.LeftAt?.UtcDateTime, ArrivedAt = v.Travel?.ArrivedAt?.UtcDateTime,
            Transport = v.Travel?.Transport, TripNumber = v.Travel?.TripNumber, Companions = v.Travel?.Companions,
        };
        person.SetIdNumber(kit.Protect(ProtectedKind.IdNumber, v.IdNumber));
        person.SetPhone(kit.Protect(ProtectedKind.Phone, v.Phone));
        db.Add(person);
        db.AddRange(v.Categories.Select(c => new PersonCategoryRow { PersonId = person.Id, Category = c }));
        return person;
    }
}
