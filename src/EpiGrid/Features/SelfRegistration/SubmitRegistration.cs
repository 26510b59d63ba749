using System.Security.Cryptography;
using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Features.People;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.SelfRegistration;

/// <summary>
/// The public returnee form: validated like any registration, stored as pending, answered with a reference
/// number only — never whether the person was already known. The grid worker confirms (→ a person under watch,
/// or a link to the existing record) or rejects it.
/// </summary>
public sealed class SubmitRegistration(AppDbContext db, PrivacyKit kit, OfficeClock clock, RegisterPerson register, IHttpContextAccessor http)
{
    public sealed record Input(string? Name, Gender? Gender, string? IdNumber, string? Phone, string? Address, string? TravelFrom,
        DateTimeOffset? LeftAt, DateTimeOffset? ArrivedAt, Transport? Transport, string? TripNumber, string? Companions,
        bool? ContactWithCases, string? Symptoms, bool? Consent);

    public sealed record ConfirmInput(Guid? CompoundId, string? Note);
    public sealed record RejectInput(string? Reason);

    /// <summary>The outcome of a confirmation: the person in the caller's scope, or — registered by a community outside it —
    /// only that community's name, as the duplicate rule answers (<see cref="RegisterPerson.DuplicateException"/>).</summary>
    public sealed record Confirmed(Guid? PersonId, string? OwnerArea);

    /// <summary>The community by its 12-digit code, whatever the caller's scope (the page is public).</summary>
    public Task<Area?> CommunityAsync(string code, CancellationToken ct = default) =>
        db.Areas.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(a => a.Code == code && (a.Kind == AreaKind.Community || a.Kind == AreaKind.Village), ct);

    public async Task<string> SubmitAsync(Area community, Input input, CancellationToken ct = default)
    {
        var errors = new Errors();
        if (input.Consent != true) errors.Add("consent", "请阅读并同意个人信息收集说明");
        var name = errors.Text("name", input.Name, 50);
        var gender = errors.Required("gender", input.Gender);
        string? id = null;
        if (string.IsNullOrWhiteSpace(input.IdNumber)) errors.Add("idNumber", "必填");
        else if ((id = IdNumber.Normalize(input.IdNumber, clock.Today, out var why)) is null) errors.Add("idNumber", why!);
        string? phone = null;
        if (string.IsNullOrWhiteSpace(input.Phone)) errors.Add("phone", "必填");
        else if ((phone = Phone.Validate(input.Phone)) is null) errors.Add("phone", "电话号码格式不正确");
        var address = errors.Text("address", input.Address, 200);
        var from = errors.Text("travelFrom", input.TravelFrom, 100);
        var trip = errors.Text("tripNumber", input.TripNumber, 30, required: false);
        var companions = errors.Text("companions", input.Companions, 500, required: false, multiline: true);
        var symptoms = errors.Text("symptoms", input.Symptoms, 200, required: false);
        if (input.ArrivedAt is null) errors.Add("arrivedAt", "必填");
        if (input.ArrivedAt is { } a && a.UtcDateTime > clock.UtcNow.AddHours(1)) errors.Add("arrivedAt", "到达时间不能在未来");
        if (input.LeftAt is { } l && input.ArrivedAt is { } a2 && a2 < l) errors.Add("arrivedAt", "到达时间早于离开时间");
        errors.Throw();

        var r = new PendingRegistration
        {
            Reference = NewReference(), CommunityId = community.Id, Name = name!, Gender = gender!.Value, Address = address!,
            TravelFrom = from, LeftAt = input.LeftAt?.UtcDateTime, ArrivedAt = input.ArrivedAt?.UtcDateTime, Transport = input.Transport,
            TripNumber = trip?.ToUpperInvariant(), Companions = companions, ContactWithCases = input.ContactWithCases == true, Symptoms = symptoms,
            SubmittedAt = clock.UtcNow, Status = RegistrationStatus.Pending,
        };
        r.SetIdNumber(kit.Protect(ProtectedKind.IdNumber, id));
        r.SetPhone(kit.Protect(ProtectedKind.Phone, phone));
        db.Add(r);
        await db.SaveChangesAsync(ct);
        return r.Reference;
    }

    // Not guessable, not sequential: a reference must not tell how many others registered.
    private static string NewReference() =>
        "DJ" + string.Concat(RandomNumberGenerator.GetItems<char>("ABCDEFGHJKLMNPQRSTUVWXYZ23456789".AsSpan(), 10));

    /// <summary>Confirms a pending registration: a person under watch (Returnee) in the chosen compound, or the existing record.</summary>
    public async Task<Confirmed?> ConfirmAsync(Guid id, ConfirmInput input, CancellationToken ct = default)
    {
        try
        {
            return await ConfirmOnceAsync(id, input, ct);
        }
        catch (DbUpdateException)
        {
            // The same person was registered a moment ago (by another registration's confirmation, an import or the
            // form; the ID hash is unique): confirm again, which now links to that record as the duplicate rule says.
            db.ChangeTracker.Clear();
            return await ConfirmOnceAsync(id, input, ct);
        }
    }

    private async Task<Confirmed?> ConfirmOnceAsync(Guid id, ConfirmInput input, CancellationToken ct)
    {
        var r = await db.Set<PendingRegistration>().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null) return null;
        if (r.Status != RegistrationStatus.Pending) throw new InvalidStepException("该登记已处理");
        var errors = new Errors();
        var compoundId = errors.Required("compoundId", input.CompoundId);
        if (compoundId is { } c && !await db.Areas.AnyAsync(a => a.Id == c && a.ParentId == r.CommunityId && a.Kind == AreaKind.Compound, ct))
        {
            errors.Add("compoundId", "请选择本社区/村的小区");
        }
        var note = errors.Text("note", input.Note, 500, required: false, multiline: true);
        errors.Throw();
        Guid personId;
        string? ownerArea = null;
        RegisterPerson.DuplicateException? duplicate = null;
        try { await register.CheckDuplicateHashAsync(r.IdNumberHash, ct); }
        catch (RegisterPerson.DuplicateException d) { duplicate = d; }
        if (duplicate is not null)
        {
            // Already registered: link, never duplicate. Outside the caller's scope the answer names only the community;
            // the link is kept for the record (the list shows it only to those who may see the person).
            ownerArea = duplicate.OwnerArea;
            personId = duplicate.ExistingId ?? await db.Set<Person>().IgnoreQueryFilters().Where(p => p.IdNumberHash == r.IdNumberHash)
                .Select(p => p.Id).FirstAsync(ct);
        }
        else
        {
            var compound = await db.Areas.FirstAsync(a => a.Id == compoundId, ct);
            var v = new RegisterPerson.Valid(r.Name, r.Gender, DocumentType.ResidentId, kit.Reveal(ProtectedKind.IdNumber, r.IdNumberCipher, db),
                kit.Reveal(ProtectedKind.Phone, r.PhoneCipher, db), compound, null, r.Address,
                r.ContactWithCases ? [PersonCategory.Returnee, PersonCategory.CloseContact] : [PersonCategory.Returnee],
                new RegisterPerson.TravelInput(r.TravelFrom, r.LeftAt is { } l ? clock.WithOffset(l) : null, r.ArrivedAt is { } a ? clock.WithOffset(a) : null,
                    r.Transport, r.TripNumber, r.Companions),
                string.Join("；", new[] { $"自主登记 {r.Reference}", r.Symptoms is null ? null : $"自述症状：{r.Symptoms}", note }.Where(x => x is not null)));
            personId = (await register.CreateAsync(v, ct)).Id;
        }
        r.Status = RegistrationStatus.Confirmed;
        r.PersonId = personId;
        r.ReviewedAt = clock.UtcNow;
        r.ReviewedBy = http.HttpContext?.User.UserId();
        r.ReviewNote = note;
        await db.SaveChangesAsync(ct);
        return ownerArea is null ? new Confirmed(personId, null) : new Confirmed(null, ownerArea);
    }

    public async Task<bool> RejectAsync(Guid id, RejectInput input, CancellationToken ct = default)
    {
        var r = await db.Set<PendingRegistration>().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null) return false;
        if (r.Status != RegistrationStatus.Pending) throw new InvalidStepException("该登记已处理");
        var errors = new Errors();
        var reason = errors.Text("reason", input.Reason, 500);
        errors.Throw();
        r.Status = RegistrationStatus.Rejected;
        r.ReviewedAt = clock.UtcNow;
        r.ReviewedBy = http.HttpContext?.User.UserId();
        r.ReviewNote = reason;
        await db.SaveChangesAsync(ct);
        return true;
    }
}
