using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace EpiGrid.Platform.Web;

/// <summary>
/// Limits per client address (API.md defaults: sign-in 100 a minute, public endpoints 30 a minute; settings
/// <c>EpiGrid:RateLimits:PublicPerMinute</c> and <c>SignInPerMinute</c>). Over the limit: 429 problem+json with Retry-After.
/// </summary>
public static class RateLimits
{
    public const string Public = "public";
    public const string SignIn = "sign-in";

    public static IServiceCollection AddEpiGridRateLimits(this IServiceCollection services, IConfiguration config)
    {
        var publicPerMinute = config.GetValue("EpiGrid:RateLimits:PublicPerMinute", 30);
        var signInPerMinute = config.GetValue("EpiGrid:RateLimits:SignInPerMinute", 100);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Public, http => PerAddress(http, Public, publicPerMinute));
            o.AddPolicy(SignIn, http => PerAddress(http, SignIn, signInPerMinute));
            o.OnRejected = async (ctx, ct) =>
            {
                var retry = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(60);
                ctx.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await Results.Problem(title: "请求过于频繁，请稍后再试", statusCode: 429,
                    detail: $"请在 {(int)Math.Ceiling(retry.TotalSeconds)} 秒后重试。").ExecuteAsync(ctx.HttpContext);
            };
        });
        return services;
    }

    private static RateLimitPartition<string> PerAddress(HttpContext http, string policy, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(policy + ":" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}
