using System.Security.Claims;
using EpiGrid.Data;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using View = EpiGrid.Features.Complaints.ReadComplaint.ComplaintView;

namespace EpiGrid.Features.Complaints;

public static class ComplaintsApi
{
    public sealed record PublicFiled(string Number);
    public sealed record PublicStatus(string Number, ComplaintStatus Status, string StatusName, string? Reply, DateTimeOffset? RepliedAt);

    /// <summary>The one answer of the public lookup when it finds nothing to show (the page says the same).</summary>
    public const string LookupNotFoundTitle = "没有找到该工单";
    public const string LookupNotFoundDetail = "请核对编号和手机号后四位。多次核对不符后，该编号的查询将暂停一小时。";

    public static void MapComplaintsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/complaints").WithTags("Complaints");

        g.MapPost("/", async (FileComplaint.Input body, FileComplaint file, ReadComplaint read, ClaimsPrincipal user) =>
        {
            var c = await file.FileAsync(body, user);
            return TypedResults.Created($"/api/complaints/{c.Id}", await read.GetAsync(c.Id, user));
        }).RequireAuthorization(Rights.HandleComplaints);

        // Tickets in scope; for a handler, those dispatched to them (mine=true: only those).
        g.MapGet("/", async (ReadComplaint read, ClaimsPrincipal user, ComplaintStatus? status, ComplaintCategory? category,
            ComplaintChannel? channel, bool? overdue, bool? open, string? q, bool? mine, int? page, int? pageSize) =>
            TypedResults.Ok(await read.ListAsync(new ReadComplaint.Filter(status, category, channel, overdue, open, q, mine == true), user, page, pageSize)))
            .RequireAuthorization(Rights.SeeComplaints);

        // Statistics of the tickets received on the period's office-local dates (docs/api.md), with the comparison period.
        g.MapGet("/stats", async (ComplaintStats stats, ClaimsPrincipal user, DateOnly? from, DateOnly? to, DateOnly? compareFrom, DateOnly? compareTo) =>
            TypedResults.Ok(await stats.RunAsync(from, to, compareFrom, compareTo, user)))
            .RequireAuthorization(Rights.ReadComplaints);

        // The tickets of a period as an .xlsx (the export helper: watermark, masking, audit, volume alert).
        g.MapGet("/export.xlsx", async (ExportComplaints export, ClaimsPrincipal user, DateOnly? from, DateOnly? to) =>
        {
            var (file, name) = await export.RunAsync(from, to, user);
            return TypedResults.File(file, Exporter.ContentType, name + ".xlsx");
        }).RequireAuthorization(Rights.ReadComplaints);

        g.MapGet("/{id:guid}", async Task<Results<Ok<View>, NotFound>> (Guid id, ReadComplaint read, ClaimsPrincipal user) =>
            await read.GetAsync(id, user) is { } v ? TypedResults.Ok(v) : TypedResults.NotFound())
            .RequireAuthorization(Rights.SeeComplaints);

        g.MapPost("/{id:guid}/acknowledge", async (Guid id, AcknowledgeComplaint.Input? body, AcknowledgeComplaint step, ReadComplaint read, ClaimsPrincipal user) =>
            await After(await step.RunAsync(id, body, user), id, read, user))
            .RequireAuthorization(Rights.AcknowledgeComplaints);

        g.MapPost("/{id:guid}/dispatch", async (Guid id, DispatchComplaint.Input body, DispatchComplaint step, ReadComplaint read, ClaimsPrincipal user) =>
            await After(await step.RunAsync(id, body, user), id, read, user))
            .RequireAuthorization(Rights.HandleComplaints);

        g.MapPost("/{id:guid}/actions", async (Guid id, LogComplaintAction.Input body, LogComplaintAction step, ReadComplaint read, ClaimsPrincipal user) =>
            await Created(await step.RunAsync(id, body, user), id, read, user))
            .RequireAuthorization(Rights.WorkOnComplaints);

        g.MapPost("/{id:guid}/reply", async (Guid id, ReplyToComplaint.Input body, ReplyToComplaint step, ReadComplaint read, ClaimsPrincipal user) =>
            await After(await step.RunAsync(id, body, user), id, read, user))
            .RequireAuthorization(Rights.HandleComplaints);

        g.MapPost("/{id:guid}/follow-up", async (Guid id, FollowUpComplaint.Input body, FollowUpComplaint step, ReadComplaint read, ClaimsPrincipal user) =>
            await After(await step.RunAsync(id, body, user), id, read, user))
            .RequireAuthorization(Rights.HandleComplaints);

        // A duplicate offered at intake (duplicateCandidates) is merged into its primary: handled and answered with it, counted once.
        g.MapPost("/{id:guid}/merge", async (Guid id, MergeComplaint.Input body, MergeComplaint step, ReadComplaint read, ClaimsPrincipal user) =>
            await After(await step.RunAsync(id, body, user), id, read, user))
            .RequireAuthorization(Rights.HandleComplaints);

        g.MapPost("/{id:guid}/reminders", async (Guid id, RemindHandler.Input? body, RemindHandler step, ReadComplaint read, ClaimsPrincipal user) =>
            await Created(await step.RunAsync(id, body, user), id, read, user))
            .RequireAuthorization(Rights.RemindComplaints);

        // The reveal pattern (ADR-004): the right, a reason, a visible ticket, audited.
        g.MapPost("/{id:guid}/reveal", async Task<Results<Ok<Dictionary<string, string>>, NotFound>> (Guid id, Revealer.Request body, AppDbContext db, Revealer revealer, ClaimsPrincipal user) =>
        {
            var reason = Revealer.RequireReason(body.Reason);
            var c = await ComplaintAccess.Visible(db, user).AsNoTracking().Where(x => x.Id == id).Select(x => new { x.ComplainantPhoneCipher }).FirstOrDefaultAsync();
            if (c is null) return TypedResults.NotFound();
            return TypedResults.Ok(await revealer.RevealAsync(nameof(Complaint), id, reason, [("complainantPhone", ProtectedKind.Phone, c.ComplainantPhoneCipher ?? "")]));
        }).RequireAuthorization(Rights.RevealComplainant);

        g.MapGet("/{id:guid}/receipt.xlsx", async Task<Results<FileContentHttpResult, NotFound, ProblemHttpResult>> (Guid id, ExportReceipt export, ClaimsPrincipal user) =>
        {
            var (outcome, file, name, message) = await export.RunAsync(id, user);
            return outcome switch
            {
                ExportReceipt.Outcome.Done => TypedResults.File(file!, Exporter.ContentType, name + ".xlsx"),
                ExportReceipt.Outcome.NotFound => TypedResults.NotFound(),
                _ => TypedResults.Problem(title: message, statusCode: StatusCodes.Status409Conflict),
            };
        }).RequireAuthorization(Rights.ReadComplaints);

        // Residents (no account): file a complaint, and look one up by its number and the last 4 digits of the phone.
        var pub = app.MapGroup("/api/public/complaints").WithTags("Public").AllowAnonymous().RequireRateLimiting(RateLimits.Public);

        pub.MapPost("/", async (FileComplaint.PublicInput body, FileComplaint file) =>
        {
            var c = await file.FileFromPublicAsync(body);
            return TypedResults.Created($"/api/public/complaints/{c.Number}", new PublicFiled(c.Number));
        });

        // Unknown number, wrong digits, a locked ticket, malformed input: one answer (LookUpComplaint).
        pub.MapGet("/{number}", async Task<Results<Ok<PublicStatus>, ProblemHttpResult>> (string number, string? phoneLast4, LookUpComplaint lookUp) =>
            await lookUp.RunAsync(number, phoneLast4) is { } s ? TypedResults.Ok(s)
                : TypedResults.Problem(title: LookupNotFoundTitle, detail: LookupNotFoundDetail, statusCode: StatusCodes.Status404NotFound));
    }

    private static async Task<Results<Ok<View>, NotFound, ForbidHttpResult, ProblemHttpResult>> After(Step s, Guid id, ReadComplaint read, ClaimsPrincipal user) =>
        s.Result switch
        {
            StepResult.Done => TypedResults.Ok((await read.GetAsync(id, user))!),
            StepResult.NotFound => TypedResults.NotFound(),
            StepResult.Forbidden => TypedResults.Forbid(),
            _ => TypedResults.Problem(title: s.Message, statusCode: StatusCodes.Status409Conflict),
        };

    private static async Task<Results<Created<View>, NotFound, ForbidHttpResult, ProblemHttpResult>> Created(Step s, Guid id, ReadComplaint read, ClaimsPrincipal user) =>
        s.Result switch
        {
            StepResult.Done => TypedResults.Created($"/api/complaints/{id}", (await read.GetAsync(id, user))!),
            StepResult.NotFound => TypedResults.NotFound(),
            StepResult.Forbidden => TypedResults.Forbid(),
            _ => TypedResults.Problem(title: s.Message, statusCode: StatusCodes.Status409Conflict),
        };
}
