using EpiGrid.Data;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Accounts;

public static class AccountsApi
{
    public sealed record UserItem(Guid Id, string UserName, string DisplayName, string[] Roles);
    public sealed record PasswordRequest(string? Password);
    public sealed record ExportRow(string UserName, string DisplayName, string? PhoneMasked, string? PhoneCipher, bool IsDisabled, string[] Roles);

    /// <summary>
    /// Accounts the caller may see: all for an admin; otherwise those whose scope lies in the caller's (an account
    /// covering a node inside the caller's tree, or keeping a gate there).
    /// </summary>
    public static IQueryable<AppUser> Visible(AppDbContext db)
    {
        if (!db.Scope.Active) return db.Users;
        var areas = db.Scope.AreaIds;
        return db.Users.Where(u =>
            db.UserScopes.Any(s => s.UserId == u.Id && areas.Contains(s.AreaId))
            || db.UserGates.Any(g => g.UserId == u.Id && db.Gates.Any(x => x.Id == g.GateId)));
    }

    public static void MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/users").WithTags("Accounts");

        g.MapGet("/", async (AppDbContext db, string? role, string? q, int? page, int? pageSize) =>
        {
            var query = Visible(db).AsNoTracking();
            if (!string.IsNullOrWhiteSpace(role))
            {
                if (!Roles.All.Contains(role)) return Results.ValidationProblem(new Dictionary<string, string[]> { ["role"] = ["未知角色"] });
                var roleId = await db.Roles.Where(r => r.Name == role).Select(r => r.Id).FirstAsync();
                query = query.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == roleId));
            }
            if (!string.IsNullOrWhiteSpace(q)) query = query.Where(u => u.UserName!.StartsWith(q) || u.DisplayName.Contains(q) || u.PhoneLast4 == q);
            var result = await query.OrderBy(u => u.UserName)
                .Select(u => new UserItem(u.Id, u.UserName!, u.DisplayName,
                    db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToArray()))
                .PageAsync(page, pageSize);
            return Results.Ok(result);
        }).RequireAuthorization(Rights.ListUsers);

        g.MapGet("/{id:guid}", async Task<Results<Ok<ManageAccount.AccountView>, NotFound>> (Guid id, ManageAccount accounts) =>
            await accounts.GetAsync(id) is { } v ? TypedResults.Ok(v) : TypedResults.NotFound())
            .RequireAuthorization(Rights.ManageSystem);

        g.MapPost("/", async (ManageAccount.AccountInput body, ManageAccount accounts) =>
        {
            var id = await accounts.CreateAsync(body);
            return TypedResults.Created($"/api/users/{id}", await accounts.GetAsync(id));
        }).RequireAuthorization(Rights.ManageSystem);

        g.MapPut("/{id:guid}", async Task<Results<Ok<ManageAccount.AccountView>, NotFound>> (Guid id, ManageAccount.AccountInput body, ManageAccount accounts) =>
            await accounts.UpdateAsync(id, body) ? TypedResults.Ok((await accounts.GetAsync(id))!) : TypedResults.NotFound())
            .RequireAuthorization(Rights.ManageSystem);

        g.MapPost("/{id:guid}/password", async Task<Results<NoContent, NotFound, ProblemHttpResult>> (Guid id, PasswordRequest body, ManageAccount accounts) =>
        {
            try
            {
                return await accounts.ResetPasswordAsync(id, body.Password) ? TypedResults.NoContent() : TypedResults.NotFound();
            }
            catch (SeparationOfDutiesException e)
            {
                // 三员分立: an auditor's password is reset on the server's command line only (README, "Operator commands").
                return TypedResults.Problem(title: "不能重置审计员的密码", detail: e.Message, statusCode: StatusCodes.Status403Forbidden);
            }
        }).RequireAuthorization(Rights.ManageSystem);

        g.MapPost("/{id:guid}/disable", async Task<Results<NoContent, NotFound>> (Guid id, ManageAccount accounts) =>
            await accounts.SetDisabledAsync(id, true) ? TypedResults.NoContent() : TypedResults.NotFound())
            .RequireAuthorization(Rights.ManageSystem);

        g.MapPost("/{id:guid}/enable", async Task<Results<NoContent, NotFound>> (Guid id, ManageAccount accounts) =>
            await accounts.SetDisabledAsync(id, false) ? TypedResults.NoContent() : TypedResults.NotFound())
            .RequireAuthorization(Rights.ManageSystem);

        // The reveal pattern: the right (policy), a reason (400 without), in scope (404 outside), audited.
        g.MapPost("/{id:guid}/reveal", async Task<Results<Ok<Dictionary<string, string>>, NotFound>> (Guid id, Revealer.Request body, AppDbContext db, Revealer revealer) =>
        {
            var reason = Revealer.RequireReason(body.Reason);
            var user = await Visible(db).AsNoTracking().Where(u => u.Id == id).Select(u => new { u.PhoneCipher }).FirstOrDefaultAsync();
            if (user is null) return TypedResults.NotFound();
            return TypedResults.Ok(await revealer.RevealAsync(nameof(AppUser), id, reason, [("phone", ProtectedKind.Phone, user.PhoneCipher ?? "")]));
        }).RequireAuthorization(Rights.Reveal);

        g.MapGet("/export.xlsx", async (AppDbContext db, Exporter exporter, string? role) =>
        {
            var rows = await Visible(db).AsNoTracking().OrderBy(u => u.UserName)
                .Select(u => new ExportRow(u.UserName!, u.DisplayName, u.PhoneMasked, u.PhoneCipher, u.IsDisabled,
                    db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToArray()))
                .ToListAsync();
            if (!string.IsNullOrEmpty(role)) rows = [.. rows.Where(r => r.Roles.Contains(role))];
            var bytes = await exporter.ExportAsync("账号", Roles.ChineseNames.ContainsKey(role ?? "") ? ExportFilter.Of().App("角色=", role!) : ExportFilter.Of().Typed("角色=", role),
            [
                new ExportColumn<ExportRow>("用户名", r => r.UserName),
                new("姓名", r => r.DisplayName),
                new("角色", r => string.Join("、", r.Roles.Select(x => Roles.ChineseNames[x]))),
                ExportColumn<ExportRow>.Protected("电话", ProtectedKind.Phone, r => r.PhoneMasked ?? "", r => r.PhoneCipher ?? ""),
                new("状态", r => r.IsDisabled ? "停用" : "启用"),
            ], rows);
            return Exporter.File(bytes, "账号");
        }).RequireAuthorization(Rights.ManageSystem);
    }
}
