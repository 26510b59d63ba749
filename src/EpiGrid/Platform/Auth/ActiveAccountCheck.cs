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
    public static IApplicationBuilder UseActiveAccountCheck(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var principal = http.User;
        if (principal.Identity?.IsAuthenticated == true && !await IsActiveAsync(http, principal))
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
        await next();
    });

    /// <summary>Whether the account counts only its gates as scope (a gate keeper and nothing else).</summary>
    public static bool GatesOnly(ClaimsPrincipal user) =>
        user.IsInRole(Roles.GateKeeper) && user.Claims.Count(c => c.Type == ClaimTypes.Role) == 1;

    private static async Task<bool> IsActiveAsync(HttpContext http, ClaimsPrincipal principal)
    {
        var stampType = http.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id)) return false;
        var stamp = principal.FindFirstValue(stampType);
        var cache = http.RequestServices.GetRequiredService<AccountCache>();
        var state = await cache.GetAsync(http.RequestServices, id, GatesOnly(principal));
        if (state is null || state.Disabled || stamp is null || state.Stamp != stamp) return false;
        http.Features.Set(state);
        return true;
    }
}
