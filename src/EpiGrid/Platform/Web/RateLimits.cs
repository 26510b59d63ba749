using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace EpiGrid.Platform.Web;

/// <summary>
/// Limits (docs/api.md, "Conventions"; settings under <c>EpiGrid:RateLimits</c>): sign-in — the form and
/// <c>POST /api/auth/login</c> — 100 a minute per client address (<c>SignInPerMinute</c>) and 20 a minute per account
/// (<c>SignInPerAccountPerMinute</c>, counted in <see cref="SignInThrottle"/> because the account is in the body);
/// public endpoints — <c>/api/public/*</c> and the public pages — 30 a minute per client address
/// (<c>PublicPerMinute</c>), and at most <c>PublicConcurrent</c> of them at once over all addresses, so a flood of
/// public forms queues behind itself instead of taking the threads and connections the staff pages need.
/// Over a limit: 429 problem+json with Retry-After.
/// </summary>
public static class RateLimits
{
    public const string Public = "public";
    public const string SignIn = "sign-in";

    public static IServiceCollection AddEpiGridRateLimits(this IServiceCollection services, IConfiguration config)
    {
        var o = config.GetSection("EpiGrid:RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddSingleton(new SignInThrottle(o.SignInPerAccountPerMinute));
        services.AddRateLimiter(r =>
        {
            r.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            r.AddPolicy(Public, http => PerAddress(http, Public, o.PublicPerMinute));
            r.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => IsPublic(http.Request.Path)
                // One partition for every public request: a flood from many addresses still gets only this many at once.
                // (Made by the factory: the partitioned limiter disposes an idle limiter and asks for a new one.)
                ? RateLimitPartition.GetConcurrencyLimiter("public:all", _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = Math.Max(1, o.PublicConcurrent),
                    QueueLimit = Math.Max(0, o.PublicQueue),
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                })
                : RateLimitPartition.GetNoLimiter("staff"));
            r.AddPolicy(SignIn, http => PerAddress(http, SignIn, o.SignInPerMinute));
            r.OnRejected = async (ctx, ct) =>
            {
                var retry = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(5);
                await RejectAsync(ctx.HttpContext, retry);
            };
        });
        return services;
    }

    /// <summary>429 problem+json with Retry-After in whole seconds.</summary>
    public static async Task RejectAsync(HttpContext http, TimeSpan retry)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Results.Problem(title: "请求过于频繁，请稍后再试", statusCode: 429, detail: $"请在 {seconds} 秒后重试。").ExecuteAsync(http);
    }

    /// <summary>Whether the request is limited at all: a public route (the global limiter) or an endpoint with a policy.</summary>
    public static bool Applies(HttpContext http) =>
        IsPublic(http.Request.Path) || http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>() is not null;

    /// <summary>The routes anyone may call: the public API and the public pages.</summary>
    public static bool IsPublic(PathString path) => path.StartsWithSegments("/api/public") || path.StartsWithSegments("/Public");

    public static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static RateLimitPartition<string> PerAddress(HttpContext http, string policy, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(policy + ":" + ClientAddress(http),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, perMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}

/// <summary>Sign-in attempts per account name and minute (the name is in the form or JSON body, not the URL).</summary>
public sealed class SignInThrottle(int perMinute)
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(name =>
        RateLimitPartition.GetFixedWindowLimiter(name,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, perMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));

    /// <summary>null when the attempt may go ahead; else how long to wait.</summary>
    public TimeSpan? TryAttempt(string userName)
    {
        using var lease = _limiter.AttemptAcquire(userName.Trim().ToUpperInvariant());
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(60);
    }
}
