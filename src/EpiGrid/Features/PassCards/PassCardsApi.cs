using EpiGrid.Features.Gates;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EpiGrid.Features.PassCards;

public static class PassCardsApi
{
    public sealed record IssuedCard(Guid Id, string Number, Guid HouseholdId, string Token, string QrText);

    public static void MapPassCardsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/pass-cards").WithTags("PassCards");

        g.MapGet("/", async (Guid? householdId, Guid? compoundId, bool? revoked, int? page, int? pageSize, IssuePassCard cards) =>
            TypedResults.Ok(await cards.ListAsync(householdId, compoundId, revoked, page, pageSize)))
            .RequireAuthorization(Rights.ReadPeople);

        // The token is in this answer only: print it now (the database keeps its hash).
        g.MapPost("/", async Task<Results<Created<IssuedCard>, NotFound>> (IssuePassCard.IssueInput body, IssuePassCard cards) =>
            await cards.IssueAsync(body) is { } i
                ? TypedResults.Created($"/api/pass-cards?householdId={i.Card.HouseholdId}", new IssuedCard(i.Card.Id, PassCard.NumberText(i.Card.Number), i.Card.HouseholdId, i.Token, i.QrText))
                : TypedResults.NotFound())
            .RequireAuthorization(Rights.EditPeople);

        g.MapPost("/{id:guid}/revoke", async Task<Results<NoContent, NotFound>> (Guid id, IssuePassCard.RevokeInput body, IssuePassCard cards) =>
            await cards.RevokeAsync(id, body) ? TypedResults.NoContent() : TypedResults.NotFound())
            .RequireAuthorization(Rights.EditPeople);

        // An estate's outing limit (one person per household every N days); days: null lifts it.
        g.MapPut("/outing-limits/{compoundId:guid}", async Task<Results<NoContent, NotFound>> (Guid compoundId, IssuePassCard.LimitInput body, IssuePassCard cards) =>
            await cards.SetOutingLimitAsync(compoundId, body) ? TypedResults.NoContent() : TypedResults.NotFound())
            .RequireAuthorization(Rights.CloseCompound);

        // The gate scans a card: the token travels in the body, not in the address (kept out of access logs).
        app.MapPost("/api/gates/{gateId:guid}/card-scans", async Task<Results<Ok<GateCards.CardHit>, NotFound>> (Guid gateId, GateCards.ScanInput body, GateCards cards) =>
            await cards.ScanAsync(gateId, body) is { } hit ? TypedResults.Ok(hit) : TypedResults.NotFound())
            .WithTags("Gates").RequireAuthorization(Rights.GatePasses);

        // The shared phone's lock: a keeper's own PIN, and resuming a locked gate page (possibly as another keeper).
        app.MapPut("/api/gates/pin", async Task<NoContent> (KeeperLock.PinInput body, KeeperLock keeperLock, HttpContext http) =>
        {
            await keeperLock.SetPinAsync(http.User.UserId(), body);
            return TypedResults.NoContent();
        }).WithTags("Gates").RequireAuthorization(Rights.GatePasses);

        app.MapPost("/api/gates/{gateId:guid}/unlock", async Task<Results<Ok<KeeperLock.Unlocked>, NotFound, ProblemHttpResult>> (Guid gateId, KeeperLock.UnlockInput body, KeeperLock keeperLock, EpiGrid.Platform.OfficeClock clock) =>
        {
            try
            {
                return await keeperLock.UnlockAsync(gateId, body) is { } u ? TypedResults.Ok(u) : TypedResults.NotFound();
            }
            catch (KeeperLock.PinLockedException e)
            {
                return TypedResults.Problem(title: "PIN 已锁定", detail: $"连续输错 {KeeperLock.MaxFailures} 次，PIN 锁定到 {clock.Format(e.Until)}；请用密码登录。",
                    statusCode: StatusCodes.Status429TooManyRequests);
            }
        }).WithTags("Gates").RequireAuthorization(Rights.GatePasses);
    }
}
