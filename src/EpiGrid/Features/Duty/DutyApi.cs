using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Duty;

/// <summary>People on duty: party members, cadres, volunteers; model posts, shock teams and duty shifts (docs/api.md, "Field work").</summary>
public static class DutyApi
{
    private static void CheckRange(DateOnly? from, DateOnly? to)
    {
        if (from is { } f && to is { } t && t < f) new Errors().Add("to", "结束日期不能早于开始日期").Throw();
        if (from is { } f2 && to is { } t2 && t2.DayNumber - f2.DayNumber > 366) new Errors().Add("to", "一次最多查询一年").Throw();
    }

    public static void MapDutyApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/duty").WithTags("Party members and duty rosters");

        g.MapGet("/members", async (DutyRoster roster, DutyMemberKind? kind, Guid? areaId, string? q, bool? active, int? page, int? pageSize) =>
        {
            var paged = await roster.MemberQuery(kind, areaId, q, active).PageAsync(page, pageSize);
            return TypedResults.Ok(new PageOf<DutyRoster.MemberItem>(await roster.MemberItemsAsync(paged.Items), paged.Total));
        }).RequireAuthorization(Rights.Publicity);

        // One person with their record of duties: shifts done and to come, model posts, shock teams.
        g.MapGet("/members/{id:guid}", async Task<Results<Ok<DutyRoster.MemberRecord>, NotFound>> (Guid id, DutyRoster roster) =>
            await roster.RecordAsync(id) is { } r ? TypedResults.Ok(r) : TypedResults.NotFound())
            .RequireAuthorization(Rights.Publicity);

        g.MapPost("/members", async (EditDuty.MemberInput body, EditDuty edit, DutyRoster roster) =>
        {
            var m = await edit.CreateMemberAsync(body);
            return TypedResults.Created($"/api/duty/members/{m.Id}", (await roster.MemberItemsAsync([m]))[0]);
        }).RequireAuthorization(Rights.Publicity);

        g.MapPut("/members/{id:guid}", async Task<Results<Ok<DutyRoster.MemberItem>, NotFound>> (Guid id, EditDuty.MemberInput body, EditDuty edit, DutyRoster roster) =>
            await edit.UpdateMemberAsync(id, body) is { } m ? TypedResults.Ok((await roster.MemberItemsAsync([m]))[0]) : TypedResults.NotFound())
            .RequireAuthorization(Rights.Publicity);

        g.MapGet("/posts", async (DutyRoster roster) =>
        {
            var items = await roster.PostsAsync();
            return TypedResults.Ok(new PageOf<DutyRoster.PostItem>(items, items.Count));
        }).RequireAuthorization(Rights.Publicity);

        g.MapGet("/posts/{id:guid}", async Task<Results<Ok<DutyRoster.PostItem>, NotFound>> (Guid id, DutyRoster roster) =>
            (await roster.PostsAsync(id)).FirstOrDefault() is { } p ? TypedResults.Ok(p) : TypedResults.NotFound())
            .RequireAuthorization(Rights.Publicity);

        g.MapPost("/posts", async (EditDuty.PostInput body, EditDuty edit, DutyRoster roster) =>
        {
            var p = await edit.CreatePostAsync(body);
            return TypedResults.Created($"/api/duty/posts/{p.Id}", (await roster.PostsAsync(p.Id))[0]);
        }).RequireAuthorization(Rights.Publicity);

        g.MapPut("/posts/{id:guid}", async Task<Results<Ok<DutyRoster.PostItem>, NotFound>> (Guid id, EditDuty.PostInput body, EditDuty edit, DutyRoster roster) =>
            await edit.UpdatePostAsync(id, body) is { } p ? TypedResults.Ok((await roster.PostsAsync(p.Id))[0]) : TypedResults.NotFound())
            .RequireAuthorization(Rights.Publicity);

        g.MapGet("/teams", async (DutyRoster roster) =>
        {
            var items = await roster.TeamsAsync();
            return TypedResults.Ok(new PageOf<DutyRoster.TeamItem>(items, items.Count));
        }).RequireAuthorization(Rights.Publicity);

        g.MapGet("/teams/{id:guid}", async Task<Results<Ok<DutyRoster.TeamItem>, NotFound>> (Guid id, DutyRoster roster) =>
            (await roster.TeamsAsync(id)).FirstOrDefault() is { } t ? TypedResults.Ok(t) : TypedResults.NotFound())
            .RequireAuthorization(Rights.Publicity);

        g.MapPost("/teams", async (EditDuty.TeamInput body, EditDuty edit, DutyRoster roster) =>
        {
            var t = await edit.CreateTeamAsync(body);
            return TypedResults.Created($"/api/duty/teams/{t.Id}", (await roster.TeamsAsync(t.Id))[0]);
        }).RequireAuthorization(Rights.Publicity);

        g.MapPut("/teams/{id:guid}", async Task<Results<Ok<DutyRoster.TeamItem>, NotFound>> (Guid id, EditDuty.TeamInput body, EditDuty edit, DutyRoster roster) =>
            await edit.UpdateTeamAsync(id, body) is { } t ? TypedResults.Ok((await roster.TeamsAsync(t.Id))[0]) : TypedResults.NotFound())
            .RequireAuthorization(Rights.Publicity);

        g.MapGet("/shifts", async (DutyRoster roster, DateOnly? from, DateOnly? to, Guid? memberId, Guid? areaId, int? page, int? pageSize) =>
        {
            CheckRange(from, to);
            var paged = await roster.ShiftQuery(from, to, memberId, areaId).PageAsync(page, pageSize);
            return TypedResults.Ok(new PageOf<DutyRoster.ShiftItem>(await roster.ShiftItemsAsync(paged.Items), paged.Total));
        }).RequireAuthorization(Rights.Publicity);

        g.MapGet("/shifts/{id:guid}", async Task<Results<Ok<DutyRoster.ShiftItem>, NotFound>> (Guid id, AppDbContext db, DutyRoster roster) =>
            await db.Set<DutyShift>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == id) is { } s
                ? TypedResults.Ok((await roster.ShiftItemsAsync([s]))[0]) : TypedResults.NotFound())
            .RequireAuthorization(Rights.Publicity);

        // 201 with the shift and the roster's warnings (two nights in a row, too many hours in a week, an overlap): a warning is not a refusal.
        g.MapPost("/shifts", async (ScheduleShift.ShiftInput body, ScheduleShift schedule, DutyRoster roster) =>
        {
            var outcome = await schedule.CreateAsync(body);
            var item = (await roster.ShiftItemsAsync([outcome.Shift]))[0] with { Warnings = outcome.Warnings };
            return TypedResults.Created($"/api/duty/shifts/{outcome.Shift.Id}", item);
        }).RequireAuthorization(Rights.Publicity);

        g.MapDelete("/shifts/{id:guid}", async Task<Results<NoContent, NotFound>> (Guid id, AppDbContext db) =>
        {
            var s = await db.Set<DutyShift>().FirstOrDefaultAsync(x => x.Id == id);
            if (s is null) return TypedResults.NotFound();
            db.Remove(s);
            await db.SaveChangesAsync();
            return TypedResults.NoContent();
        }).RequireAuthorization(Rights.Publicity);

        g.MapGet("/shifts/export.xlsx", async (DutyRoster roster, OfficeClock clock, Exporter exporter, DateOnly? from, DateOnly? to, Guid? areaId) =>
        {
            CheckRange(from, to);
            var list = await roster.ShiftQuery(from, to, null, areaId).Take(50_000).ToListAsync();
            var items = await roster.ShiftItemsAsync(list);
            var filter = ExportFilter.Of().Dates(from, to);
            var bytes = await exporter.ExportAsync("值守排班", filter,
            [
                new ExportColumn<DutyRoster.ShiftItem>("姓名", s => s.MemberName),
                new("岗位/卡口", s => s.Place),
                new("开始", s => clock.Format(s.StartsAt.UtcDateTime)),
                new("结束", s => clock.Format(s.EndsAt.UtcDateTime)),
                new("时长（小时）", s => s.Hours),
                new("夜班", s => s.Night ? "是" : ""),
                new("提醒", s => string.Join("；", s.Warnings.Select(w => w.Message))),
                new("备注", s => s.Note),
            ], items);
            return Exporter.File(bytes, "值守排班");
        }).RequireAuthorization(Rights.Publicity);
    }
}
