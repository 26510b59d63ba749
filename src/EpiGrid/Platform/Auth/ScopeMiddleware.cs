using EpiGrid.Data;

namespace EpiGrid.Platform.Auth;

/// <summary>
/// Fills the request's <see cref="DataScope"/> from the account's scope nodes (and, for gate keepers, gates), so
/// every query in the request is limited to it. Admins are unrestricted. The scope was read (or taken from the
/// per-node cache) by <see cref="ActiveAccountCheck"/>.
/// </summary>
public static class ScopeMiddleware
{
    public static IApplicationBuilder UseDataScope(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var user = http.User;
        if (user.Identity?.IsAuthenticated == true && !user.IsInRole(Roles.Admin)
            && http.Features.Get<AccountState>() is { Restricted: true } state)
        {
            http.RequestServices.GetRequiredService<DataScope>().RestrictShared(state.AreaIds, state.GateIds);
        }
        return next(http);
    });
}
