using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace EpiGrid.Platform.Web;

/// <summary>
/// Request body limits: <c>EpiGrid:MaxRequestBodyBytes</c> (default 1 MB) everywhere, except on the upload routes,
/// which carry their own limit as endpoint metadata (<c>[RequestSizeLimit]</c> on a page,
/// <c>.WithMetadata(new RequestSizeLimitAttribute(n))</c> on a route). Too large → 413 (problem+json on /api): at once
/// when Content-Length says so, else when the reader passes the limit (Kestrel's per-request maximum).
/// </summary>
public static class BodyLimits
{
    /// <summary>Household registers (.xlsx) and several inspection photos in one form.</summary>
    public const long Uploads = 32L * 1024 * 1024;

    public static IApplicationBuilder UseBodyLimits(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var limit = http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
            ?? http.RequestServices.GetRequiredService<IOptions<EpiGridOptions>>().Value.MaxRequestBodyBytes;
        if (http.Request.ContentLength is { } length && length > limit) return TooLargeAsync(http, limit);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } max) max.MaxRequestBodySize = limit;
        return next(http); // no async frame of its own in every request's chain
    });

    private static async Task TooLargeAsync(HttpContext http, long? limit)
    {
        http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        if (Problems.ProblemDetailsExceptionHandler.IsApi(http.Request))
        {
            await Results.Problem(title: "请求体过大", statusCode: 413, detail: $"请求体不能超过 {limit / 1024:N0} KB。").ExecuteAsync(http);
        }
        else
        {
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync($"请求体过大（不能超过 {limit / 1024:N0} KB）。");
        }
    }
}
