using EpiGrid.Data;
using EpiGrid.Features.People;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Tasks;

public static class TasksApi
{
    public sealed record TaskItem(Guid Id, TaskKind Kind, Guid PersonId, string PersonName, Guid CompoundId, DateTimeOffset DueAt, WorkTaskStatus Status, Guid? AssigneeId, bool Overdue, string? Note);
    public sealed record AttemptCreated(Guid Id, AttemptOutcome Outcome, int FailuresInARow, bool Escalated, WorkTaskStatus TaskStatus);

    /// <summary>
    /// The caller's own tasks; a leader's or supervisor's, their scope's (including the queues of compounds with no
    /// grid worker).
    /// </summary>
    public static IQueryable<WorkTask> Mine(AppDbContext db, System.Security.Claims.ClaimsPrincipal user)
    {
        var q = db.Set<WorkTask>().AsNoTracking();
        if (user.IsInRole(Roles.Leader) || user.IsInRole(Roles.Supervisor) || user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Statistician)) return q;
        var me = user.UserId();
        return q.Where(t => t.AssigneeId == me);
    }

    public static async Task<List<TaskItem>> ItemsAsync(AppDbContext db, OfficeClock clock, IQueryable<WorkTask> q, CancellationToken ct = default)
    {
        var now = clock.UtcNow;
        var rows = await q.Join(db.Set<Person>(), t => t.PersonId, p => p.Id, (t, p) => new { t, p.Name }).ToListAsync(ct);
        return [.. rows.Select(x => new TaskItem(x.t.Id, x.t.Kind, x.t.PersonId, x.Name, x.t.CompoundId, clock.WithOffset(x.t.DueAt), x.t.Status, x.t.AssigneeId,
            x.t.Status == WorkTaskStatus.Open && x.t.DueAt < now, x.t.Note))];
    }

    public static void MapTasksApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/tasks").WithTags("Tasks");

        g.MapGet("/", async (HttpContext http, AppDbContext db, OfficeClock clock, WorkTaskStatus? status, TaskKind? kind, int? page, int? pageSize) =>
        {
            var q = Mine(db, http.User);
            if (status is { } s) q = q.Where(t => t.Status == s);
            if (kind is { } k) q = q.Where(t => t.Kind == k);
            var ids = await q.OrderBy(t => t.DueAt).Select(t => t.Id).PageAsync(page, pageSize);
            var list = ids.Items.ToList();
            var items = await ItemsAsync(db, clock, db.Set<WorkTask>().AsNoTracking().Where(t => list.Contains(t.Id)));
            return TypedResults.Ok(new PageOf<TaskItem>([.. items.OrderBy(i => i.DueAt)], ids.Total));
        }).RequireAuthorization(Rights.ReadPeople);

        g.MapPost("/{id:guid}/attempts", async Task<Results<Created<AttemptCreated>, NotFound>> (Guid id, RecordAttempt.Input body, RecordAttempt record) =>
            await record.AddAsync(id, body) is { } r
                ? TypedResults.Created($"/api/tasks/{id}", new AttemptCreated(r.Attempt.Id, r.Attempt.Outcome, r.FailuresInARow, r.Escalated, r.TaskStatus))
                : TypedResults.NotFound())
            .RequireAuthorization(Rights.EditPeople);

        // The new assignee is named only while the task stays in the caller's scope: after a move to another community it
        // is that community's account (null).
        g.MapPost("/{id:guid}/transfer", async Task<Results<Ok<object>, NotFound>> (Guid id, RecordAttempt.TransferInput body, RecordAttempt record, AppDbContext db) =>
        {
            if (await record.TransferAsync(id, body) is not { } t) return TypedResults.NotFound();
            var seen = await db.Set<WorkTask>().AnyAsync(x => x.Id == t.Id);
            return TypedResults.Ok((object)new { t.Id, t.Status, t.CompoundId, AssigneeId = seen ? t.AssigneeId : null });
        }).RequireAuthorization(Rights.EditPeople);

        app.MapPost("/api/people/{id:guid}/care", async Task<Results<Created<object>, NotFound>> (Guid id, RecordAttempt.CareInput body, RecordAttempt record) =>
            await record.CareAsync(id, body) is { } c ? TypedResults.Created($"/api/people/{id}", (object)new { c.Id, c.Kind }) : TypedResults.NotFound())
            .WithTags("Tasks").RequireAuthorization(Rights.EditPeople);
    }
}
