using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EpiGrid.Platform.Auth;

/// <summary>
/// On every authenticated request, cookie or bearer: the account must still exist, be enabled and carry the
/// same security stamp as when it signed in. Disabling an account or changing its password (or roles, or scope)
/// changes the stamp, so its cookies and tokens stop working: at once on the node that made the change, within
/// <see cref="EpiGridOptions.AccountCacheSeconds"/> on the others (<see cref="AccountCache"/>, ADR-009). A request
/// that fails the check goes on as anonymous: 401 on /api, the sign-in page for pages. The account's scope comes
/// from the same cache (<see cref="ScopeMiddleware"/>).
/// </summary>
public static class ActiveAccountCheck
{
    // The common request (signed in, account in the cache and unchanged) goes on synchronously: no async frame of its own
    // in every request's chain (the gate benchmark's CPU a pass, bench/README.md).
    public static IApplicationBuilder UseActiveAccountCheck(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var principal = http.User;
        if (principal.Identity?.IsAuthenticated != true) return next(http);
        var active = IsActiveAsync(http, principal);
        if (active.IsCompletedSuccessfully && active.Result) return next(http);
        return CheckedAsync(http, next, active);
    });

    private static async Task CheckedAsync(HttpContext http, RequestDelegate next, ValueTask<bool> active)
    {
        if (!await active)
        {
            http.User = new ClaimsPrincipal(new ClaimsIdentity());
            // Authorization reads the authentication result, not only the user: mark it failed so it challenges (401).
            if (http.Features.Get<IAuthenticateResultFeature>() is { } feature)
            {
                feature.AuthenticateResult = AuthenticateResult.Fail("账号已停用，或登录凭据已失效");
            }
            if (!http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                await http.SignOutAsync(IdentityConstants.ApplicationScheme);
            }
        }
        await next(http);
    }

    /// <summary>Whether the account counts only its gates as scope (a gate keeper and nothing else).</summary>
    public static bool GatesOnly(ClaimsPrincipal user) =>
        user.IsInRole(Roles.GateKeeper) && user.Claims.Count(c => c.Type == ClaimTypes.Role) == 1;

    private static ValueTask<bool> IsActiveAsync(HttpContext http, ClaimsPrincipal principal)
    {
        var stampType = http.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id)) return ValueTask.FromResult(false);
        var stamp = principal.FindFirstValue(stampType);
        var cache = http.RequestServices.GetRequiredService<AccountCache>();
        var state = cache.GetAsync(http.RequestServices, id, GatesOnly(principal));
        return state.IsCompletedSuccessfully ? ValueTask.FromResult(Accept(http, state.Result, stamp)) : LoadedAsync(http, state, stamp);

        static async ValueTask<bool> LoadedAsync(HttpContext http, ValueTask<AccountState?> state, string? stamp) => Accept(http, await state, stamp);
    }

    private static bool Accept(HttpContext http, AccountState? state, string? stamp)
    {
        if (state is null || state.Disabled || stamp is null || state.Stamp != stamp) return false;
        http.Features.Set(state);
        return true;
    }
}
