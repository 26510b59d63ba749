using System.Security.Claims;
using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Platform.Auth;

/// <summary>
/// Fills the request's <see cref="DataScope"/> from the account's scope nodes (and, for gate keepers, gates), so
/// every query in the request is limited to it. Admins are unrestricted.
/// </summary>
public static class ScopeMiddleware
{
    public static IApplicationBuilder UseDataScope(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var user = http.User;
        if (user.Identity?.IsAuthenticated == true && !user.IsInRole(Roles.Admin)
            && Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
        {
            var db = http.RequestServices.GetRequiredService<AppDbContext>();
            await LoadAsync(db, id, user.IsInRole(Roles.GateKeeper) && user.Claims.Count(c => c.Type == ClaimTypes.Role) == 1);
        }
        await next();
    });

    /// <summary>Restricts <paramref name="db"/>'s scope to what the account covers.</summary>
    public static async Task LoadAsync(AppDbContext db, Guid userId, bool gatesOnly)
    {
        var areas = db.Areas.IgnoreQueryFilters().AsNoTracking();
        if (gatesOnly)
        {
            var gates = await db.UserGates.AsNoTracking().Where(g => g.UserId == userId).Select(g => g.GateId).ToListAsync();
            var compounds = await db.Gates.IgnoreQueryFilters().AsNoTracking().Where(g => gates.Contains(g.Id)).Select(g => g.CompoundId).Distinct().ToListAsync();
            db.Scope.Restrict(compounds, gates);
            return;
        }
        var paths = await db.UserScopes.AsNoTracking().Where(s => s.UserId == userId)
            .Join(areas, s => s.AreaId, a => a.Id, (s, a) => a.Path).ToListAsync();
        var visible = new HashSet<Guid>();
        foreach (var path in paths)
        {
            visible.UnionWith(await areas.Where(a => a.Path.StartsWith(path)).Select(a => a.Id).ToListAsync());
        }
        // A scope that covers the whole tree filters nothing: skip the filter (a top-level leader's searches stay index-only).
        if (visible.Count > 0 && visible.Count == await areas.CountAsync()) return;
        db.Scope.Restrict(visible);
    }
}
