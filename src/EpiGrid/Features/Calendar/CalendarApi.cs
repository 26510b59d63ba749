using EpiGrid.Data;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Calendar;

public static class CalendarApi
{
    public sealed record DayItem(DateOnly Date, DayKind Kind, string Name);

    public static void MapCalendarApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/calendar").WithTags("Calendar");

        // The exceptions of one year (holidays, make-up workdays); every other day follows the Monday–Friday week.
        g.MapGet("/", async (AppDbContext db, EpiGrid.Platform.OfficeClock clock, int? year) =>
        {
            var y = year ?? clock.Today.Year;
            if (y is < 2000 or > 2100) return Results.ValidationProblem(new Dictionary<string, string[]> { ["year"] = ["年份超出范围"] });
            var from = new DateOnly(y, 1, 1);
            var to = new DateOnly(y, 12, 31);
            var days = await db.Set<CalendarDay>().AsNoTracking().Where(d => d.Date >= from && d.Date <= to).OrderBy(d => d.Date)
                .Select(d => new DayItem(d.Date, d.Kind, d.Name)).ToListAsync();
            return Results.Ok(new { items = days, total = days.Count });
        }).RequireAuthorization(Rights.SignedIn);

        g.MapPut("/{date}", async (DateOnly date, EditCalendar.DayInput body, EditCalendar edit) =>
        {
            var d = await edit.SetAsync(date, body);
            return TypedResults.Ok(new DayItem(d.Date, d.Kind, d.Name));
        }).RequireAuthorization(Rights.ManageSystem);

        g.MapDelete("/{date}", async Task<Results<NoContent, NotFound>> (DateOnly date, EditCalendar edit) =>
            await edit.ClearAsync(date) ? TypedResults.NoContent() : TypedResults.NotFound())
            .RequireAuthorization(Rights.ManageSystem);
    }
}
