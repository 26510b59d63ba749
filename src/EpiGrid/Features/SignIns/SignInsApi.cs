using EpiGrid.Platform.Auth;

namespace EpiGrid.Features.SignIns;

public static class SignInsApi
{
    public static void MapSignInsApi(this IEndpointRouteBuilder app)
    {
        // One's own sign-in history (when, from where, with what, succeeded or not), newest first.
        app.MapGet("/api/auth/sign-ins", async (HttpContext http, SignInHistory history, bool? succeeded, int? page, int? pageSize) =>
            TypedResults.Ok(await history.ListAsync(http.User.UserId(), null, succeeded, page, pageSize)))
            .WithTags("Auth").RequireAuthorization(Rights.SignedIn);

        // The auditor: any account's (userId), or every attempt with a name as typed (userName: unknown names too).
        app.MapGet("/api/audit/sign-ins", async (SignInHistory history, Guid? userId, string? userName, bool? succeeded, int? page, int? pageSize) =>
            TypedResults.Ok(await history.ListAsync(userId, userName, succeeded, page, pageSize)))
            .WithTags("Audit").RequireAuthorization(Rights.ReadAudit);
    }
}
