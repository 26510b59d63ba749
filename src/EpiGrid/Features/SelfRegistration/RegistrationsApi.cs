using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using QRCoder;

namespace EpiGrid.Features.SelfRegistration;

public static class RegistrationsApi
{
    public sealed record Submitted(string Reference);
    public sealed record Item(Guid Id, string Reference, Guid CommunityId, string Name, People.Gender Gender, string IdNumberMasked, string PhoneMasked,
        string Address, string? TravelFrom, DateTimeOffset? ArrivedAt, bool ContactWithCases, DateTimeOffset SubmittedAt, RegistrationStatus Status, Guid? PersonId);

    public static void MapRegistrationsApi(this IEndpointRouteBuilder app)
    {
        var pub = app.MapGroup("/api/public/registrations").WithTags("Public").AllowAnonymous().RequireRateLimiting(RateLimits.Public);

        // The answer is the same whoever registers: a reference number, never whether the person was known.
        pub.MapPost("/{communityCode}", async Task<Results<Created<Submitted>, NotFound>> (string communityCode, SubmitRegistration.Input body, SubmitRegistration submit) =>
        {
            var community = await submit.CommunityAsync(communityCode);
            if (community is null) return TypedResults.NotFound();
            var reference = await submit.SubmitAsync(community, body);
            return TypedResults.Created((string?)null, new Submitted(reference));
        });

        // The QR code of the community's public page (it carries only the page's address, on EpiGrid:PublicBaseUrl).
        pub.MapGet("/{communityCode}/qr.png", async Task<Results<FileContentHttpResult, NotFound>> (string communityCode, SubmitRegistration submit, PublicLinks links) =>
        {
            if (await submit.CommunityAsync(communityCode) is null) return TypedResults.NotFound();
            var url = links.Url($"/Public/Register/{communityCode}");
            using var generator = new QRCodeGenerator();
            using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
            return TypedResults.File(new PngByteQRCode(data).GetGraphic(10), "image/png");
        });

        var g = app.MapGroup("/api/registrations").WithTags("People");
        g.MapGet("/", async (AppDbContext db, OfficeClock clock, RegistrationStatus? status, int? page, int? pageSize) =>
        {
            var q = db.Set<PendingRegistration>().AsNoTracking();
            if (status is { } s) q = q.Where(r => r.Status == s);
            var result = await q.OrderByDescending(r => r.SubmittedAt).PageAsync(page, pageSize);
            // A registration linked to a person another community registered shows no id: only people in scope are named.
            var linked = result.Items.Where(r => r.PersonId is not null).Select(r => r.PersonId!.Value).ToList();
            var visible = linked.Count == 0 ? [] : (await db.Set<People.Person>().Where(p => linked.Contains(p.Id)).Select(p => p.Id).ToListAsync()).ToHashSet();
            return TypedResults.Ok(new PageOf<Item>([.. result.Items.Select(r => new Item(r.Id, r.Reference, r.CommunityId, r.Name, r.Gender, r.IdNumberMasked,
                r.PhoneMasked, r.Address, r.TravelFrom, r.ArrivedAt is { } a ? clock.WithOffset(a) : null, r.ContactWithCases,
                clock.WithOffset(r.SubmittedAt), r.Status, r.PersonId is { } p && visible.Contains(p) ? p : null))], result.Total));
        }).RequireAuthorization(Rights.ReadPeople);

        // { personId } for a person in the caller's scope; { ownerArea } alone when another community had registered them.
        g.MapPost("/{id:guid}/confirm", async Task<Results<Ok<object>, NotFound>> (Guid id, SubmitRegistration.ConfirmInput body, SubmitRegistration submit) =>
            await submit.ConfirmAsync(id, body) switch
            {
                null => TypedResults.NotFound(),
                { PersonId: { } personId } => TypedResults.Ok((object)new { personId }),
                { OwnerArea: var ownerArea } => TypedResults.Ok((object)new { ownerArea }),
            })
            .RequireAuthorization(Rights.EditPeople);

        g.MapPost("/{id:guid}/reject", async Task<Results<NoContent, NotFound>> (Guid id, SubmitRegistration.RejectInput body, SubmitRegistration submit) =>
            await submit.RejectAsync(id, body) ? TypedResults.NoContent() : TypedResults.NotFound())
            .RequireAuthorization(Rights.EditPeople);
    }
}
