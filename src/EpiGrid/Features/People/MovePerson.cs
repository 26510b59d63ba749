using EpiGrid.Data;
using EpiGrid.Features.Alerts;
using EpiGrid.Features.Dashboard;
using EpiGrid.Features.Gates;
using EpiGrid.Features.Households;
using EpiGrid.Features.Imports;
using EpiGrid.Features.Observation;
using EpiGrid.Features.OrgTree;
using EpiGrid.Features.SelfRegistration;
using EpiGrid.Features.Supplies;
using EpiGrid.Features.Tasks;
using EpiGrid.Platform;
using EpiGrid.Platform.Audit;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.People;

/// <summary>
/// Moves a person under watch to another compound, with their whole file (ADR-018): every row that carries the
/// person's compound (or community) for scope — orders, checks, contact links, tasks and their attempts, care, supply
/// requests and links, the alerts about them, their own registration — goes with them, open or closed, so the old
/// community sees nothing of them afterwards and the new one sees all of it. Open tasks go to the new compound's grid
/// worker; open supply requests return to the new community's queue (the old one's volunteer does not deliver there),
/// to be left at the new address (or the person's own), and the household's supply links are revoked (the old household
/// holds them). A self-registration moves only when it lies in the old community: another community's registration
/// linked to the person is that community's record and stays.
/// What happened at a place stays there: gate passes and alerts raised at a gate (the gate's log), the household
/// register's resident rows (the register's own record) and import rows (the uploaded list's record).
/// <para>One transaction; the rows are moved by set-based updates, so the audit interceptor sees none of them and the
/// move is one <c>Move</c> audit entry with the counts. The person's timeline shows it from that entry.</para>
/// </summary>
public sealed class MovePerson(AppDbContext db, OfficeClock clock, AssignTasks assign, LiveRefresh refresh)
{
    public const string AuditAction = "Move";

    /// <summary>Entities that carry the person's area and move with them.</summary>
    public static readonly IReadOnlyList<Type> Carried =
    [
        typeof(Person), typeof(QuarantineOrder), typeof(HealthCheck), typeof(ContactLink), typeof(WorkTask), typeof(Attempt),
        typeof(CareRecord), typeof(SupplyRequest), typeof(SupplyLink), typeof(Alert), typeof(PendingRegistration),
    ];

    /// <summary>Entities with a person that stay where they were recorded (ADR-018).</summary>
    public static readonly IReadOnlyList<Type> LeftInPlace = [typeof(GatePass), typeof(Resident), typeof(ImportRow)];

    public sealed record Result(Guid PersonId, Guid FromCompoundId, Guid ToCompoundId, Guid? AssigneeId, IReadOnlyDictionary<string, int> Moved);

    /// <summary>What the audit entry of a move says (its details), read back for the person's timeline.</summary>
    public sealed record Details(Guid From, string FromName, Guid To, string ToName, string Reason, Guid? TaskId, Dictionary<string, int> Moved,
        bool AddressChanged = false, int LinksRevoked = 0);

    public const string MovedAway = "此人已移交到其他小区，请刷新";

    /// <summary>
    /// For a writer that copies the person's compound onto a new row: in the writer's transaction, before its insert,
    /// touches the person's row on condition they are still in <paramref name="compoundId"/> (what the writer read), and
    /// refuses (409) when they are not. The conditional update takes the row's lock: a move in progress finishes first
    /// (PostgreSQL re-evaluates the condition and finds them gone), or waits for the writer to commit and then carries
    /// the new row along (ADR-018). SQLite serializes writers anyway.
    /// </summary>
    public static async Task StillInAsync(AppDbContext db, Guid personId, Guid compoundId, CancellationToken ct = default)
    {
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("StillInAsync runs in the writer's transaction");
        var n = await db.Set<Person>().IgnoreQueryFilters().Where(p => p.Id == personId && p.CompoundId == compoundId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.CompoundId, p => p.CompoundId), ct);
        if (n == 0) throw new InvalidStepException(MovedAway);
    }

    /// <summary>
    /// Moves the person (who must be in the caller's scope; null when not found) to <paramref name="compoundId"/> (any
    /// compound of the system: the right one is usually outside the caller's scope). <paramref name="taskId"/>: the task
    /// that found the person not to be the caller's, noted for the new grid worker. <paramref name="address"/>: where they
    /// live in the new compound, if known (the person's address and their open supply requests' delivery address).
    /// </summary>
    public async Task<Result?> MoveAsync(Guid personId, Guid? compoundId, string reason, Guid? taskId = null, string? address = null, CancellationToken ct = default)
    {
        var person = await db.Set<Person>().AsNoTracking().Where(p => p.Id == personId).Select(p => new { p.Id, p.CompoundId, p.Address }).FirstOrDefaultAsync(ct);
        if (person is null) return null;
        var errors = new Errors();
        var to = errors.Required("compoundId", compoundId);
        var newAddress = errors.Text("address", address, 200, required: false);
        Area? target = null;
        if (to is { } t)
        {
            target = await db.Areas.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(a => a.Id == t && a.Kind == AreaKind.Compound, ct);
            if (target is null) errors.Add("compoundId", "小区不存在");
        }
        errors.Throw();
        if (target!.Id == person.CompoundId) throw new InvalidStepException("此人已在该小区");
        var from = person.CompoundId;
        var sourceArea = await db.Areas.IgnoreQueryFilters().AsNoTracking().Where(a => a.Id == from).Select(a => new { a.Name, a.Path }).FirstAsync(ct);
        var source = sourceArea.Name;
        // Registrations lie in a community or village: the old compound's and the new one's, from their paths.
        var community = await CommunityOfAsync(target.Path, ct);
        var oldCommunity = await CommunityOfAsync(sourceArea.Path, ct);
        var delivery = (newAddress ?? person.Address) is { Length: > 0 } addr ? addr : target.Name;
        if (delivery.Length > 300) delivery = delivery[..300];
        var worker = await assign.GridWorkerOfAsync(target.Id, ct);
        var now = clock.UtcNow;
        var id = person.Id;
        var moved = new Dictionary<string, int>();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The person first, guarded on where they were: of two moves at once, the second finds them gone and changes nothing.
        var changed = await db.Set<Person>().Where(p => p.Id == id && p.CompoundId == from).ExecuteUpdateAsync(s => s
            .SetProperty(p => p.CompoundId, target.Id).SetProperty(p => p.HouseholdId, (Guid?)null).SetProperty(p => p.UpdatedAt, now)
            .SetProperty(p => p.Address, p => newAddress ?? p.Address), ct);
        if (changed == 0) throw new InvalidStepException("此人已被移交，请刷新后再试");

        // The person's rows wherever they lie (unfiltered: a row stranded elsewhere by an older move comes along too).
        moved[nameof(QuarantineOrder)] = await db.Set<QuarantineOrder>().IgnoreQueryFilters().Where(x => x.PersonId == id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.CompoundId, target.Id), ct);
        moved[nameof(HealthCheck)] = await db.Set<HealthCheck>().IgnoreQueryFilters().Where(x => x.PersonId == id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.CompoundId, target.Id), ct);
        // Links where the person was exposed lie in their compound; links where they were the source lie with the exposed.
        moved[nameof(ContactLink)] = await db.Set<ContactLink>().IgnoreQueryFilters().Where(x => x.PersonId == id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.CompoundId, target.Id), ct);
        moved[nameof(WorkTask)] = await db.Set<WorkTask>().IgnoreQueryFilters().Where(x => x.PersonId == id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.CompoundId, target.Id), ct);
        await db.Set<WorkTask>().IgnoreQueryFilters().Where(x => x.PersonId == id && x.Status == WorkTaskStatus.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.AssigneeId, worker), ct);
        if (taskId is { } task)
        {
            var note = $"由{source}移交";
            await db.Set<WorkTask>().IgnoreQueryFilters().Where(x => x.Id == task && x.PersonId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Note, note), ct);
        }
        moved[nameof(Attempt)] = await db.Set<Attempt>().IgnoreQueryFilters().Where(x => x.PersonId == id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.CompoundId, target.Id), ct);
        moved[nameof(CareRecord)] = await db.Set<CareRecord>().IgnoreQueryFilters().Where(x => x.PersonId == id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.CompoundId, target.Id), ct);
        // An open request goes back to the new community's queue, without the old household (the person has none there yet):
        // left at the new address, else the person's own (never the old household's room).
        await db.Set<SupplyRequest>().IgnoreQueryFilters().Where(x => x.PersonId == id && (x.Status == SupplyStatus.Open || x.Status == SupplyStatus.Assigned))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SupplyStatus.Open).SetProperty(x => x.HouseholdId, (Guid?)null)
                .SetProperty(x => x.DeliveryAddress, delivery)
                .SetProperty(x => x.VolunteerUserId, (Guid?)null).SetProperty(x => x.DutyMemberId, (Guid?)null)
                .SetProperty(x => x.AssigneeName, (string?)null).SetProperty(x => x.AssignedAt, (DateTime?)null), ct);
        moved[nameof(SupplyRequest)] = await db.Set<SupplyRequest>().IgnoreQueryFilters().Where(x => x.PersonId == id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.CompoundId, target.Id), ct);
        // The links are in the old household's hands: they stop (the new grid worker shares a new one).
        var revoked = await db.Set<SupplyLink>().IgnoreQueryFilters().Where(x => x.PersonId == id && x.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, (DateTime?)now), ct);
        moved[nameof(SupplyLink)] = await db.Set<SupplyLink>().IgnoreQueryFilters().Where(x => x.PersonId == id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.CompoundId, target.Id).SetProperty(x => x.HouseholdId, (Guid?)null), ct);
        // Alerts name the person in their subject; those raised at a gate stay with the gate (its log).
        moved[nameof(Alert)] = await db.Set<Alert>().IgnoreQueryFilters().Where(x => x.PersonId == id && x.GateId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.AreaId, target.Id), ct);
        // Only the registration in the old community (the one that became the person, or theirs anyway): another
        // community's registration linked to the person is that community's record (its reviewer, its note) and stays.
        if (community is { } c && oldCommunity is { } o)
        {
            moved[nameof(PendingRegistration)] = await db.Set<PendingRegistration>().IgnoreQueryFilters().Where(x => x.PersonId == id && x.CommunityId == o)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.CommunityId, c), ct);
        }

        Platform.Audit.AuditLog.Event(db, AuditAction, nameof(Person), id.ToString(),
            new Details(from, source, target.Id, target.Name, reason, taskId, moved.Where(m => m.Value > 0).ToDictionary(), newAddress is not null, revoked));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // Set-based updates pass by the dashboard's interceptor: tell it both compounds changed.
        refresh.Changed([from, target.Id]);
        return new Result(id, from, target.Id, worker, moved);
    }

    private Task<Guid?> CommunityOfAsync(string path, CancellationToken ct)
    {
        var ancestors = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => Guid.ParseExact(s, "N")).ToList();
        return db.Areas.IgnoreQueryFilters().AsNoTracking()
            .Where(a => ancestors.Contains(a.Id) && (a.Kind == AreaKind.Community || a.Kind == AreaKind.Village)).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>The person's moves, oldest first, from the audit log (the one record of them).</summary>
    public static async Task<List<(DateTime At, Details Move)>> HistoryAsync(AppDbContext db, Guid personId, CancellationToken ct = default)
    {
        var key = personId.ToString();
        var rows = await db.Set<AuditEntry>().AsNoTracking().Where(a => a.Entity == nameof(Person) && a.EntityId == key && a.Action == AuditAction)
            .OrderBy(a => a.Seq).Select(a => new { a.At, a.Details }).ToListAsync(ct);
        return [.. rows.Select(r => (r.At, System.Text.Json.JsonSerializer.Deserialize<Details>(r.Details, Platform.Audit.AuditLog.Json)!))];
    }
}
