using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Alerts;

public static class AlertsApi
{
    public sealed record AlertItem(Guid Id, AlertKind Kind, string Subject, Guid AreaId, Guid? PersonId, Guid? GateId,
        DateTimeOffset CreatedAt, AlertStatus Status, DateTimeOffset? AcknowledgedAt, DateTimeOffset? ResolvedAt, string? Note);
    public sealed record NoteRequest(string? Note);

    private static AlertItem ToItem(Alert a, OfficeClock clock) => new(a.Id, a.Kind, a.Subject, a.AreaId, a.PersonId, a.GateId,
        clock.WithOffset(a.CreatedAt), a.Status, a.AcknowledgedAt is { } k ? clock.WithOffset(k) : null,
        a.ResolvedAt is { } r ? clock.WithOffset(r) : null, a.Note);

    public static void MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/alerts").WithTags("Alerts");

        g.MapGet("/", async (AppDbContext db, OfficeClock clock, AlertStatus? status, AlertKind? kind, int? page, int? pageSize) =>
        {
            var q = db.Set<Alert>().AsNoTracking();
            if (status is { } s) q = q.Where(a => a.Status == s);
            if (kind is { } k) q = q.Where(a => a.Kind == k);
            var result = await q.OrderByDescending(a => a.CreatedAt).PageAsync(page, pageSize);
            return TypedResults.Ok(new PageOf<AlertItem>([.. result.Items.Select(a => ToItem(a, clock))], result.Total));
        }).RequireAuthorization(Rights.ReadPeople);

        g.MapPost("/{id:guid}/acknowledge", async Task<Results<Ok<AlertItem>, NotFound, Conflict<string>>> (Guid id, NoteRequest? body, HttpContext http, AppDbContext db, OfficeClock clock) =>
        {
            var errors = new Errors();
            var note = errors.Text("note", body?.Note, 1000, required: false, multiline: true);
            errors.Throw();
            var a = await db.Set<Alert>().FirstOrDefaultAsync(x => x.Id == id);
            if (a is null) return TypedResults.NotFound();
            if (a.Status != AlertStatus.Open) return TypedResults.Conflict("该预警已确认或已处置");
            a.Status = AlertStatus.Acknowledged;
            a.AcknowledgedAt = clock.UtcNow;
            a.AcknowledgedBy = http.User.UserId();
            if (note is not null) a.Note = note;
            await db.SaveChangesAsync();
            return TypedResults.Ok(ToItem(a, clock));
        }).RequireAuthorization(Rights.HandleAlerts);

        g.MapPost("/{id:guid}/resolve", async Task<Results<Ok<AlertItem>, NotFound, Conflict<string>>> (Guid id, NoteRequest? body, HttpContext http, AppDbContext db, OfficeClock clock) =>
        {
            var errors = new Errors();
            var note = errors.Text("note", body?.Note, 1000, required: false, multiline: true);
            errors.Throw();
            var a = await db.Set<Alert>().FirstOrDefaultAsync(x => x.Id == id);
            if (a is null) return TypedResults.NotFound();
            if (a.Status == AlertStatus.Resolved) return TypedResults.Conflict("该预警已处置");
            a.Status = AlertStatus.Resolved;
            a.ResolvedAt = clock.UtcNow;
            a.ResolvedBy = http.User.UserId();
            a.AcknowledgedAt ??= a.ResolvedAt;
            a.AcknowledgedBy ??= a.ResolvedBy;
            if (note is not null) a.Note = note;
            await db.SaveChangesAsync();
            return TypedResults.Ok(ToItem(a, clock));
        }).RequireAuthorization(Rights.HandleAlerts);
    }
}
