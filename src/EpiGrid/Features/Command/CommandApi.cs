using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Command;

public static class CommandApi
{
    public sealed record AssignRequest(Guid? CompoundId, Guid? UserId, ResponsibilityRole? Role);
    public sealed record GapItem(Guid CompoundId, string CompoundName, string CommunityName);

    public static void MapCommandApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/command").WithTags("Command");

        g.MapGet("/groups", async (AppDbContext db) =>
        {
            var groups = await db.Set<WorkGroup>().AsNoTracking().OrderBy(w => w.Sort).ToListAsync();
            var members = await db.Set<WorkGroupMember>().AsNoTracking().ToListAsync();
            var leaders = await db.Users.AsNoTracking().Where(u => groups.Select(w => w.LeaderId).Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName);
            var items = groups.Select(w => new
            {
                w.Id, w.Name, w.Duties, w.LeaderId,
                leaderName = w.LeaderId is { } l && leaders.TryGetValue(l, out var n) ? n : null,
                members = members.Where(m => m.GroupId == w.Id).Select(m => new { m.Id, m.Name, m.Title, m.UserId }),
            }).ToList();
            return TypedResults.Ok(new { items, total = items.Count });
        }).RequireAuthorization(Rights.ReadOrgTree);

        g.MapGet("/matrix", async (Matrix matrix) =>
        {
            var rows = await matrix.CompoundsAsync();
            return TypedResults.Ok(new
            {
                items = rows.Select(r => new { r.CompoundId, r.CompoundName, r.CommunityName, gap = r.IsGap, people = r.People }),
                total = rows.Count,
                gaps = rows.Count(r => r.IsGap),
            });
        }).RequireAuthorization(Rights.ReadOrgTree);

        g.MapGet("/gaps", async (Matrix matrix) =>
        {
            var gaps = (await matrix.CompoundsAsync()).Where(r => r.IsGap).Select(r => new GapItem(r.CompoundId, r.CompoundName, r.CommunityName)).ToList();
            return TypedResults.Ok(new { items = gaps, total = gaps.Count });
        }).RequireAuthorization(Rights.ReadOrgTree);

        g.MapPost("/matrix", async Task<Results<Created, Conflict>> (AssignRequest body, AppDbContext db) =>
        {
            var errors = new Errors();
            var compoundId = errors.Required("compoundId", body.CompoundId);
            var userId = errors.Required("userId", body.UserId);
            var role = errors.Required("role", body.Role);
            if (compoundId is { } c && !await db.Areas.AnyAsync(a => a.Id == c && a.Kind == AreaKind.Compound)) errors.Add("compoundId", "小区不存在");
            if (userId is { } u && !await db.Users.AnyAsync(x => x.Id == u && !x.IsDisabled)) errors.Add("userId", "账号不存在或已停用");
            errors.Throw();
            if (await db.Set<Responsibility>().AnyAsync(r => r.CompoundId == compoundId && r.UserId == userId)) return TypedResults.Conflict();
            var line = new Responsibility { CompoundId = compoundId!.Value, UserId = userId!.Value, Role = role!.Value };
            db.Add(line);
            await db.SaveChangesAsync();
            return TypedResults.Created($"/api/command/matrix/{line.Id}");
        }).RequireAuthorization(Rights.ManageSystem);

        g.MapDelete("/matrix/{id:guid}", async Task<Results<NoContent, NotFound>> (Guid id, AppDbContext db) =>
        {
            var line = await db.Set<Responsibility>().FirstOrDefaultAsync(r => r.Id == id);
            if (line is null) return TypedResults.NotFound();
            db.Remove(line);
            await db.SaveChangesAsync();
            return TypedResults.NoContent();
        }).RequireAuthorization(Rights.ManageSystem);
    }
}
