using Microsoft.AspNetCore.Antiforgery;

namespace EpiGrid.Platform.Auth;

/// <summary>
/// The pages and their offline queue call /api with the sign-in cookie; on unsafe methods such a call must carry
/// the antiforgery token in the <c>RequestVerificationToken</c> header. Bearer calls carry no cookie and need none.
/// </summary>
public static class ApiAntiforgery
{
    public const string HeaderName = "RequestVerificationToken";

    // Bearer calls and safe methods go on synchronously (no async frame of their own in the request's chain).
    public static IApplicationBuilder UseApiAntiforgery(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var r = http.Request;
        if (r.Path.StartsWithSegments("/api") && !HttpMethods.IsGet(r.Method) && !HttpMethods.IsHead(r.Method) && !HttpMethods.IsOptions(r.Method)
            && !r.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && http.User.Identity?.IsAuthenticated == true)
        {
            return CheckedAsync(http, next);
        }
        return next(http);
    });

    private static async Task CheckedAsync(HttpContext http, RequestDelegate next)
    {
        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await Results.Problem(title: "缺少或无效的防伪令牌", detail: "请刷新页面后重试。", statusCode: 400).ExecuteAsync(http);
            return;
        }
        await next(http);
    }
}
