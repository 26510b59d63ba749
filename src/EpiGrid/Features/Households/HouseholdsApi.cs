using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Features.People;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Households;

public static class HouseholdsApi
{
    public sealed record HouseholdItem(Guid Id, Guid CompoundId, Guid? BuildingId, string Unit, string Room, string Label, bool Rented, int Residents, DateTimeOffset? LastScreenedAt,
        DateOnly? DeregisteredOn = null, bool Purged = false);
    public sealed record ResidentItem(Guid Id, string Name, string Relation, Gender Gender, string? IdNumberMasked, string? PhoneMasked, ResidenceType Type, bool MovedOut, Guid? PersonId,
        DateOnly? MovedOutOn = null);

    private static DateOnly? Day(OfficeClock clock, DateTime? utc) => utc is { } t ? DateOnly.FromDateTime(clock.ToLocal(t)) : null;

    public static ResidentItem Item(OfficeClock clock, Resident r) =>
        new(r.Id, r.Name, r.Relation, r.Gender, r.IdNumberMasked, r.PhoneMasked, r.Type, r.MovedOut, r.PersonId, Day(clock, r.MovedOutAt));

    /// <summary>The label of a household whose address retention removed.</summary>
    public const string PurgedLabel = "已注销住户";
    public sealed record VisitItem(Guid Id, DateTimeOffset VisitedAt, string By, ScreeningOutcome Outcome, int Occupants, string? Note);
    public sealed record HouseholdDetail(HouseholdItem Household, string Compound, IReadOnlyList<ResidentItem> Residents, IReadOnlyList<VisitItem> Visits);

    public static async Task<HouseholdDetail?> DetailAsync(AppDbContext db, OfficeClock clock, Guid id, CancellationToken ct = default)
    {
        var h = await db.Set<Household>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (h is null) return null;
        var building = h.BuildingId is { } b ? await db.Areas.Where(a => a.Id == b).Select(a => a.Name).FirstOrDefaultAsync(ct) : null;
        var compound = await db.Areas.Where(a => a.Id == h.CompoundId).Select(a => a.Name).FirstAsync(ct);
        var residents = (await db.Set<Resident>().AsNoTracking().Where(r => r.HouseholdId == id).OrderBy(r => r.MovedOut).ThenBy(r => r.Name).ToListAsync(ct))
            .Select(r => Item(clock, r)).ToList();
        var visits = await db.Set<ScreeningVisit>().AsNoTracking().Where(v => v.HouseholdId == id).OrderByDescending(v => v.VisitedAt).Take(50)
            .Join(db.Users, v => v.ByUserId, u => u.Id, (v, u) => new { v, u.DisplayName }).ToListAsync(ct);
        return new HouseholdDetail(
            new HouseholdItem(h.Id, h.CompoundId, h.BuildingId, h.Unit, h.Room, h.PurgedAt is null ? Household.Label(building, h.Unit, h.Room) : PurgedLabel, h.Rented,
                residents.Count(r => !r.MovedOut), h.LastScreenedAt is { } t ? clock.WithOffset(t) : null, Day(clock, h.DeregisteredAt), h.PurgedAt is not null),
            compound, residents,
            [.. visits.Select(x => new VisitItem(x.v.Id, clock.WithOffset(x.v.VisitedAt), x.DisplayName, x.v.Outcome, x.v.Occupants, x.v.Note))]);
    }

    /// <summary>Households of a compound (or all in scope), optionally by room or a resident's name; the registered ones, or
    /// with <paramref name="deregistered"/> true the deregistered ones.</summary>
    public static async Task<PageOf<HouseholdItem>> ListAsync(AppDbContext db, OfficeClock clock, Guid? compoundId, string? q, int? page, int? pageSize,
        bool deregistered = false, CancellationToken ct = default)
    {
        var query = db.Set<Household>().AsNoTracking().Where(h => (h.DeregisteredAt != null) == deregistered);
        if (compoundId is { } c) query = query.Where(h => h.CompoundId == c);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var t = q.Trim();
            query = query.Where(h => h.Room.StartsWith(t) || db.Set<Resident>().Any(r => r.HouseholdId == h.Id && (r.Name.StartsWith(t) || r.PhoneLast4 == t || r.IdNumberLast4 == t)));
        }
        var ordered = query.OrderBy(h => h.CompoundId).ThenBy(h => h.BuildingId).ThenBy(h => h.Unit).ThenBy(h => h.Room);
        var result = await ordered.Select(h => h.Id).PageAsync(page, pageSize, ct: ct);
        var ids = result.Items.ToList();
        var rows = await db.Set<Household>().AsNoTracking().Where(h => ids.Contains(h.Id))
            .Select(h => new
            {
                h,
                Building = db.Areas.Where(a => a.Id == h.BuildingId).Select(a => a.Name).FirstOrDefault(),
                Residents = db.Set<Resident>().Count(r => r.HouseholdId == h.Id && !r.MovedOut),
            }).ToListAsync(ct);
        var byId = rows.ToDictionary(x => x.h.Id);
        return new PageOf<HouseholdItem>([.. ids.Select(id => byId[id]).Select(x => new HouseholdItem(x.h.Id, x.h.CompoundId, x.h.BuildingId, x.h.Unit, x.h.Room,
            x.h.PurgedAt is null ? Household.Label(x.Building, x.h.Unit, x.h.Room) : PurgedLabel, x.h.Rented, x.Residents, x.h.LastScreenedAt is { } t ? clock.WithOffset(t) : null,
            Day(clock, x.h.DeregisteredAt), x.h.PurgedAt is not null))], result.Total);
    }

    public static void MapHouseholdsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/households").WithTags("Households");

        g.MapGet("/", async (AppDbContext db, OfficeClock clock, Guid? compoundId, string? q, int? page, int? pageSize, bool? deregistered) =>
            TypedResults.Ok(await ListAsync(db, clock, compoundId, q, page, pageSize, deregistered: deregistered == true)))
            .RequireAuthorization(Rights.ReadPeople);

        g.MapGet("/{id:guid}", async Task<Results<Ok<HouseholdDetail>, NotFound>> (Guid id, AppDbContext db, OfficeClock clock) =>
            await DetailAsync(db, clock, id) is { } d ? TypedResults.Ok(d) : TypedResults.NotFound())
            .RequireAuthorization(Rights.ReadPeople);

        g.MapPost("/", async (KeepRegister.HouseholdInput body, KeepRegister keep, AppDbContext db, OfficeClock clock) =>
        {
            var h = await keep.CreateHouseholdAsync(body);
            return TypedResults.Created($"/api/households/{h.Id}", (await DetailAsync(db, clock, h.Id))!.Household);
        }).RequireAuthorization(Rights.EditPeople);

        g.MapPost("/{id:guid}/residents", async Task<Results<Created<ResidentItem>, NotFound>> (Guid id, KeepRegister.ResidentInput body, KeepRegister keep, OfficeClock clock) =>
            await keep.AddResidentAsync(id, body) is { } r
                ? TypedResults.Created($"/api/households/{id}", Item(clock, r))
                : TypedResults.NotFound())
            .RequireAuthorization(Rights.EditPeople);

        // 迁出 and its undo: the day (office-local, today when left out) is neither in the future nor more than a year back.
        g.MapPost("/{id:guid}/residents/{residentId:guid}/move-out", async Task<Results<Ok<ResidentItem>, NotFound>> (Guid id, Guid residentId, KeepRegister.DateInput? body, KeepRegister keep, OfficeClock clock) =>
            await keep.MoveOutAsync(id, residentId, body ?? new(null)) is { } r ? TypedResults.Ok(Item(clock, r)) : TypedResults.NotFound())
            .RequireAuthorization(Rights.EditPeople);

        g.MapDelete("/{id:guid}/residents/{residentId:guid}/move-out", async Task<Results<Ok<ResidentItem>, NotFound>> (Guid id, Guid residentId, KeepRegister keep, OfficeClock clock) =>
            await keep.UndoMoveOutAsync(id, residentId) is { } r ? TypedResults.Ok(Item(clock, r)) : TypedResults.NotFound())
            .RequireAuthorization(Rights.EditPeople);

        // 注销 and its undo.
        g.MapPost("/{id:guid}/deregistration", async Task<Results<Ok<HouseholdItem>, NotFound>> (Guid id, KeepRegister.DateInput? body, KeepRegister keep, AppDbContext db, OfficeClock clock) =>
            await keep.DeregisterAsync(id, body ?? new(null)) is { } h ? TypedResults.Ok((await DetailAsync(db, clock, h.Id))!.Household) : TypedResults.NotFound())
            .RequireAuthorization(Rights.EditPeople);

        g.MapDelete("/{id:guid}/deregistration", async Task<Results<Ok<HouseholdItem>, NotFound>> (Guid id, KeepRegister keep, AppDbContext db, OfficeClock clock) =>
            await keep.UndoDeregisterAsync(id) is { } h ? TypedResults.Ok((await DetailAsync(db, clock, h.Id))!.Household) : TypedResults.NotFound())
            .RequireAuthorization(Rights.EditPeople);

        g.MapPost("/{id:guid}/visits", async Task<Results<Created<object>, NotFound>> (Guid id, KeepRegister.VisitInput body, KeepRegister keep) =>
            await keep.RecordVisitAsync(id, body) is { } v
                ? TypedResults.Created($"/api/households/{id}", (object)new { v.Id, v.Outcome, v.Occupants })
                : TypedResults.NotFound())
            .RequireAuthorization(Rights.EditPeople);

        // multipart/form-data: compoundId, file (.xlsx). Bad rows come back with their row number; they are not stored.
        g.MapPost("/import", async Task<Results<Ok<ImportRegister.Result>, NotFound>> ([FromForm] Guid? compoundId, IFormFile? file, ImportRegister import, AppDbContext db) =>
        {
            var errors = new Errors();
            if (compoundId is null) errors.Add("compoundId", "必填");
            if (file is null || file.Length == 0) errors.Add("file", "请选择 .xlsx 文件");
            else if (file.Length > 20 * 1024 * 1024) errors.Add("file", "文件不能超过 20 MB");
            errors.Throw();
            if (!await db.Areas.AnyAsync(a => a.Id == compoundId && a.Kind == AreaKind.Compound)) return TypedResults.NotFound();
            await using var stream = file!.OpenReadStream();
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer);
            buffer.Position = 0;
            return TypedResults.Ok(await import.ImportAsync(compoundId!.Value, buffer));
        }).RequireAuthorization(Rights.EditPeople).DisableAntiforgery()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(Platform.Web.BodyLimits.Uploads));

        app.MapGet("/api/coverage", async (Coverage coverage, int? days) =>
        {
            var d = days ?? 7;
            if (d is < 1 or > 90) new Errors().Add("days", "天数应在 1 到 90 之间").Throw();
            var rows = await coverage.ByCompoundAsync(d);
            return TypedResults.Ok(new { days = d, items = rows.Select(r => new { r.CompoundId, r.Compound, r.Community, r.Households, r.Screened, rate = Math.Round(r.Rate, 3) }), total = rows.Count });
        }).WithTags("Households").RequireAuthorization(Rights.ReadPeople);
    }
}
