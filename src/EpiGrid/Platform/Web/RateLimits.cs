using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace EpiGrid.Platform.Web;

/// <summary>
/// Request limits per client address (API.md, "Conventions"): a fixed one-minute window; over the limit → 429
/// problem+json with <c>Retry-After</c>. Endpoints opt in with <c>RequireRateLimiting(RateLimits.Public)</c>, pages
/// with <c>[EnableRateLimiting(RateLimits.Public)]</c>.
/// </summary>
public static class RateLimits
{
    public const string Public = "public";

    public static IServiceCollection AddEpiGridRateLimits(this IServiceCollection services) => services.AddRateLimiter(o =>
    {
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        o.OnRejected = async (ctx, ct) =>
        {
            var retry = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var r) ? r : TimeSpan.FromMinutes(1);
            var http = ctx.HttpContext;
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await Results.Problem(title: "请求过于频繁，请稍后再试", detail: "每个网络地址每分钟的请求次数有限，请稍后重试。",
                statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(http);
        };
        o.AddPolicy(Public, http =>
        {
            var limit = http.RequestServices.GetRequiredService<IOptions<EpiGridOptions>>().Value.RateLimits.PublicPerMinute;
            return RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, limit), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
        });
    });
}
