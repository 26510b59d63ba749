using EpiGrid.Features.Reports;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;

namespace EpiGrid.Features.Dashboard;

public static class DashboardApi
{
    public static void MapDashboardApi(this IEndpointRouteBuilder app)
    {
        // The live figures of the caller's scope; ?date= the report day whose window the report block covers (default: the one in progress).
        // X-Dashboard-Stale: true when the figures are the last computed while newer ones are being computed (ask again shortly).
        app.MapGet("/api/dashboard", async (DateOnly? date, Guid? areaId, DashboardFigures dashboard, DailyReports reports, HttpContext http) =>
        {
            var errors = new Errors();
            var d = reports.ValidDate(errors, date);
            errors.Throw();
            var (view, stale) = await dashboard.GetWithFreshnessAsync(d, areaId);
            if (stale) http.Response.Headers["X-Dashboard-Stale"] = "true";
            return TypedResults.Ok(view);
        }).WithTags("Dashboard").RequireAuthorization(Rights.ReadReports);
    }
}
