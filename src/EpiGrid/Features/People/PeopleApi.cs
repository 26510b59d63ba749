using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.People;

public static class PeopleApi
{
    /// <summary>The most rows one people export holds (streamed: memory does not grow with it; the volume alert watches the day's total).</summary>
    public const int MaxExportRows = 200_000;

    public sealed record Created(Guid Id, string Name, string IdNumberMasked, string? PhoneMasked, PersonCategory[] Categories);
    public sealed record ListItem(Guid Id, string Name, Gender Gender, string IdNumberMasked, string? PhoneMasked, Guid CompoundId,
        string Address, PersonCategory[] Categories, PersonStatus Status);

    public static IResult Duplicate(RegisterPerson.DuplicateException d) => d.ExistingId is { } id
        ? Results.Problem(title: "该证件号码已登记", detail: "此人已在您的辖区登记，请打开已有记录。", statusCode: 409,
            extensions: new Dictionary<string, object?> { ["existingId"] = id })
        : Results.Problem(title: "该证件号码已登记", detail: $"此人已由{d.OwnerArea}登记。", statusCode: 409,
            extensions: new Dictionary<string, object?> { ["ownerArea"] = d.OwnerArea });

    public static void MapPeopleApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/people").WithTags("People");

        g.MapPost("/", async (RegisterPerson.Input body, RegisterPerson register, AppDbContext db) =>
        {
            try
            {
                var p = await register.RegisterAsync(body);
                var categories = await db.Set<PersonCategoryRow>().Where(c => c.PersonId == p.Id).Select(c => c.Category).ToArrayAsync();
                return Results.Created($"/api/people/{p.Id}", new Created(p.Id, p.Name, p.IdNumberMasked, p.PhoneMasked, [.. categories.Order()]));
            }
            catch (RegisterPerson.DuplicateException d)
            {
                return Duplicate(d);
            }
        }).RequireAuthorization(Rights.EditPeople);

        g.MapGet("/", async (AppDbContext db, string? q, PersonCategory? category, PersonStatus? status, Guid? areaId, int? page, int? pageSize) =>
        {
            var query = await SearchPeople.QueryAsync(db, new(q, category, status, areaId));
            var result = await SearchPeople.Rows(query).PageAsync(page, pageSize);
            var cats = await SearchPeople.CategoriesAsync(db, result.Items.Select(r => r.Id));
            return TypedResults.Ok(new PageOf<ListItem>([.. result.Items.Select(r => new ListItem(r.Id, r.Name, r.Gender, r.IdNumberMasked,
                r.PhoneMasked, r.CompoundId, r.Address, [.. cats[r.Id].Order()], r.Status))], result.Total));
        }).RequireAuthorization(Rights.ReadPeople);

        g.MapGet("/{id:guid}", async Task<Results<Ok<PersonView>, NotFound>> (Guid id, AppDbContext db, OfficeClock clock) =>
            await PersonView.LoadAsync(db, clock, id) is { } v ? TypedResults.Ok(v) : TypedResults.NotFound())
            .RequireAuthorization(Rights.ReadPeople);

        g.MapPost("/{id:guid}/reveal", async Task<Results<Ok<Dictionary<string, string>>, NotFound>> (Guid id, Revealer.Request body, AppDbContext db, Revealer revealer) =>
        {
            var reason = Revealer.RequireReason(body.Reason);
            var p = await db.Set<Person>().AsNoTracking().Where(x => x.Id == id).Select(x => new { x.IdNumberCipher, x.PhoneCipher }).FirstOrDefaultAsync();
            if (p is null) return TypedResults.NotFound();
            return TypedResults.Ok(await revealer.RevealAsync(nameof(Person), id, reason,
                [("idNumber", ProtectedKind.IdNumber, p.IdNumberCipher), ("phone", ProtectedKind.Phone, p.PhoneCipher ?? "")]));
        }).RequireAuthorization(Rights.Reveal);

        g.MapGet("/{id:guid}/contacts", async Task<Results<Ok<ContactChain.Graph>, NotFound>> (Guid id, ContactChain chain, int? depth) =>
            await chain.LoadAsync(id, Math.Clamp(depth ?? 2, 1, 4)) is { } graph ? TypedResults.Ok(graph) : TypedResults.NotFound())
            .RequireAuthorization(Rights.ReadPeople);

        g.MapPost("/{id:guid}/contacts", async Task<Results<Created<object>, NotFound>> (Guid id, ContactChain.LinkInput body, ContactChain chain) =>
            await chain.LinkAsync(id, body) is { } link ? TypedResults.Created($"/api/people/{id}/contacts", (object)new { link.Id, link.PersonId, link.SourcePersonId }) : TypedResults.NotFound())
            .RequireAuthorization(Rights.EditPeople);

        g.MapPost("/{id:guid}/transfer", async Task<Results<Ok<PersonView>, NotFound>> (Guid id, CaseActions.TransferInput body, CaseActions actions, AppDbContext db, OfficeClock clock) =>
            await actions.TransferAsync(id, body) is not null ? TypedResults.Ok((await PersonView.LoadAsync(db, clock, id))!) : TypedResults.NotFound())
            .RequireAuthorization(Rights.EditPeople);

        g.MapPost("/{id:guid}/trace-building", async Task<Results<Ok<CaseActions.TraceResult>, NotFound>> (Guid id, CaseActions.TraceInput body, CaseActions actions) =>
            await actions.TraceBuildingAsync(id, body) is { } r ? TypedResults.Ok(r) : TypedResults.NotFound())
            .RequireAuthorization(Rights.EditPeople);

        g.MapGet("/export.xlsx", async (AppDbContext db, Exporter exporter, OfficeClock clock, string? q, PersonCategory? category, PersonStatus? status, Guid? areaId, CancellationToken ct) =>
        {
            var query = await SearchPeople.QueryAsync(db, new(q, category, status, areaId), all: true, ct);
            var compounds = await db.Areas.AsNoTracking().Where(a => a.Kind == OrgTree.AreaKind.Compound).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
            var filter = ExportFilter.Of("；").Typed("关键字=", q);
            if (category is { } c) filter.App("类别=", Person.CategoryName(c));
            if (status is { } st) filter.App("状态=", Person.StatusName(st));
            var all = Enum.GetValues<PersonCategory>();
            // Streamed: one query read as the sheet is written (no list in memory, no second query while it is open);
            // the categories come from the person's own bits.
            var rows = query.OrderBy(p => p.Name).ThenBy(p => p.Id).Take(MaxExportRows).AsEnumerable();
            return await exporter.ExportFileAsync("重点人员", filter,
            [
                new ExportColumn<Person>("姓名", p => p.Name),
                new("性别", p => p.Gender == Gender.Male ? "男" : "女"),
                ExportColumn<Person>.Protected("证件号码", ProtectedKind.IdNumber, p => p.IdNumberMasked, p => p.IdNumberCipher),
                ExportColumn<Person>.Protected("联系电话", ProtectedKind.Phone, p => p.PhoneMasked ?? "", p => p.PhoneCipher ?? ""),
                new("小区", p => compounds.GetValueOrDefault(p.CompoundId, "")),
                new("现住址", p => p.Address),
                new("人员类别", p => string.Join("、", all.Where(c => (p.CategoryFlags & PersonCategoryFlags.Bit(c)) != 0).Select(Person.CategoryName))),
                new("从何地返回", p => p.TravelFrom),
                new("返回日期", p => p.ArrivedAt is { } a ? clock.Format(a) : ""),
                new("状态", p => Person.StatusName(p.Status)),
            ], rows, "重点人员", ct);
        }).RequireAuthorization(Rights.ReadPeople);
    }
}
