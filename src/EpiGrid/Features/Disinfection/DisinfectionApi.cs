using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Disinfection;

/// <summary>Disinfection plans, records and what is due today (docs/api.md, "Field work").</summary>
public static class DisinfectionApi
{
    public sealed record PlanItem(Guid Id, string Name, Guid AreaId, string AreaName, Guid CommunityId, string[] Places, string Agent,
        int TimesPerDay, int EveryDays, string[] SlotDeadlines, DateOnly StartDate, DateOnly? EndDate, bool IsActive);

    public sealed record RecordItem(Guid Id, Guid? PlanId, string? PlanName, DateOnly Date, int? Slot, bool Late, Guid AreaId, string AreaName,
        string Place, string Agent, string DoneBy, DateTimeOffset DoneAt, Guid? ComplaintId, string? ComplaintNumber, string? Note, DateTimeOffset RecordedAt);

    public sealed record TodayResult(DateOnly Date, IReadOnlyList<DisinfectionBoard.CommunityItem> Items, int Total, int Scheduled, int Done, int Pending, int Missed);

    public static PlanItem ToItem(DisinfectionPlan p, string areaName) =>
        new(p.Id, p.Name, p.AreaId, areaName, p.CommunityId, p.PlaceList(), p.Agent, p.TimesPerDay, p.EveryDays,
            [.. p.Deadlines().Select(t => t.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture))], p.StartDate, p.EndDate, p.IsActive);

    public static async Task<List<PlanItem>> PlanItemsAsync(AppDbContext db, IQueryable<DisinfectionPlan> q, CancellationToken ct = default)
    {
        var plans = await q.AsNoTracking().Join(db.Areas, p => p.AreaId, a => a.Id, (p, a) => new { p, a.Name }).ToListAsync(ct);
        return [.. plans.Select(x => ToItem(x.p, x.Name))];
    }

    public static IQueryable<DisinfectionPlan> PlanQuery(AppDbContext db, Guid? areaId, bool? active)
    {
        var q = db.Set<DisinfectionPlan>().AsNoTracking();
        if (areaId is { } a) q = q.Where(p => p.AreaId == a || p.CommunityId == a);
        if (active is { } on) q = q.Where(p => p.IsActive == on);
        return q.OrderByDescending(p => p.IsActive).ThenBy(p => p.Name);
    }

    public static IQueryable<DisinfectionRecord> RecordQuery(AppDbContext db, Guid? areaId, Guid? planId, DateOnly? from, DateOnly? to, string? complaintNumber)
    {
        var q = db.Set<DisinfectionRecord>().AsNoTracking();
        if (areaId is { } a)
        {
            var segment = OrgTree.Area.PathSegment(a);
            q = q.Where(r => db.Areas.Any(x => x.Id == r.AreaId && x.Path.Contains(segment)));
        }
        if (planId is { } p) q = q.Where(r => r.PlanId == p);
        if (from is { } f) q = q.Where(r => r.Date >= f);
        if (to is { } t) q = q.Where(r => r.Date <= t);
        if (!string.IsNullOrWhiteSpace(complaintNumber)) q = q.Where(r => r.ComplaintNumber == complaintNumber);
        return q.OrderByDescending(r => r.DoneAt);
    }

    public static async Task<List<RecordItem>> RecordItemsAsync(AppDbContext db, OfficeClock clock, IReadOnlyList<DisinfectionRecord> list, CancellationToken ct = default)
    {
        if (list.Count == 0) return [];
        var planIds = list.Where(r => r.PlanId is not null).Select(r => r.PlanId!.Value).Distinct().ToList();
        var plans = await db.Set<DisinfectionPlan>().AsNoTracking().Where(p => planIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var areaIds = list.Select(r => r.AreaId).Distinct().ToList();
        var areas = await db.Areas.AsNoTracking().Where(a => areaIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        return [.. list.Select(r =>
        {
            var plan = r.PlanId is { } pid ? plans.GetValueOrDefault(pid) : null;
            var late = plan is not null && r.Slot is { } s && s <= plan.TimesPerDay
                && r.DoneAt > TimeZoneInfo.ConvertTimeToUtc(r.Date.ToDateTime(plan.Deadlines()[s - 1], DateTimeKind.Unspecified), clock.Zone);
            return new RecordItem(r.Id, r.PlanId, plan?.Name, r.Date, r.Slot, late, r.AreaId, areas.GetValueOrDefault(r.AreaId, ""), r.Place, r.Agent, r.DoneBy,
                clock.WithOffset(r.DoneAt), r.ComplaintId, r.ComplaintNumber, r.Note, clock.WithOffset(r.RecordedAt));
        })];
    }

    private static void CheckRange(DateOnly? from, DateOnly? to)
    {
        if (from is { } f && to is { } t && t < f) new Errors().Add("to", "结束日期不能早于开始日期").Throw();
    }

    public static void MapDisinfectionApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/disinfection").WithTags("Field work: disinfection");

        g.MapGet("/plans", async (AppDbContext db, Guid? areaId, bool? active, int? page, int? pageSize) =>
        {
            var q = PlanQuery(db, areaId, active);
            var paged = await q.Select(p => p.Id).PageAsync(page, pageSize);
            var ids = paged.Items.ToList();
            var items = (await PlanItemsAsync(db, db.Set<DisinfectionPlan>().Where(p => ids.Contains(p.Id)))).OrderBy(p => ids.IndexOf(p.Id)).ToList();
            return TypedResults.Ok(new PageOf<PlanItem>(items, paged.Total));
        }).RequireAuthorization(Rights.FieldWork);

        g.MapGet("/plans/{id:guid}", async Task<Results<Ok<PlanItem>, NotFound>> (Guid id, AppDbContext db) =>
            (await PlanItemsAsync(db, db.Set<DisinfectionPlan>().Where(p => p.Id == id))).FirstOrDefault() is { } p ? TypedResults.Ok(p) : TypedResults.NotFound())
            .RequireAuthorization(Rights.FieldWork);

        g.MapPost("/plans", async (EditDisinfectionPlan.PlanInput body, EditDisinfectionPlan edit, AppDbContext db) =>
        {
            var p = await edit.CreateAsync(body);
            return TypedResults.Created($"/api/disinfection/plans/{p.Id}", (await PlanItemsAsync(db, db.Set<DisinfectionPlan>().Where(x => x.Id == p.Id)))[0]);
        }).RequireAuthorization(Rights.FieldWork);

        g.MapPut("/plans/{id:guid}", async Task<Results<Ok<PlanItem>, NotFound>> (Guid id, EditDisinfectionPlan.PlanInput body, EditDisinfectionPlan edit, AppDbContext db) =>
            await edit.UpdateAsync(id, body) is { } p
                ? TypedResults.Ok((await PlanItemsAsync(db, db.Set<DisinfectionPlan>().Where(x => x.Id == p.Id)))[0]) : TypedResults.NotFound())
            .RequireAuthorization(Rights.FieldWork);

        g.MapGet("/records", async (AppDbContext db, OfficeClock clock, Guid? areaId, Guid? planId, DateOnly? from, DateOnly? to, string? complaintNumber, int? page, int? pageSize) =>
        {
            CheckRange(from, to);
            var paged = await RecordQuery(db, areaId, planId, from, to, complaintNumber).PageAsync(page, pageSize);
            return TypedResults.Ok(new PageOf<RecordItem>(await RecordItemsAsync(db, clock, paged.Items), paged.Total));
        }).RequireAuthorization(Rights.FieldWork);

        g.MapGet("/records/{id:guid}", async Task<Results<Ok<RecordItem>, NotFound>> (Guid id, AppDbContext db, OfficeClock clock) =>
            await db.Set<DisinfectionRecord>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id) is { } r
                ? TypedResults.Ok((await RecordItemsAsync(db, clock, [r]))[0]) : TypedResults.NotFound())
            .RequireAuthorization(Rights.FieldWork);

        // A slot of a plan ({ planId, slot? }) or a one-off ({ areaId, place, agent, complaintNumber? ... }); 409 if the slot is already recorded.
        g.MapPost("/records", async Task<Results<Created<RecordItem>, ProblemHttpResult>> (RecordDisinfection.RecordInput body, RecordDisinfection record, AppDbContext db, OfficeClock clock) =>
        {
            var outcome = await record.RecordAsync(body);
            if (outcome.Record is not { } r) return TypedResults.Problem(title: "与现有数据冲突", detail: outcome.Conflict, statusCode: StatusCodes.Status409Conflict);
            return TypedResults.Created($"/api/disinfection/records/{r.Id}", (await RecordItemsAsync(db, clock, [r]))[0]);
        }).RequireAuthorization(Rights.FieldWork);

        g.MapGet("/records/export.xlsx", async (AppDbContext db, OfficeClock clock, Exporter exporter, Guid? areaId, DateOnly? from, DateOnly? to) =>
        {
            CheckRange(from, to);
            var list = await RecordQuery(db, areaId, null, from, to, null).Take(50_000).ToListAsync();
            var items = await RecordItemsAsync(db, clock, list);
            var filter = ExportFilter.Of().Dates(from, to);
            var bytes = await exporter.ExportAsync("消杀记录", filter,
            [
                new ExportColumn<RecordItem>("消杀时间", r => clock.Format(r.DoneAt.UtcDateTime)),
                new("区域", r => r.AreaName),
                new("地点/部位", r => r.Place),
                new("消毒剂", r => r.Agent),
                new("消杀人员", r => r.DoneBy),
                new("计划", r => r.PlanName),
                new("时段", r => r.Slot is { } s ? $"第 {s} 次{(r.Late ? "（补登）" : "")}" : ""),
                new("投诉工单", r => r.ComplaintNumber),
                new("备注", r => r.Note),
            ], items);
            return Exporter.File(bytes, "消杀记录");
        }).RequireAuthorization(Rights.FieldWork);

        g.MapGet("/today", async (DisinfectionBoard board, OfficeClock clock, DateOnly? date, Guid? communityId) =>
        {
            var day = date ?? clock.Today;
            var items = await board.ForDateAsync(day, communityId);
            return TypedResults.Ok(new TodayResult(day, items, items.Count, items.Sum(i => i.Scheduled), items.Sum(i => i.Done), items.Sum(i => i.Pending), items.Sum(i => i.Missed)));
        }).RequireAuthorization(Rights.FieldWork);
    }
}
