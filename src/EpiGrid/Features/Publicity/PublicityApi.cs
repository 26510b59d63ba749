using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Publicity;

/// <summary>Publicity: vehicles and their runs, fixed points, materials, where they were posted, and coverage (docs/api.md, "Field work").</summary>
public static class PublicityApi
{
    private static void CheckRange(DateOnly? from, DateOnly? to)
    {
        if (from is { } f && to is { } t && t < f) new Errors().Add("to", "结束日期不能早于开始日期").Throw();
    }

    public static void MapPublicityApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/publicity").WithTags("Publicity");

        g.MapGet("/vehicles", async (PublicityBoard board) =>
        {
            var items = await board.VehiclesAsync();
            return TypedResults.Ok(new PageOf<PublicityBoard.VehicleItem>(items, items.Count));
        }).RequireAuthorization(Rights.Publicity);

        g.MapGet("/vehicles/{id:guid}", async Task<Results<Ok<PublicityBoard.VehicleItem>, NotFound>> (Guid id, PublicityBoard board) =>
            (await board.VehiclesAsync(id)).FirstOrDefault() is { } v ? TypedResults.Ok(v) : TypedResults.NotFound())
            .RequireAuthorization(Rights.Publicity);

        g.MapPost("/vehicles", async (EditPublicity.VehicleInput body, EditPublicity edit, PublicityBoard board) =>
        {
            var v = await edit.CreateVehicleAsync(body);
            return TypedResults.Created($"/api/publicity/vehicles/{v.Id}", (await board.VehiclesAsync(v.Id))[0]);
        }).RequireAuthorization(Rights.Publicity);

        g.MapPut("/vehicles/{id:guid}", async Task<Results<Ok<PublicityBoard.VehicleItem>, NotFound>> (Guid id, EditPublicity.VehicleInput body, EditPublicity edit, PublicityBoard board) =>
            await edit.UpdateVehicleAsync(id, body) is { } v ? TypedResults.Ok((await board.VehiclesAsync(v.Id))[0]) : TypedResults.NotFound())
            .RequireAuthorization(Rights.Publicity);

        g.MapGet("/runs", async (PublicityBoard board, Guid? vehicleId, DateOnly? from, DateOnly? to, int? page, int? pageSize) =>
        {
            CheckRange(from, to);
            var paged = await board.RunQuery(vehicleId, from, to).PageAsync(page, pageSize);
            return TypedResults.Ok(new PageOf<PublicityBoard.RunItem>(await board.RunItemsAsync(paged.Items), paged.Total));
        }).RequireAuthorization(Rights.Publicity);

        g.MapGet("/runs/{id:guid}", async Task<Results<Ok<PublicityBoard.RunItem>, NotFound>> (Guid id, AppDbContext db, PublicityBoard board) =>
            await db.Set<VehicleRun>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id) is { } r ? TypedResults.Ok((await board.RunItemsAsync([r]))[0]) : TypedResults.NotFound())
            .RequireAuthorization(Rights.Publicity);

        g.MapPost("/runs", async (EditPublicity.RunInput body, EditPublicity edit, PublicityBoard board) =>
        {
            var r = await edit.RecordRunAsync(body);
            return TypedResults.Created($"/api/publicity/runs/{r.Id}", (await board.RunItemsAsync([r]))[0]);
        }).RequireAuthorization(Rights.Publicity);

        g.MapGet("/points", async (PublicityBoard board) =>
        {
            var items = await board.PointsAsync();
            return TypedResults.Ok(new PageOf<PublicityBoard.PointItem>(items, items.Count));
        }).RequireAuthorization(Rights.Publicity);

        g.MapGet("/points/{id:guid}", async Task<Results<Ok<PublicityBoard.PointItem>, NotFound>> (Guid id, PublicityBoard board) =>
            (await board.PointsAsync(id)).FirstOrDefault() is { } p ? TypedResults.Ok(p) : TypedResults.NotFound())
            .RequireAuthorization(Rights.Publicity);

        g.MapPost("/points", async (EditPublicity.PointInput body, EditPublicity edit, PublicityBoard board) =>
        {
            var p = await edit.CreatePointAsync(body);
            return TypedResults.Created($"/api/publicity/points/{p.Id}", (await board.PointsAsync(p.Id))[0]);
        }).RequireAuthorization(Rights.Publicity);

        g.MapPut("/points/{id:guid}", async Task<Results<Ok<PublicityBoard.PointItem>, NotFound>> (Guid id, EditPublicity.PointInput body, EditPublicity edit, PublicityBoard board) =>
            await edit.UpdatePointAsync(id, body) is { } p ? TypedResults.Ok((await board.PointsAsync(p.Id))[0]) : TypedResults.NotFound())
            .RequireAuthorization(Rights.Publicity);

        // Materials are the office's reference list (not in the tree): listed and added, never addressed one by one.
        g.MapGet("/materials", async (PublicityBoard board, bool? active) =>
        {
            var items = await board.MaterialsAsync(active);
            return TypedResults.Ok(new PageOf<PublicityBoard.MaterialItem>(items, items.Count));
        }).RequireAuthorization(Rights.Publicity);

        g.MapPost("/materials", async (EditPublicity.MaterialInput body, EditPublicity edit) =>
        {
            var m = await edit.CreateMaterialAsync(body);
            return TypedResults.Created((string?)null, PublicityBoard.ToItem(m));
        }).RequireAuthorization(Rights.Publicity);

        g.MapGet("/postings", async (PublicityBoard board, Guid? materialId, Guid? areaId, DateOnly? from, DateOnly? to, int? page, int? pageSize) =>
        {
            CheckRange(from, to);
            var paged = await board.PostingQuery(materialId, areaId, from, to).PageAsync(page, pageSize);
            return TypedResults.Ok(new PageOf<PublicityBoard.PostingItem>(await board.PostingItemsAsync(paged.Items), paged.Total));
        }).RequireAuthorization(Rights.Publicity);

        g.MapGet("/postings/{id:guid}", async Task<Results<Ok<PublicityBoard.PostingItem>, NotFound>> (Guid id, AppDbContext db, PublicityBoard board) =>
            await db.Set<MaterialPosting>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id) is { } p ? TypedResults.Ok((await board.PostingItemsAsync([p]))[0]) : TypedResults.NotFound())
            .RequireAuthorization(Rights.Publicity);

        g.MapPost("/postings", async (EditPublicity.PostingInput body, EditPublicity edit, PublicityBoard board) =>
        {
            var p = await edit.RecordPostingAsync(body);
            return TypedResults.Created($"/api/publicity/postings/{p.Id}", (await board.PostingItemsAsync([p]))[0]);
        }).RequireAuthorization(Rights.Publicity);

        g.MapGet("/postings/export.xlsx", async (PublicityBoard board, Exporter exporter, Guid? materialId, Guid? areaId, DateOnly? from, DateOnly? to) =>
        {
            CheckRange(from, to);
            var list = await board.PostingQuery(materialId, areaId, from, to).Take(50_000).ToListAsync();
            var items = await board.PostingItemsAsync(list);
            var filter = ExportFilter.Of().Dates(from, to);
            var bytes = await exporter.ExportAsync("宣传材料张贴发放", filter,
            [
                new ExportColumn<PublicityBoard.PostingItem>("日期", p => p.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
                new("材料", p => p.MaterialTitle),
                new("区域", p => p.AreaName),
                new("宣传点", p => p.PointName),
                new("位置", p => p.Place),
                new("方式", p => MaterialPosting.MethodName(p.Method)),
                new("数量", p => p.Quantity),
                new("经办人", p => p.DoneBy),
                new("备注", p => p.Note),
            ], items);
            return Exporter.File(bytes, "宣传材料张贴发放");
        }).RequireAuthorization(Rights.Publicity);

        // Which compounds have had which material (missingOnly=true: those still lacking one).
        g.MapGet("/coverage", async (PublicityBoard board, Guid? communityId, Guid? materialId, bool? missingOnly) =>
            TypedResults.Ok(await board.CoverageAsync(communityId, materialId, missingOnly ?? false)))
            .RequireAuthorization(Rights.Publicity);
    }
}
