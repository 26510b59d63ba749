using EpiGrid.Features.Reports;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;

namespace EpiGrid.Features.Dashboard;

public static class DashboardApi
{
    public static void MapDashboardApi(this IEndpointRouteBuilder app)
    {
        // The live figures of the caller's scope; ?date= the report day whose window the report block covers (default: the one in progress).
        app.MapGet("/api/dashboard", async (DateOnly? date, Guid? areaId, DashboardFigures dashboard, DailyReports reports) =>
        {
            var errors = new Errors();
            var d = reports.ValidDate(errors, date);
            errors.Throw();
            return TypedResults.Ok(await dashboard.GetAsync(d, areaId));
        }).WithTags("Dashboard").RequireAuthorization(Rights.ReadReports);
    }
}
