using EpiGrid.Data;
using EpiGrid.Features.Alerts;
using EpiGrid.Features.People;
using EpiGrid.Platform;
using EpiGrid.Platform.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Supplies;

/// <summary>Settings under <c>EpiGrid:Supplies</c>.</summary>
public sealed class SuppliesOptions
{
    public const string Section = "EpiGrid:Supplies";
    /// <summary>Hours after which a request not yet delivered is overdue and raises an alert.</summary>
    public int OverdueHours { get; set; } = 12;
    /// <summary>Days after which a household's link stops working, if it has not ended before.</summary>
    public int LinkDays { get; set; } = 7;
}

/// <summary>Reads supplies requests as the API and the pages show them.</summary>
public sealed class SupplyBoard(AppDbContext db, OfficeClock clock, IOptions<SuppliesOptions> options)
{
    public sealed record SupplyItem(Guid Id, Guid PersonId, string PersonName, Guid? HouseholdId, Guid CompoundId, string CompoundName, string DeliveryAddress,
        string[] Items, string? Note, string? PreferredTime, SupplySource Source, SupplyStatus Status, bool Overdue, DateTimeOffset RequestedAt, string RequestedBy,
        Guid? VolunteerId, Guid? MemberId, string? AssigneeName, DateTimeOffset? AssignedAt, DateTimeOffset? DeliveredAt, string? DeliveredBy, bool Contactless,
        string? DeliveryNote, string? CancelReason);

    /// <summary>A volunteer's own delivery: where, what, when — and only a masked name (张*).</summary>
    public sealed record MineItem(Guid Id, string Recipient, string DeliveryAddress, string[] Items, string? Note, string? PreferredTime, SupplyStatus Status,
        DateTimeOffset? AssignedAt, DateTimeOffset? DeliveredAt);

    public int OverdueHours => options.Value.OverdueHours;

    public bool IsOverdue(SupplyRequest r) => r.IsOpen && r.RequestedAt <= clock.UtcNow.AddHours(-OverdueHours);

    public static string MaskName(string name) => name.Length <= 1 ? name : name[0] + new string('*', Math.Min(name.Length - 1, 2));

    public IQueryable<SupplyRequest> Query(SupplyStatus? status, Guid? personId, Guid? areaId, bool? overdue)
    {
        var q = db.Set<SupplyRequest>().AsNoTracking();
        if (status is { } s) q = q.Where(r => r.Status == s);
        if (personId is { } p) q = q.Where(r => r.PersonId == p);
        if (areaId is { } a)
        {
            var segment = OrgTree.Area.PathSegment(a);
            q = q.Where(r => db.Areas.Any(x => x.Id == r.CompoundId && x.Path.Contains(segment)));
        }
        if (overdue == true)
        {
            var before = clock.UtcNow.AddHours(-OverdueHours);
            q = q.Where(r => (r.Status == SupplyStatus.Open || r.Status == SupplyStatus.Assigned) && r.RequestedAt <= before);
        }
        // Open first, then the rest; newest first within each.
        return q.OrderBy(r => r.Status == SupplyStatus.Open || r.Status == SupplyStatus.Assigned ? 0 : 1).ThenByDescending(r => r.RequestedAt);
    }

    public async Task<List<SupplyItem>> ItemsAsync(IReadOnlyList<SupplyRequest> list, CancellationToken ct = default)
    {
        if (list.Count == 0) return [];
        var personIds = list.Select(r => r.PersonId).Distinct().ToList();
        var people = await db.Set<Person>().AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var compoundIds = list.Select(r => r.CompoundId).Distinct().ToList();
        var compounds = await db.Areas.AsNoTracking().Where(a => compoundIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var userIds = list.Where(r => r.RequestedById is not null).Select(r => r.RequestedById!.Value).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return [.. list.Select(r => new SupplyItem(r.Id, r.PersonId, people.GetValueOrDefault(r.PersonId, ""), r.HouseholdId, r.CompoundId,
            compounds.GetValueOrDefault(r.CompoundId, ""), r.DeliveryAddress, r.Items.Split(SupplyRequest.Separator), r.Note, r.PreferredTime, r.Source, r.Status,
            IsOverdue(r), clock.WithOffset(r.RequestedAt),
            r.Source == SupplySource.Household ? "住户自助申请" : r.RequestedById is { } u ? users.GetValueOrDefault(u, "") : "",
            r.VolunteerUserId, r.DutyMemberId, r.AssigneeName, r.AssignedAt is { } a ? clock.WithOffset(a) : null,
            r.DeliveredAt is { } d ? clock.WithOffset(d) : null, r.DeliveredBy, r.Contactless, r.DeliveryNote, r.CancelReason))];
    }

    public async Task<SupplyItem?> OneAsync(Guid id, CancellationToken ct = default) =>
        await db.Set<SupplyRequest>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is { } r ? (await ItemsAsync([r], ct))[0] : null;

    /// <summary>
    /// The deliveries assigned to the caller's account: the open ones, and those done in the last two days. Read
    /// without the area filter (one table, filtered by the assignee): a volunteer's scope is their deliveries.
    /// </summary>
    public async Task<List<MineItem>> MineAsync(Guid userId, CancellationToken ct = default)
    {
        var since = clock.UtcNow.AddDays(-2);
        var list = await db.Set<SupplyRequest>().IgnoreQueryFilters().AsNoTracking()
            .Where(r => r.VolunteerUserId == userId && (r.Status == SupplyStatus.Assigned || (r.Status == SupplyStatus.Delivered && r.DeliveredAt >= since)))
            .OrderBy(r => r.Status == SupplyStatus.Assigned ? 0 : 1).ThenBy(r => r.RequestedAt).Take(200).ToListAsync(ct);
        var personIds = list.Select(r => r.PersonId).Distinct().ToList();
        var names = await db.Set<Person>().IgnoreQueryFilters().AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        return [.. list.Select(r => new MineItem(r.Id, MaskName(names.GetValueOrDefault(r.PersonId, "")), r.DeliveryAddress, r.Items.Split(SupplyRequest.Separator),
            r.Note, r.PreferredTime, r.Status, r.AssignedAt is { } a ? clock.WithOffset(a) : null, r.DeliveredAt is { } d ? clock.WithOffset(d) : null))];
    }
}

/// <summary>
/// A request not delivered (nor cancelled) <see cref="SuppliesOptions.OverdueHours"/> hours after it was made raises one
/// <see cref="AlertKind.Overdue"/> alert at its compound, about its person (dedupe <c>supplies-overdue:{id}</c>).
/// </summary>
public sealed class SuppliesOverdueCheck(AppDbContext db, TimeProvider time, IOptions<SuppliesOptions> options) : IPeriodicCheck
{
    public static string DedupeKey(Guid requestId) => $"supplies-overdue:{requestId}";

    public async Task RunAsync(CancellationToken ct)
    {
        var before = time.GetUtcNow().UtcDateTime.AddHours(-options.Value.OverdueHours);
        var overdue = await db.Set<SupplyRequest>().AsNoTracking()
            .Where(r => (r.Status == SupplyStatus.Open || r.Status == SupplyStatus.Assigned) && r.RequestedAt <= before)
            .OrderBy(r => r.RequestedAt).Take(1000).ToListAsync(ct);
        if (overdue.Count == 0) return;
        var keys = overdue.Select(r => DedupeKey(r.Id)).ToList();
        var raised = (await db.Set<Alert>().Where(a => keys.Contains(a.DedupeKey!)).Select(a => a.DedupeKey!).ToListAsync(ct)).ToHashSet();
        var fresh = overdue.Where(r => !raised.Contains(DedupeKey(r.Id))).ToList();
        if (fresh.Count == 0) return;
        var personIds = fresh.Select(r => r.PersonId).Distinct().ToList();
        var names = await db.Set<Person>().AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        foreach (var r in fresh)
        {
            var who = r.AssigneeName is null ? "尚未分配" : $"已分配给{r.AssigneeName}";
            await RaiseAlert.AddAsync(db, time, AlertKind.Overdue,
                $"{names.GetValueOrDefault(r.PersonId, "")}（{r.DeliveryAddress}）的生活物品需求超过 {options.Value.OverdueHours} 小时未送达（{who}）",
                r.CompoundId, dedupeKey: DedupeKey(r.Id), personId: r.PersonId, ct: ct);
        }
        await db.SaveChangesAsync(ct);
    }
}
