using EpiGrid.Data;
using EpiGrid.Platform.Audit;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Web;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.AuditLog;

/// <summary>The auditor's read of the log and the check of its chain. There is no route that changes it.</summary>
public static class AuditApi
{
    public static void MapAuditApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(Rights.ReadAudit);

        g.MapGet("/", async (AppDbContext db, string? entity, string? action, string? user, int? page, int? pageSize) =>
        {
            var q = db.Set<AuditEntry>().AsNoTracking();
            if (!string.IsNullOrWhiteSpace(entity)) q = q.Where(a => a.Entity == entity);
            if (!string.IsNullOrWhiteSpace(action)) q = q.Where(a => a.Action == action);
            if (!string.IsNullOrWhiteSpace(user)) q = q.Where(a => a.UserName == user);
            return TypedResults.Ok(await q.OrderByDescending(a => a.Id)
                .Select(a => new { a.Id, a.At, a.UserName, a.Action, a.Entity, a.EntityId, a.Details })
                .PageAsync(page, pageSize));
        });

        // The chain under its key, compared with the head file outside the database, and what a one-time rewrite found (ADR-019).
        g.MapGet("/verify", async (AppDbContext db, AuditChainKey key, AuditHeadFile head, CancellationToken ct) =>
            TypedResults.Ok(await AuditChain.VerifyAsync(db, key.Value, head, ct)));
    }
}
