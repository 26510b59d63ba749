using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Supplies;

/// <summary>Supplies for quarantined households (送生活物品): requests, assignment, contactless delivery (docs/api.md, "Field work").</summary>
public static class SuppliesApi
{
    /// <summary>A link just made: the token and its address are in this answer only (only their hash is stored).</summary>
    public sealed record LinkItem(Guid Id, Guid PersonId, string Token, string Url, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);
    public sealed record PublicView(string Compound, string Recipient, IReadOnlyList<PublicRequest> Requests);
    public sealed record PublicRequest(DateTimeOffset RequestedAt, string[] Items, string? PreferredTime, SupplyStatus Status, DateTimeOffset? DeliveredAt);
    public sealed record PublicCreated(SupplyStatus Status, DateTimeOffset RequestedAt);

    /// <summary>The household's page, on the public address (EpiGrid:PublicBaseUrl), never the request's Host.</summary>
    public static string PublicUrl(PublicLinks links, string token) => links.Url($"/Public/Supplies/{token}");

    /// <summary>What the household sees on its own page: its requests of the last two weeks, never anyone else's.</summary>
    public static async Task<PublicView?> PublicViewAsync(AppDbContext db, OfficeClock clock, SupplyLink link, CancellationToken ct = default)
    {
        var name = await db.Set<People.Person>().IgnoreQueryFilters().Where(p => p.Id == link.PersonId).Select(p => p.Name).FirstOrDefaultAsync(ct);
        if (name is null) return null;
        var compound = await db.Areas.IgnoreQueryFilters().Where(a => a.Id == link.CompoundId).Select(a => a.Name).FirstOrDefaultAsync(ct) ?? "";
        var since = clock.UtcNow.AddDays(-14);
        var requests = await db.Set<SupplyRequest>().IgnoreQueryFilters().AsNoTracking().Where(r => r.PersonId == link.PersonId && r.RequestedAt >= since)
            .OrderByDescending(r => r.RequestedAt).Take(20).ToListAsync(ct);
        return new PublicView(compound, SupplyBoard.MaskName(name), [.. requests.Select(r => new PublicRequest(clock.WithOffset(r.RequestedAt),
            r.Items.Split(SupplyRequest.Separator), r.PreferredTime, r.Status, r.DeliveredAt is { } d ? clock.WithOffset(d) : null))]);
    }

    public static void MapSuppliesApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/supplies").WithTags("Field work: supplies");

        g.MapGet("/", async (SupplyBoard board, SupplyStatus? status, Guid? personId, Guid? areaId, bool? overdue, int? page, int? pageSize) =>
        {
            var paged = await board.Query(status, personId, areaId, overdue).PageAsync(page, pageSize);
            return TypedResults.Ok(new PageOf<SupplyBoard.SupplyItem>(await board.ItemsAsync(paged.Items), paged.Total));
        }).RequireAuthorization(Rights.FieldWork);

        g.MapGet("/{id:guid}", async Task<Results<Ok<SupplyBoard.SupplyItem>, NotFound>> (Guid id, SupplyBoard board) =>
            await board.OneAsync(id) is { } r ? TypedResults.Ok(r) : TypedResults.NotFound())
            .RequireAuthorization(Rights.FieldWork);

        g.MapPost("/", async (RequestSupplies.RequestInput body, RequestSupplies request, SupplyBoard board) =>
        {
            var r = await request.RequestAsync(body);
            return TypedResults.Created($"/api/supplies/{r.Id}", (await board.ItemsAsync([r]))[0]);
        }).RequireAuthorization(Rights.FieldWork);

        // { volunteerId } (an account with the Volunteer role) or { memberId } (someone on the duty roster without an account).
        g.MapPost("/{id:guid}/assign", async Task<Results<Ok<SupplyBoard.SupplyItem>, NotFound>> (Guid id, DeliverSupplies.AssignInput body, DeliverSupplies deliver, SupplyBoard board) =>
            await deliver.AssignAsync(id, body) is { } r ? TypedResults.Ok((await board.ItemsAsync([r]))[0]) : TypedResults.NotFound())
            .RequireAuthorization(Rights.FieldWork);

        // The grid worker records a delivery (time, by whom, without contact); 409 if already delivered or cancelled.
        g.MapPost("/{id:guid}/delivered", async Task<Results<Ok<SupplyBoard.SupplyItem>, NotFound>> (Guid id, DeliverSupplies.DeliveredInput body, DeliverSupplies deliver, SupplyBoard board) =>
            await deliver.MarkDeliveredAsync(id, body) is { } r ? TypedResults.Ok((await board.ItemsAsync([r]))[0]) : TypedResults.NotFound())
            .RequireAuthorization(Rights.FieldWork);

        g.MapPost("/{id:guid}/cancel", async Task<Results<Ok<SupplyBoard.SupplyItem>, NotFound>> (Guid id, DeliverSupplies.CancelInput body, DeliverSupplies deliver, SupplyBoard board) =>
            await deliver.CancelAsync(id, body) is { } r ? TypedResults.Ok((await board.ItemsAsync([r]))[0]) : TypedResults.NotFound())
            .RequireAuthorization(Rights.FieldWork);

        g.MapGet("/volunteers", async (DeliverSupplies deliver, AppDbContext db, Guid? compoundId) =>
        {
            if (compoundId is { } c && !await db.Areas.AnyAsync(a => a.Id == c)) new Platform.Validation.Errors().Add("compoundId", "小区不存在").Throw();
            var items = await deliver.VolunteersAsync(compoundId);
            return TypedResults.Ok(new PageOf<DeliverSupplies.Volunteer>(items, items.Count));
        }).RequireAuthorization(Rights.FieldWork);

        static LinkItem Item(RequestSupplies.NewLink made, OfficeClock clock, PublicLinks links) => new(made.Link.Id, made.Link.PersonId, made.Token,
            PublicUrl(links, made.Token), clock.WithOffset(made.Link.CreatedAt), clock.WithOffset(made.Link.ExpiresAt));

        // The person's links with their state (never a token).
        g.MapGet("/links", async Task<Results<Ok<PageOf<RequestSupplies.LinkState>>, NotFound>> (Guid? personId, RequestSupplies request) =>
        {
            var errors = new Platform.Validation.Errors();
            var id = errors.Required("personId", personId);
            errors.Throw();
            return await request.LinksAsync(id!.Value) is { } links ? TypedResults.Ok(links) : TypedResults.NotFound();
        }).RequireAuthorization(Rights.FieldWork);

        // A new link for the household (201, its token shown this once); while one still works → 409 (regenerate instead).
        g.MapPost("/links", async Task<Results<Created<LinkItem>, NotFound>> (LinkInput body, RequestSupplies request, OfficeClock clock, PublicLinks links) =>
        {
            var errors = new Platform.Validation.Errors();
            var personId = errors.Required("personId", body.PersonId);
            errors.Throw();
            if (await request.ShareLinkAsync(personId!.Value) is not { } made) return TypedResults.NotFound();
            var item = Item(made, clock, links);
            return TypedResults.Created(item.Url, item);
        }).RequireAuthorization(Rights.FieldWork);

        // Revokes the household's link and makes a new one (201, its token shown this once).
        g.MapPost("/links/regenerate", async Task<Results<Created<LinkItem>, NotFound>> (LinkInput body, RequestSupplies request, OfficeClock clock, PublicLinks links) =>
        {
            var errors = new Platform.Validation.Errors();
            var personId = errors.Required("personId", body.PersonId);
            errors.Throw();
            if (await request.RegenerateLinkAsync(personId!.Value) is not { } made) return TypedResults.NotFound();
            var item = Item(made, clock, links);
            return TypedResults.Created(item.Url, item);
        }).RequireAuthorization(Rights.FieldWork);

        // Stops the household's link (the observation ended, or it was passed on); the next share makes a new one.
        g.MapPost("/links/revoke", async Task<Results<NoContent, NotFound>> (LinkInput body, RequestSupplies request) =>
        {
            var errors = new Platform.Validation.Errors();
            var personId = errors.Required("personId", body.PersonId);
            errors.Throw();
            return await request.RevokeLinkAsync(personId!.Value) ? TypedResults.NoContent() : TypedResults.NotFound();
        }).RequireAuthorization(Rights.FieldWork);

        g.MapGet("/export.xlsx", async (SupplyBoard board, OfficeClock clock, Exporter exporter, SupplyStatus? status, Guid? areaId) =>
        {
            var list = await board.Query(status, null, areaId, null).Take(50_000).ToListAsync();
            var items = await board.ItemsAsync(list);
            var bytes = await exporter.ExportAsync("生活物品配送", status is { } s ? ExportFilter.Of().App("状态=", SupplyRequest.StatusName(s)) : ExportFilter.Of(),
            [
                new ExportColumn<SupplyBoard.SupplyItem>("申请时间", r => clock.Format(r.RequestedAt.UtcDateTime)),
                new("姓名", r => r.PersonName),
                new("送达地址", r => r.DeliveryAddress),
                new("物品", r => string.Join("、", r.Items)),
                new("希望时间", r => r.PreferredTime),
                new("备注", r => r.Note),
                new("来源", r => r.RequestedBy),
                new("状态", r => SupplyRequest.StatusName(r.Status) + (r.Overdue ? "（超时）" : "")),
                new("配送人", r => r.AssigneeName),
                new("送达时间", r => r.DeliveredAt is { } d ? clock.Format(d.UtcDateTime) : ""),
                new("送达人", r => r.DeliveredBy),
                new("无接触", r => r.DeliveredAt is null ? "" : r.Contactless ? "是" : "否"),
            ], items);
            return Exporter.File(bytes, "生活物品配送");
        }).RequireAuthorization(Rights.FieldWork);

        // A volunteer's own deliveries (and a grid worker's, when one is assigned to them): nobody else's.
        g.MapGet("/mine", async (SupplyBoard board, HttpContext http) =>
        {
            var items = await board.MineAsync(http.User.UserId());
            return TypedResults.Ok(new PageOf<SupplyBoard.MineItem>(items, items.Count));
        }).RequireAuthorization(Rights.CompleteDelivery);

        // Done, now, without contact. A delivery not assigned to the caller → 404, as if it did not exist.
        g.MapPost("/mine/{id:guid}/delivered", async Task<Results<Ok<SupplyBoard.MineItem>, NotFound>> (Guid id, DeliverSupplies.MineDeliveredInput body, DeliverSupplies deliver, SupplyBoard board, HttpContext http) =>
        {
            if (await deliver.CompleteMineAsync(id, body) is null) return TypedResults.NotFound();
            return (await board.MineAsync(http.User.UserId())).FirstOrDefault(m => m.Id == id) is { } item ? TypedResults.Ok(item) : TypedResults.NotFound();
        }).RequireAuthorization(Rights.CompleteDelivery);

        var pub = app.MapGroup("/api/public/supplies").WithTags("Public").AllowAnonymous().RequireRateLimiting(RateLimits.Public);

        pub.MapGet("/{token}", async Task<Results<Ok<PublicView>, NotFound>> (string token, RequestSupplies request, AppDbContext db, OfficeClock clock) =>
            await request.LinkAsync(token) is { } link && await PublicViewAsync(db, clock, link) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound());

        pub.MapPost("/{token}", async Task<Results<Created<PublicCreated>, NotFound>> (string token, RequestSupplies.PublicInput body, RequestSupplies request, OfficeClock clock) =>
            await request.RequestFromLinkAsync(token, body) is { } r
                ? TypedResults.Created((string?)null, new PublicCreated(r.Status, clock.WithOffset(r.RequestedAt))) : TypedResults.NotFound());
    }

    public sealed record LinkInput(Guid? PersonId);
}
