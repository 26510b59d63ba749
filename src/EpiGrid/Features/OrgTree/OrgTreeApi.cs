using EpiGrid.Data;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.OrgTree;

public static class OrgTreeApi
{
    public sealed record AreaItem(Guid Id, string Code, string Name, AreaKind Kind, Guid? ParentId, bool ClosedManagement, Guid? GridId, string? Address);
    public sealed record GateItem(Guid Id, string Name, Guid CompoundId, GateStatus Status, bool IsActive);
    public sealed record ClosedManagementRequest(bool? Closed, string? Reason);
    public sealed record GridItem(Guid Id, string Code, string Name, Guid CommunityId, Guid? WorkerId, Guid[] CompoundIds);

    /// <summary>The nodes in scope, their descendants, and their ancestors for context, ordered as a tree.</summary>
    public static async Task<List<AreaItem>> VisibleTreeAsync(AppDbContext db, CancellationToken ct = default)
    {
        var inScope = await db.Areas.AsNoTracking().Select(a => new { Item = ToItem(a), a.Path }).ToListAsync(ct);
        var have = inScope.Select(a => a.Item.Id).ToHashSet();
        var ancestors = inScope.SelectMany(a => a.Path.Split('/', StringSplitOptions.RemoveEmptyEntries)).Select(Guid.Parse).Where(id => !have.Contains(id)).Distinct().ToList();
        var above = ancestors.Count == 0 ? [] : await db.Areas.IgnoreQueryFilters().AsNoTracking().Where(a => ancestors.Contains(a.Id)).Select(a => new { Item = ToItem(a), a.Path }).ToListAsync(ct);
        return [.. above.Concat(inScope).OrderBy(a => a.Path.Length).ThenBy(a => a.Item.Code).Select(a => a.Item)];
    }

    private static AreaItem ToItem(Area a) => new(a.Id, a.Code, a.Name, a.Kind, a.ParentId, a.ClosedManagement, a.GridId, a.Address);

    // Joined with the scoped Areas: IgnoreQueryFilters would lift the filter from the whole query, gates included.
    public static IQueryable<GateItem> Gates(AppDbContext db, Guid? id = null, Guid? compoundId = null) =>
        db.Gates.AsNoTracking()
            .Where(g => (id == null || g.Id == id) && (compoundId == null || g.CompoundId == compoundId))
            .Join(db.Areas, g => g.CompoundId, a => a.Id, (g, a) => new { g, a.ClosedManagement, a.Code })
            .OrderBy(x => x.Code).ThenBy(x => x.g.Name)
            .Select(x => new GateItem(x.g.Id, x.g.Name, x.g.CompoundId, x.ClosedManagement ? GateStatus.Closed : GateStatus.Open, x.g.IsActive));

    public static void MapOrgTreeApi(this IEndpointRouteBuilder app)
    {
        var areas = app.MapGroup("/api/areas").WithTags("Org tree");
        areas.MapGet("/", async (AppDbContext db, AreaKind? kind, int? page, int? pageSize) =>
        {
            var tree = await VisibleTreeAsync(db);
            if (kind is not null) tree = [.. tree.Where(a => a.Kind == kind)];
            return TypedResults.Ok(await tree.AsQueryable().PageInMemoryAsync(page, pageSize));
        }).RequireAuthorization(Rights.ReadOrgTree);

        areas.MapGet("/{id:guid}", async Task<Results<Ok<AreaItem>, NotFound>> (Guid id, AppDbContext db) =>
            await db.Areas.AsNoTracking().Where(a => a.Id == id).Select(a => ToItem(a)).FirstOrDefaultAsync() is { } a
                ? TypedResults.Ok(a) : TypedResults.NotFound())
            .RequireAuthorization(Rights.ReadOrgTree);

        areas.MapPost("/", async (EditOrgTree.AreaInput body, EditOrgTree edit) =>
        {
            var a = await edit.CreateAreaAsync(body);
            return TypedResults.Created($"/api/areas/{a.Id}", ToItem(a));
        }).RequireAuthorization(Rights.ManageSystem);

        areas.MapPut("/{id:guid}", async Task<Results<Ok<AreaItem>, NotFound>> (Guid id, EditOrgTree.AreaInput body, EditOrgTree edit) =>
            await edit.UpdateAreaAsync(id, body) is { } a ? TypedResults.Ok(ToItem(a)) : TypedResults.NotFound())
            .RequireAuthorization(Rights.ManageSystem);

        areas.MapPost("/{id:guid}/closed-management", async Task<Results<Ok<AreaItem>, NotFound>> (Guid id, ClosedManagementRequest body, AppDbContext db) =>
        {
            var a = await db.Areas.FirstOrDefaultAsync(x => x.Id == id && x.Kind == AreaKind.Compound);
            if (a is null) return TypedResults.NotFound();
            var errors = new EpiGrid.Platform.Validation.Errors();
            var closed = errors.Required("closed", body.Closed);
            var reason = errors.Text("reason", body.Reason, 200);
            errors.Throw();
            a.ClosedManagement = closed!.Value;
            a.Note = $"{(a.ClosedManagement ? "封闭管理" : "解除封闭")}：{reason}";
            await db.SaveChangesAsync();
            return TypedResults.Ok(ToItem(a));
        }).RequireAuthorization(Rights.CloseCompound);

        var gates = app.MapGroup("/api/gates").WithTags("Org tree");
        gates.MapGet("/", async (AppDbContext db, Guid? compoundId, int? page, int? pageSize) =>
        {
            return TypedResults.Ok(await Gates(db, compoundId: compoundId).PageAsync(page, pageSize, Paging.MaxPageSize));
        }).RequireAuthorization(Rights.ReadOrgTree);

        gates.MapGet("/{id:guid}", async Task<Results<Ok<GateItem>, NotFound>> (Guid id, AppDbContext db) =>
            await Gates(db, id).FirstOrDefaultAsync() is { } g ? TypedResults.Ok(g) : TypedResults.NotFound())
            .RequireAuthorization(Rights.ReadOrgTree);

        gates.MapPost("/", async (EditOrgTree.GateInput body, EditOrgTree edit, AppDbContext db) =>
        {
            var g = await edit.CreateGateAsync(body);
            return TypedResults.Created($"/api/gates/{g.Id}", await Gates(db, g.Id).FirstAsync());
        }).RequireAuthorization(Rights.ManageSystem);

        gates.MapPut("/{id:guid}", async Task<Results<Ok<GateItem>, NotFound>> (Guid id, EditOrgTree.GateInput body, EditOrgTree edit, AppDbContext db) =>
            await edit.UpdateGateAsync(id, body) is { } g ? TypedResults.Ok(await Gates(db, g.Id).FirstAsync()) : TypedResults.NotFound())
            .RequireAuthorization(Rights.ManageSystem);

        var grids = app.MapGroup("/api/grids").WithTags("Org tree");
        grids.MapGet("/", async (AppDbContext db, int? page, int? pageSize) =>
            TypedResults.Ok(await db.Grids.AsNoTracking().OrderBy(g => g.Code)
                .Select(g => new GridItem(g.Id, g.Code, g.Name, g.CommunityId, g.WorkerId, db.Areas.Where(a => a.GridId == g.Id).Select(a => a.Id).ToArray()))
                .PageAsync(page, pageSize, Paging.MaxPageSize)))
            .RequireAuthorization(Rights.ReadOrgTree);

        grids.MapPost("/", async (EditOrgTree.GridInput body, EditOrgTree edit) =>
        {
            var g = await edit.SaveGridAsync(null, body);
            return TypedResults.Created($"/api/grids/{g.Id}", new { g.Id, g.Code, g.Name });
        }).RequireAuthorization(Rights.ManageSystem);

        grids.MapPut("/{id:guid}", async Task<Results<Ok<GridItem>, NotFound>> (Guid id, EditOrgTree.GridInput body, EditOrgTree edit, AppDbContext db) =>
        {
            if (!await db.Grids.AnyAsync(g => g.Id == id)) return TypedResults.NotFound();
            var g = await edit.SaveGridAsync(id, body);
            return TypedResults.Ok(new GridItem(g.Id, g.Code, g.Name, g.CommunityId, g.WorkerId, await db.Areas.Where(a => a.GridId == g.Id).Select(a => a.Id).ToArrayAsync()));
        }).RequireAuthorization(Rights.ManageSystem);
    }
}
