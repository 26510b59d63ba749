using EpiGrid.Data;
using EpiGrid.Features.Alerts;
using EpiGrid.Features.Households;
using EpiGrid.Features.Observation;
using EpiGrid.Features.OrgTree;
using EpiGrid.Features.People;
using EpiGrid.Features.Tasks;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Gates;

/// <summary>
/// Registers one passer at a gate (docs/api.md, "Gates"). Idempotent on clientId. At ≥ 37.3 °C (decimal) the pass is a
/// fever: a resident is reported (Fever alert) and gets a follow-up task (registered as a person under watch if they
/// were not one); a visitor is refused. A person with an active quarantine order raises QuarantineBreach. An Out pass
/// at a Closed gate needs an approval reason.
/// The common pass (no fever, nobody under an order) goes to <see cref="PassWriter"/>'s group commit; the others take
/// the full path below, with their alerts and tasks in one EF transaction (ADR-010).
/// </summary>
public sealed class RecordPass(IServiceProvider services, OfficeClock clock, TimeProvider time, IHttpContextAccessor http, PrivacyKit kit,
    IOptions<ObservationOptions> options, IOptions<EpiGridOptions> settings, GateDirectory gates, PassWriter writer, DataScope scope)
{
    // The common pass never touches EF on the request: the context (and the task service that needs it) is made only
    // for the full path, a retry or a cache refresh.
    private AppDbContext? _db;
    private AppDbContext db => _db ??= services.GetRequiredService<AppDbContext>();
    private AssignTasks tasks => services.GetRequiredService<AssignTasks>();

    public const decimal FeverThreshold = ObservePerson.FeverThreshold;

    public sealed record VisitorInput(string? Name, string? Phone, string? IdNumber, string? From, string? To);
    public sealed record PassInput(Guid? ClientId, PassDirection? Direction, decimal? Temperature, DateTimeOffset? TakenAt,
        Guid? PersonId, VisitorInput? Visitor, string? Plate, PassOutcome? Outcome, string? ApprovalReason,
        Guid? PassCardId = null); // G2: the pass card shown, checked by PassCards.GateCards.CheckCardAsync before RecordAsync
    /// <summary>The pass, stored now (Created) or before (a retry). Pass null: the writer did not take it or did not commit it in
    /// time (503); <see cref="Unavailable"/> says which.</summary>
    public sealed record Result(GatePass? Pass, bool Created, PassWriter.Outcome? Unavailable = null)
    {
        internal static readonly Result QueueFull = new(null, false, PassWriter.Outcome.QueueFull);
    }

    /// <summary>The input, checked; the visitor's ID number and phone in plain text (protected when the pass is made).</summary>
    private sealed record Checked(Guid ClientId, PassDirection Direction, decimal Temperature, DateTime TakenAt, DateTime ReceivedAt, string? Plate,
        string? ApprovalReason, PassOutcome? Outcome, Guid? PersonId, string? VisitorName, string? VisitorPhone, string? VisitorId, string? From, string? To,
        Guid? PassCardId)
    {
        public bool Fever => Temperature >= FeverThreshold;
        public bool IsVisitor => VisitorName is not null;
    }

    /// <summary>null when the gate is not one of the caller's (404).</summary>
    public async Task<Result?> RecordAsync(Guid gateId, PassInput input, CancellationToken ct = default)
    {
        if (await gates.FindAsync(services, scope, gateId, ct) is not { } gate) return null;
        var errors = new Errors();
        var c = Check(gate, input, errors);
        if (c is null)
        {
            // A retry of a stored pass is answered with it, whatever its body says now.
            if (input.ClientId is { } cid && cid != Guid.Empty && await ExistingAsync(cid, ct) is { } existing) return Same(existing, gateId);
            errors.Throw();
        }
        if (c!.Fever || !settings.Value.GatePassGroupCommit) return await RecordFullAsync(gate, c, ct);

        // Overload: a pass the full queue would refuse is refused before its fields are encrypted (the writer checks again).
        if (writer.RefusesNow()) return Result.QueueFull;
        var pass = NewPass(gate, c);
        var written = await writer.WriteAsync(new PassWriter.Pending(pass, c.PersonId, pass.VisitorIdNumberHash));
        return written.Outcome switch
        {
            PassWriter.Outcome.Created => new Result(pass, true),
            PassWriter.Outcome.Duplicate => Same(written.Stored!, gateId),
            PassWriter.Outcome.NoSuchResident => throw new ValidationFailedException(new Errors().Add("personId", "本小区没有这个居民")),
            PassWriter.Outcome.QueueFull => Result.QueueFull,
            PassWriter.Outcome.Stopping or PassWriter.Outcome.TimedOut => new Result(null, false, written.Outcome),
            _ => await RecordFullAsync(gate, c, ct),
        };
    }

    private static Result Same(GatePass existing, Guid gateId) =>
        existing.GateId == gateId ? new Result(existing, false) : throw new InvalidStepException("该编号已用于另一个卡口的登记");

    private Checked? Check(GateDirectory.Entry gate, PassInput input, Errors errors)
    {
        var clientId = errors.Required("clientId", input.ClientId);
        if (clientId == Guid.Empty) errors.Add("clientId", "必填");
        var direction = errors.Required("direction", input.Direction);
        var temperature = errors.Required("temperature", input.Temperature);
        if (temperature is < 34.0m or > 43.0m) errors.Add("temperature", "体温应在 34.0 到 43.0 °C 之间");
        else if (temperature is { } t && decimal.Round(t, 1) != t) errors.Add("temperature", "体温保留一位小数");
        var now = clock.UtcNow;
        var takenAt = input.TakenAt?.UtcDateTime ?? now;
        if (takenAt > now.AddMinutes(10)) errors.Add("takenAt", "登记时间不能在未来");
        if (takenAt < now.AddDays(-7)) errors.Add("takenAt", "只能补传 7 天内的登记");
        var plate = errors.Text("plate", input.Plate, 12, required: false)?.ToUpperInvariant().Replace(" ", "", StringComparison.Ordinal);
        var reason = errors.Text("approvalReason", input.ApprovalReason, 200, required: false);
        if (gate.Closed && direction == PassDirection.Out && reason is null && !errors.Has("approvalReason"))
        {
            errors.Add("approvalReason", "本小区封闭管理，外出须填写审批事由");
        }

        string? visitorName = null, visitorPhone = null, visitorId = null, from = null, to = null;
        if (input.PersonId is not null && input.Visitor is not null) errors.Add("personId", "居民和访客只能选一个");
        else if (input.PersonId is { } pid && pid == Guid.Empty) errors.Add("personId", "本小区没有这个居民");
        else if (input.Visitor is { } v)
        {
            visitorName = errors.Text("visitor.name", v.Name, 50);
            visitorPhone = Phone.Validate(v.Phone);
            if (visitorPhone is null) errors.Add("visitor.phone", string.IsNullOrWhiteSpace(v.Phone) ? "必填" : "电话号码格式不正确");
            if (string.IsNullOrWhiteSpace(v.IdNumber)) errors.Add("visitor.idNumber", "必填");
            else
            {
                visitorId = IdNumber.Normalize(v.IdNumber.Length > 30 ? "" : v.IdNumber, clock.Today, out var idError);
                if (idError is not null) errors.Add("visitor.idNumber", idError);
            }
            from = errors.Text("visitor.from", v.From, 100, required: false);
            to = errors.Text("visitor.to", v.To, 100, required: false);
        }
        else if (input.PersonId is null) errors.Add("personId", "请选择居民或填写访客信息");
        if (errors.Any) return null;
        return new Checked(clientId!.Value, direction!.Value, temperature!.Value, takenAt, now, plate, reason, input.Outcome, input.PersonId,
            visitorName, visitorPhone, visitorId, from, to, input.PassCardId);
    }

    private GatePass NewPass(GateDirectory.Entry gate, Checked c)
    {
        var pass = new GatePass
        {
            ClientId = c.ClientId, GateId = gate.Id, CompoundId = gate.CompoundId, Direction = c.Direction, Temperature = c.Temperature,
            Fever = c.Fever, Outcome = c.IsVisitor && c.Fever ? PassOutcome.Refused : c.Outcome ?? PassOutcome.Admitted,
            ApprovalReason = c.ApprovalReason, TakenAt = c.TakenAt, ReceivedAt = c.ReceivedAt,
            ByUserId = UserId(),
            Visitor = c.IsVisitor, Plate = c.Plate, VisitorFrom = c.From, VisitorTo = c.To,
            PassCardId = c.PassCardId, // G2: checked by PassCards.GateCards.CheckCardAsync in the handler
        };
        if (c.IsVisitor)
        {
            pass.Name = c.VisitorName!;
            pass.SetVisitorIdNumber(kit.Protect(ProtectedKind.IdNumber, c.VisitorId));
            pass.SetVisitorPhone(kit.Protect(ProtectedKind.Phone, c.VisitorPhone));
        }
        return pass;
    }

    /// <summary>The signed-in user: from the account check's state (no walk over the claims), else from the claims.</summary>
    private Guid? UserId() =>
        http.HttpContext is not { } h ? null
        : h.Features.Get<Platform.Auth.AccountState>() is { } state ? state.UserId
        : h.User.UserId() is var u && u != Guid.Empty ? u : null;

    /// <summary>The full path: a fever, or a person under an active order. One EF transaction with the alert and the task.</summary>
    private async Task<Result> RecordFullAsync(GateDirectory.Entry gate, Checked c, CancellationToken ct)
    {
        if (await ExistingAsync(c.ClientId, ct) is { } existing) return Same(existing, gate.Id);
        Resident? resident = null;
        Person? person = null;
        if (c.PersonId is { } pid)
        {
            // A resident of this gate's compound (the lookup's id), or a person under watch living in it.
            resident = await db.Set<Resident>().IgnoreQueryFilters().FirstOrDefaultAsync(r => r.Id == pid && r.CompoundId == gate.CompoundId, ct);
            if (resident is null)
            {
                person = await db.Set<Person>().IgnoreQueryFilters().FirstOrDefaultAsync(p => p.Id == pid && p.CompoundId == gate.CompoundId, ct);
                if (person is null) throw new ValidationFailedException(new Errors().Add("personId", "本小区没有这个居民"));
            }
        }

        var pass = NewPass(gate, c);
        var fever = pass.Fever;
        var isVisitor = pass.Visitor;
        if (resident is not null)
        {
            pass.ResidentId = resident.Id;
            pass.Name = resident.Name;
            person = await PersonOfAsync(resident.PersonId, resident.IdNumberHash, ct);
        }
        else if (person is not null) pass.Name = person.Name;
        else person = await PersonOfAsync(null, pass.VisitorIdNumberHash, ct);
        pass.PersonId = person?.Id;
        db.Add(pass);
        var from = pass.VisitorFrom;

        var where = $"{gate.Name}（{clock.Format(pass.TakenAt)}）";
        var now = pass.ReceivedAt;
        if (person is not null && await db.Set<QuarantineOrder>().IgnoreQueryFilters()
                .Where(o => o.PersonId == person.Id && o.Status == QuarantineStatus.Active).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(ct) is { } order)
        {
            pass.QuarantineBreach = true;
            await RaiseAlert.AddAsync(db, time, AlertKind.QuarantineBreach,
                $"{pass.Name} 正在{(await db.Set<QuarantineOrder>().IgnoreQueryFilters().Where(o => o.Id == order).Select(o => o.Kind).FirstAsync(ct) == QuarantineKind.Home ? "居家医学观察" : "集中隔离")}，在 {where} {PassDirectionText(pass)}，请立即处置",
                person.CompoundId, dedupeKey: $"breach:{pass.Id:N}", personId: person.Id, gateId: gate.Id, ct: ct);
        }
        if (fever)
        {
            if (!isVisitor && person is null && resident is not null) person = await RegisterResidentAsync(resident, now, ct);
            var what = isVisitor
                ? $"访客 {pass.Name} 在 {where} 体温 {pass.Temperature:0.0}℃，已劝返（来自 {from ?? "未填"}）"
                : $"{pass.Name} 在 {where} 体温 {pass.Temperature:0.0}℃，已登记，请立即随访并送发热门诊";
            await RaiseAlert.AddAsync(db, time, AlertKind.Fever, what, gate.CompoundId, dedupeKey: FeverKey(pass.Id),
                personId: person?.Id, gateId: gate.Id, ct: ct);
            if (person is not null)
            {
                pass.PersonId = person.Id;
                await tasks.AddAsync(TaskKind.FeverFollowUp, person.Id, person.CompoundId, now.AddHours(options.Value.FeverFollowUpHours),
                    FeverKey(pass.Id), $"{gate.Name} 测得体温 {pass.Temperature:0.0}℃，送发热门诊并记录结果", ct);
                if (!await db.Set<PersonCategoryRow>().IgnoreQueryFilters().AnyAsync(x => x.PersonId == person.Id && x.Category == PersonCategory.Fever, ct)
                    && !db.ChangeTracker.Entries<PersonCategoryRow>().Any(e => e.Entity.PersonId == person.Id && e.Entity.Category == PersonCategory.Fever))
                {
                    db.Add(new PersonCategoryRow { PersonId = person.Id, Category = PersonCategory.Fever });
                }
            }
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same clientId stored meanwhile by a concurrent retry: answer with that one.
            db.ChangeTracker.Clear();
            if (await ExistingAsync(pass.ClientId, ct) is { } stored && stored.GateId == gate.Id) return new Result(stored, false);
            throw;
        }
        return new Result(pass, true);
    }

    /// <summary>What a fever at the gate raised (its alert and follow-up task): "gate-fever:{pass}".</summary>
    public const string FeverKeyPrefix = "gate-fever:";
    public static string FeverKey(Guid passId) => $"{FeverKeyPrefix}{passId:N}";

    private static string PassDirectionText(GatePass p) => p.Direction == PassDirection.In ? "进入" : "外出";

    // Separate queries: the ClientId is global, and a person under watch may be registered in another compound.
    private Task<GatePass?> ExistingAsync(Guid clientId, CancellationToken ct) =>
        db.Set<GatePass>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(p => p.ClientId == clientId, ct);

    private async Task<Person?> PersonOfAsync(Guid? personId, string? idHash, CancellationToken ct)
    {
        if (personId is { } id) return await db.Set<Person>().IgnoreQueryFilters().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (idHash is null) return null;
        return await db.Set<Person>().IgnoreQueryFilters().FirstOrDefaultAsync(p => p.IdNumberHash == idHash, ct);
    }

    /// <summary>A resident with fever who is not yet under watch is registered as one (category Fever), when the register has their ID number.</summary>
    private async Task<Person?> RegisterResidentAsync(Resident r, DateTime now, CancellationToken ct)
    {
        if (r.IdNumberCipher is null || r.IdNumberHash is null || r.IdNumberLast4 is null || r.IdNumberMasked is null) return null;
        var household = await db.Set<Household>().IgnoreQueryFilters().Where(h => h.Id == r.HouseholdId)
            .Select(h => new { h.Unit, h.Room, Building = db.Areas.IgnoreQueryFilters().Where(a => a.Id == h.BuildingId).Select(a => a.Name).FirstOrDefault() })
            .FirstOrDefaultAsync(ct);
        var compound = await db.Areas.IgnoreQueryFilters().Where(a => a.Id == r.CompoundId).Select(a => a.Name).FirstAsync(ct);
        var person = new Person
        {
            Name = r.Name, Gender = r.Gender, DocumentType = DocumentType.ResidentId,
            IdNumberCipher = r.IdNumberCipher, IdNumberHash = r.IdNumberHash, IdNumberLast4 = r.IdNumberLast4, IdNumberMasked = r.IdNumberMasked,
            PhoneCipher = r.PhoneCipher, PhoneHash = r.PhoneHash, PhoneLast4 = r.PhoneLast4, PhoneMasked = r.PhoneMasked,
            CompoundId = r.CompoundId, HouseholdId = r.HouseholdId,
            Address = $"{compound} {(household is null ? "" : Household.Label(household.Building, household.Unit, household.Room))}".Trim(),
            Status = PersonStatus.Active, Note = "卡口测温发热，自动登记", CreatedAt = now, CreatedBy = http.HttpContext?.User.UserId(), UpdatedAt = now,
        };
        db.Add(person);
        r.PersonId = person.Id;
        return person;
    }
}
