using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EpiGrid.Features.Reports;

public static class ReportsApi
{
    public sealed record StepResult(DateOnly Date, Guid AreaId, int Version, ReportStatus Status, string? Reason);

    public static void MapReportsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/reports/daily").WithTags("Reports");

        // The latest signed version of the day, else the figures computed now (signed: false); a given version with ?version=.
        g.MapGet("/", async Task<Results<Ok<ReportView>, NotFound>> (DateOnly? date, Guid? areaId, int? version, DailyReports reports) =>
        {
            var errors = new Errors();
            var d = reports.ValidDate(errors, date);
            if (version is < 1) errors.Add("version", "版本号从 1 开始");
            errors.Throw();
            return await reports.ReadAsync(d, areaId, version) is { } r ? TypedResults.Ok(r) : TypedResults.NotFound();
        }).RequireAuthorization(Rights.ReadReports);

        app.MapGet("/api/reports/daily.xlsx", async Task<Results<FileContentHttpResult, NotFound>> (DateOnly? date, Guid? areaId, int? version, DailyReports reports, ReportWorkbook workbook) =>
        {
            var errors = new Errors();
            var d = reports.ValidDate(errors, date);
            if (version is < 1) errors.Add("version", "版本号从 1 开始");
            errors.Throw();
            if (await reports.ReadAsync(d, areaId, version) is not { } r) return TypedResults.NotFound();
            return TypedResults.File(await workbook.BuildAsync(r), Exporter.ContentType, $"{r.Title}-{r.Date:yyyyMMdd}.xlsx");
        }).WithTags("Reports").RequireAuthorization(Rights.ReadReports);

        g.MapGet("/versions", async Task<Results<Ok<List<VersionItem>>, NotFound>> (DateOnly? date, Guid? areaId, DailyReports reports) =>
        {
            var errors = new Errors();
            var d = reports.ValidDate(errors, date);
            errors.Throw();
            return await reports.VersionsAsync(d, areaId) is { } list ? TypedResults.Ok(list) : TypedResults.NotFound();
        }).RequireAuthorization(Rights.ReadReports);

        // The statistician's review: the figures frozen as the next version, waiting for the signature.
        g.MapPost("/review", async Task<Results<Ok<StepResult>, NotFound>> (ReviewDailyReport.ReviewInput body, ReviewDailyReport review) =>
            await review.ReviewAsync(body) is { } r ? TypedResults.Ok(Result(r)) : TypedResults.NotFound())
            .RequireAuthorization(Rights.Imports);

        // A correction of a signed report: the next version, with its reason; signed again by a leader.
        g.MapPost("/correct", async Task<Results<Ok<StepResult>, NotFound>> (ReviewDailyReport.CorrectInput body, ReviewDailyReport review) =>
            await review.CorrectAsync(body) is { } r ? TypedResults.Ok(Result(r)) : TypedResults.NotFound())
            .RequireAuthorization(Rights.Imports);

        g.MapPost("/sign", async Task<Results<Ok<StepResult>, NotFound>> (SignDailyReport.SignInput body, SignDailyReport sign) =>
            await sign.SignAsync(body) is { } r ? TypedResults.Ok(Result(r)) : TypedResults.NotFound())
            .RequireAuthorization(Rights.SignReports);
    }

    private static StepResult Result(DailyReport r) => new(r.Date, r.SubdistrictId, r.Version, r.Status, r.Reason);
}
