using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace EpiGrid.Features.Account;

public static class AuthApi
{
    public sealed record LoginRequest(string? UserName, string? Password);
    public sealed record Me(Guid Id, string UserName, string DisplayName, string[] Roles);

    public static void MapAuthApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/auth").WithTags("Auth");

        // 200 { accessToken, expiresIn } (and tokenType); wrong credentials, an unknown name, lockout or a disabled account → the same 401.
        g.MapPost("/login", async Task<Results<SignInHttpResult, ProblemHttpResult>> (LoginRequest body, SignInUser signIn, SignInManager<AppUser> manager, HttpContext http) =>
        {
            var result = await signIn.CheckAsync(body.UserName, body.Password, "Api");
            if (result.Outcome == SignInUser.Outcome.RateLimited)
            {
                var seconds = Math.Max(1, (int)Math.Ceiling(result.RetryAfter!.Value.TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return TypedResults.Problem(title: SignInUser.Message(result.Outcome), detail: $"请在 {seconds} 秒后重试。", statusCode: StatusCodes.Status429TooManyRequests);
            }
            if (result.Outcome != SignInUser.Outcome.Ok)
            {
                // One answer for an unknown name, a wrong password, a disabled or a locked account (the history keeps which).
                return TypedResults.Problem(title: "登录失败", detail: SignInUser.RefusedMessage, statusCode: StatusCodes.Status401Unauthorized);
            }
            var principal = await manager.CreateUserPrincipalAsync(result.User!);
            return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
        }).AllowAnonymous().RequireRateLimiting(Platform.Web.RateLimits.SignIn);

        g.MapGet("/me", (HttpContext http) =>
        {
            var u = http.User;
            return TypedResults.Ok(new Me(u.UserId(), u.Identity!.Name!, u.DisplayName(),
                [.. Roles.All.Where(u.IsInRole)]));
        }).RequireAuthorization(Rights.SignedIn);
    }
}
