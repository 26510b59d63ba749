using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Inspections;

/// <summary>Premises, inspections with their photos, and rectification orders (docs/api.md, "Field work").</summary>
public static class InspectionsApi
{
    public sealed record PremisesItem(Guid Id, PremisesKind Kind, string Name, string? Address, string? Licence, Guid CompoundId, string CompoundName,
        bool IsActive, int Inspections, int FailedInspections, bool Flagged, DateOnly? LastInspectionDate,
        Guid? OpenRectificationId, DateOnly? OpenRectificationDeadline, bool RectificationOverdue);

    public sealed record PhotoItem(Guid Id, string Url, string ContentType, long Size);

    public sealed record RectificationItem(Guid Id, Guid PremisesId, string PremisesName, Guid CompoundId, Guid InspectionId, string Requirement,
        DateOnly Deadline, RectificationStatus Status, bool Overdue, DateTimeOffset IssuedAt, DateTimeOffset? ClosedAt, Guid? ClosedByInspectionId);

    public sealed record InspectionItem(Guid Id, Guid PremisesId, string PremisesName, PremisesKind PremisesKind, Guid CompoundId, DateOnly Date, string Inspectors,
        CheckResult WildAnimals, CheckResult FeverMedicineRegister, CheckResult StaffMasks, CheckResult Disinfection, CheckResult Other, string? OtherNote,
        string? Findings, bool Passed, string[] FailedItems, Guid? ReinspectionOfId, RectificationItem? Rectification, PhotoItem[] Photos,
        DateTimeOffset RecordedAt, string RecordedBy);

    public static string PhotoUrl(Guid inspectionId, Guid photoId) => $"/api/inspections/{inspectionId}/photos/{photoId}";

    /// <summary>Premises in scope with their counts, flag and open order. Filters before projecting (EF cannot filter a record's constructor).</summary>
    public static IQueryable<PremisesItem> PremisesList(AppDbContext db, DateOnly today, Guid? id = null, PremisesKind? kind = null,
        Guid? areaId = null, string? q = null, bool? flagged = null, bool? active = null)
    {
        var query = db.Set<Premises>().AsNoTracking();
        if (id is { } i) query = query.Where(p => p.Id == i);
        if (kind is { } k) query = query.Where(p => p.Kind == k);
        if (active is { } a) query = query.Where(p => p.IsActive == a);
        if (areaId is { } area) query = query.Where(p => p.CompoundId == area || db.Areas.Any(x => x.Id == p.CompoundId && x.ParentId == area));
        if (!string.IsNullOrWhiteSpace(q)) query = query.Where(p => p.Name.Contains(q) || (p.Licence != null && p.Licence.Contains(q)) || (p.Address != null && p.Address.Contains(q)));
        if (flagged is { } f)
        {
            query = f ? query.Where(p => db.Set<Inspection>().Count(x => x.PremisesId == p.Id && !x.Passed) >= Premises.FlagAfterFailures)
                      : query.Where(p => db.Set<Inspection>().Count(x => x.PremisesId == p.Id && !x.Passed) < Premises.FlagAfterFailures);
        }
        return query
            .Join(db.Areas, p => p.CompoundId, c => c.Id, (p, c) => new { p, CompoundName = c.Name })
            .OrderByDescending(x => db.Set<Inspection>().Count(i2 => i2.PremisesId == x.p.Id && !i2.Passed) >= Premises.FlagAfterFailures)
            .ThenBy(x => x.CompoundName).ThenBy(x => x.p.Name)
            .Select(x => new PremisesItem(x.p.Id, x.p.Kind, x.p.Name, x.p.Address, x.p.Licence, x.p.CompoundId, x.CompoundName, x.p.IsActive,
                db.Set<Inspection>().Count(i2 => i2.PremisesId == x.p.Id),
                db.Set<Inspection>().Count(i2 => i2.PremisesId == x.p.Id && !i2.Passed),
                db.Set<Inspection>().Count(i2 => i2.PremisesId == x.p.Id && !i2.Passed) >= Premises.FlagAfterFailures,
                db.Set<Inspection>().Where(i2 => i2.PremisesId == x.p.Id).Max(i2 => (DateOnly?)i2.Date),
                db.Set<Rectification>().Where(r => r.PremisesId == x.p.Id && r.Status == RectificationStatus.Open).Select(r => (Guid?)r.Id).FirstOrDefault(),
                db.Set<Rectification>().Where(r => r.PremisesId == x.p.Id && r.Status == RectificationStatus.Open).Select(r => (DateOnly?)r.Deadline).FirstOrDefault(),
                db.Set<Rectification>().Any(r => r.PremisesId == x.p.Id && r.Status == RectificationStatus.Open && r.Deadline < today)));
    }

    public static IQueryable<RectificationItem> Rectifications(AppDbContext db, DateOnly today, OfficeClock clock, IQueryable<Rectification> source) =>
        source.AsNoTracking()
            .Join(db.Set<Premises>(), r => r.PremisesId, p => p.Id, (r, p) => new { r, p.Name })
            .OrderBy(x => x.r.Status == RectificationStatus.Open ? 0 : 1).ThenBy(x => x.r.Deadline)
            .Select(x => new RectificationItem(x.r.Id, x.r.PremisesId, x.Name, x.r.CompoundId, x.r.InspectionId, x.r.Requirement, x.r.Deadline, x.r.Status,
                x.r.Status == RectificationStatus.Open && x.r.Deadline < today, clock.WithOffset(x.r.IssuedAt),
                x.r.ClosedAt == null ? null : clock.WithOffset(x.r.ClosedAt.Value), x.r.ClosedByInspectionId));

    /// <summary>Inspections as the API shows them: the checklist, the order each issued, photos, who recorded it.</summary>
    public static async Task<List<InspectionItem>> InspectionItemsAsync(AppDbContext db, OfficeClock clock, List<Inspection> list, CancellationToken ct = default)
    {
        if (list.Count == 0) return [];
        var ids = list.Select(i => i.Id).ToList();
        var premisesIds = list.Select(i => i.PremisesId).Distinct().ToList();
        var userIds = list.Select(i => i.RecordedById).Distinct().ToList();
        var premises = await db.Set<Premises>().AsNoTracking().Where(p => premisesIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var today = clock.Today;
        var orders = (await Rectifications(db, today, clock, db.Set<Rectification>().Where(r => ids.Contains(r.InspectionId))).ToListAsync(ct))
            .ToDictionary(r => r.InspectionId);
        var photos = (await db.Set<InspectionPhoto>().AsNoTracking().Where(p => ids.Contains(p.InspectionId)).OrderBy(p => p.UploadedAt).ToListAsync(ct))
            .ToLookup(p => p.InspectionId);
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return [.. list.Select(i => new InspectionItem(i.Id, i.PremisesId, premises[i.PremisesId].Name, premises[i.PremisesId].Kind, i.CompoundId, i.Date, i.Inspectors,
            i.WildAnimals, i.FeverMedicineRegister, i.StaffMasks, i.Disinfection, i.Other, i.OtherNote, i.Findings, i.Passed, i.FailedItems(),
            i.ReinspectionOfId, orders.GetValueOrDefault(i.Id),
            [.. photos[i.Id].Select(p => new PhotoItem(p.Id, PhotoUrl(i.Id, p.Id), p.ContentType, p.Size))],
            clock.WithOffset(i.RecordedAt), users.GetValueOrDefault(i.RecordedById, "")))];
    }

    public static IQueryable<Inspection> InspectionQuery(AppDbContext db, Guid? premisesId, Guid? areaId, DateOnly? from, DateOnly? to, bool? passed)
    {
        var q = db.Set<Inspection>().AsNoTracking();
        if (premisesId is { } p) q = q.Where(i => i.PremisesId == p);
        if (areaId is { } a) q = q.Where(i => i.CompoundId == a || db.Areas.Any(x => x.Id == i.CompoundId && x.ParentId == a));
        if (from is { } f) q = q.Where(i => i.Date >= f);
        if (to is { } t) q = q.Where(i => i.Date <= t);
        if (passed is { } ok) q = q.Where(i => i.Passed == ok);
        return q.OrderByDescending(i => i.Date).ThenByDescending(i => i.RecordedAt);
    }

    private static async Task<PageOf<InspectionItem>> PageInspectionsAsync(AppDbContext db, OfficeClock clock, IQueryable<Inspection> q, int? page, int? pageSize)
    {
        var paged = await q.PageAsync(page, pageSize);
        return new PageOf<InspectionItem>(await InspectionItemsAsync(db, clock, [.. paged.Items]), paged.Total);
    }

    private static void CheckRange(DateOnly? from, DateOnly? to)
    {
        if (from is { } f && to is { } t && t < f) new Errors().Add("to", "结束日期不能早于开始日期").Throw();
    }

    public static void MapInspectionsApi(this IEndpointRouteBuilder app)
    {
        var premises = app.MapGroup("/api/premises").WithTags("Field work: inspections");

        premises.MapGet("/", async (AppDbContext db, OfficeClock clock, PremisesKind? kind, Guid? areaId, string? q, bool? flagged, bool? active, int? page, int? pageSize) =>
            TypedResults.Ok(await PremisesList(db, clock.Today, null, kind, areaId, q, flagged, active).PageAsync(page, pageSize)))
            .RequireAuthorization(Rights.FieldWork);

        premises.MapGet("/{id:guid}", async Task<Results<Ok<PremisesItem>, NotFound>> (Guid id, AppDbContext db, OfficeClock clock) =>
            await PremisesList(db, clock.Today, id).FirstOrDefaultAsync() is { } p ? TypedResults.Ok(p) : TypedResults.NotFound())
            .RequireAuthorization(Rights.FieldWork);

        premises.MapPost("/", async (EditPremises.PremisesInput body, EditPremises edit, AppDbContext db, OfficeClock clock) =>
        {
            var p = await edit.CreateAsync(body);
            return TypedResults.Created($"/api/premises/{p.Id}", await PremisesList(db, clock.Today, p.Id).FirstAsync());
        }).RequireAuthorization(Rights.FieldWork);

        premises.MapPut("/{id:guid}", async Task<Results<Ok<PremisesItem>, NotFound>> (Guid id, EditPremises.PremisesInput body, EditPremises edit, AppDbContext db, OfficeClock clock) =>
            await edit.UpdateAsync(id, body) is { } p ? TypedResults.Ok(await PremisesList(db, clock.Today, p.Id).FirstAsync()) : TypedResults.NotFound())
            .RequireAuthorization(Rights.FieldWork);

        premises.MapGet("/{id:guid}/inspections", async Task<Results<Ok<PageOf<InspectionItem>>, NotFound>> (Guid id, AppDbContext db, OfficeClock clock, int? page, int? pageSize) =>
        {
            if (!await db.Set<Premises>().AnyAsync(p => p.Id == id)) return TypedResults.NotFound();
            return TypedResults.Ok(await PageInspectionsAsync(db, clock, InspectionQuery(db, id, null, null, null, null), page, pageSize));
        }).RequireAuthorization(Rights.FieldWork);

        // An inspection; if the premises has an open rectification order, this is its re-inspection and closes it.
        premises.MapPost("/{id:guid}/inspections", async Task<Results<Created<InspectionItem>, NotFound>> (Guid id, RecordInspection.InspectionInput body, RecordInspection record, AppDbContext db, OfficeClock clock) =>
        {
            var i = await record.RecordAsync(id, body);
            if (i is null) return TypedResults.NotFound();
            return TypedResults.Created($"/api/inspections/{i.Id}", (await InspectionItemsAsync(db, clock, [i]))[0]);
        }).RequireAuthorization(Rights.FieldWork);

        premises.MapGet("/export.xlsx", async (AppDbContext db, OfficeClock clock, Exporter exporter, PremisesKind? kind, Guid? areaId, bool? flagged) =>
        {
            var rows = await PremisesList(db, clock.Today, null, kind, areaId, null, flagged).ToListAsync();
            var filter = ExportFilter.Of();
            if (kind is { } k) filter.App("类型=", Premises.KindName(k));
            if (flagged == true) filter.App("", "仅两次不合格");
            var bytes = await exporter.ExportAsync("检查场所", filter,
            [
                new ExportColumn<PremisesItem>("场所名称", r => r.Name),
                new("类型", r => Premises.KindName(r.Kind)),
                new("小区/院落", r => r.CompoundName),
                new("地址", r => r.Address),
                new("许可证号", r => r.Licence),
                new("检查次数", r => r.Inspections),
                new("不合格次数", r => r.FailedInspections),
                new("标记", r => r.Flagged ? "两次以上不合格" : ""),
                new("最近检查", r => r.LastInspectionDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
                new("整改", r => r.OpenRectificationDeadline is { } d ? $"整改中，期限 {d:yyyy-MM-dd}{(r.RectificationOverdue ? "（已超期）" : "")}" : ""),
                new("状态", r => r.IsActive ? "营业" : "停业"),
            ], rows);
            return Exporter.File(bytes, "检查场所");
        }).RequireAuthorization(Rights.FieldWork);

        var inspections = app.MapGroup("/api/inspections").WithTags("Field work: inspections");

        inspections.MapGet("/", async (AppDbContext db, OfficeClock clock, Guid? premisesId, Guid? areaId, DateOnly? from, DateOnly? to, bool? passed, int? page, int? pageSize) =>
        {
            CheckRange(from, to);
            return TypedResults.Ok(await PageInspectionsAsync(db, clock, InspectionQuery(db, premisesId, areaId, from, to, passed), page, pageSize));
        }).RequireAuthorization(Rights.FieldWork);

        inspections.MapGet("/{id:guid}", async Task<Results<Ok<InspectionItem>, NotFound>> (Guid id, AppDbContext db, OfficeClock clock) =>
        {
            var i = await db.Set<Inspection>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == id);
            return i is null ? TypedResults.NotFound() : TypedResults.Ok((await InspectionItemsAsync(db, clock, [i]))[0]);
        }).RequireAuthorization(Rights.FieldWork);

        // multipart/form-data with one image in the field "file". The form is read by hand, after the scope check, so an
        // inspection out of scope is a 404 whatever the body; cookie calls to /api carry the antiforgery header (ApiAntiforgery).
        inspections.MapPost("/{id:guid}/photos", async Task<Results<Created<PhotoItem>, NotFound>> (Guid id, HttpContext http, RecordInspection record, AppDbContext db) =>
        {
            if (!await db.Set<Inspection>().AnyAsync(i => i.Id == id)) return TypedResults.NotFound();
            if (!http.Request.HasFormContentType) new Errors().Add("file", "请以 multipart/form-data 上传照片（字段名 file）").Throw();
            IFormCollection form;
            try { form = await http.Request.ReadFormAsync(); }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                throw new ValidationFailedException(new Errors().Add("file", "上传的内容无法读取，请重新选择照片"));
            }
            var file = form.Files.GetFile("file");
            var p = await record.AddPhotoAsync(id, file is null ? null : PhotoUpload.From(file));
            if (p is null) return TypedResults.NotFound();
            var url = PhotoUrl(id, p.Id);
            return TypedResults.Created(url, new PhotoItem(p.Id, url, p.ContentType, p.Size));
        }).RequireAuthorization(Rights.FieldWork)
          .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(Platform.Web.BodyLimits.Uploads))
          .WithSummary("Adds a photo (JPEG, PNG or WebP, checked by its bytes) as multipart/form-data, field \"file\".")
          .AddOpenApiOperationTransformer((op, _, _) =>
          {
              op.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
              {
                  Required = true,
                  Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>
                  {
                      ["multipart/form-data"] = new()
                      {
                          Schema = new Microsoft.OpenApi.OpenApiSchema
                          {
                              Type = Microsoft.OpenApi.JsonSchemaType.Object,
                              Required = new HashSet<string> { "file" },
                              Properties = new Dictionary<string, Microsoft.OpenApi.IOpenApiSchema>
                              {
                                  ["file"] = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, Format = "binary" },
                              },
                          },
                      },
                  },
              };
              return Task.CompletedTask;
          });

        inspections.MapGet("/{id:guid}/photos/{photoId:guid}", async Task<Results<PhysicalFileHttpResult, NotFound>> (Guid id, Guid photoId, AppDbContext db, PhotoStore store, HttpContext http) =>
        {
            var p = await db.Set<InspectionPhoto>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == photoId && x.InspectionId == id);
            if (p is null) return TypedResults.NotFound();
            var path = store.PathOf(p.StoredName);
            if (!File.Exists(path)) return TypedResults.NotFound();
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.CacheControl = "private, max-age=3600";
            return TypedResults.PhysicalFile(path, p.ContentType);
        }).RequireAuthorization(Rights.FieldWork);

        inspections.MapGet("/export.xlsx", async (AppDbContext db, OfficeClock clock, Exporter exporter, Guid? areaId, DateOnly? from, DateOnly? to, bool? passed) =>
        {
            CheckRange(from, to);
            var list = await InspectionQuery(db, null, areaId, from, to, passed).Take(50_000).ToListAsync();
            var items = await InspectionItemsAsync(db, clock, list);
            var compounds = await db.Areas.AsNoTracking().Where(a => a.Kind == OrgTree.AreaKind.Compound).ToDictionaryAsync(a => a.Id, a => a.Name);
            var filter = ExportFilter.Of().Dates(from, to);
            if (passed is { } ok) filter.App("", ok ? "合格" : "不合格");
            string R(CheckResult r) => Inspection.ResultName(r);
            var bytes = await exporter.ExportAsync("场所检查", filter,
            [
                new ExportColumn<InspectionItem>("检查日期", r => r.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
                new("场所", r => r.PremisesName),
                new("类型", r => Premises.KindName(r.PremisesKind)),
                new("小区/院落", r => compounds.GetValueOrDefault(r.CompoundId)),
                new("检查人员", r => r.Inspectors),
                new(Inspection.Questions[0].Question, r => R(r.WildAnimals)),
                new(Inspection.Questions[1].Question, r => R(r.FeverMedicineRegister)),
                new(Inspection.Questions[2].Question, r => R(r.StaffMasks)),
                new(Inspection.Questions[3].Question, r => R(r.Disinfection)),
                new(Inspection.Questions[4].Question, r => R(r.Other) + (r.OtherNote is null ? "" : "：" + r.OtherNote)),
                new("结果", r => r.Passed ? "合格" : "不合格"),
                new("检查发现", r => r.Findings),
                new("整改要求", r => r.Rectification?.Requirement),
                new("整改期限", r => r.Rectification?.Deadline.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
                new("整改状态", r => r.Rectification is { } o ? Rectification.StatusName(o.Status) + (o.Overdue ? "（已超期）" : "") : ""),
                new("复查", r => r.ReinspectionOfId is null ? "" : "是"),
                new("照片数", r => r.Photos.Length),
                new("登记人", r => r.RecordedBy),
            ], items);
            return Exporter.File(bytes, "场所检查");
        }).RequireAuthorization(Rights.FieldWork);

        var rect = app.MapGroup("/api/rectifications").WithTags("Field work: inspections");

        rect.MapGet("/", async (AppDbContext db, OfficeClock clock, RectificationStatus? status, bool? overdue, Guid? premisesId, int? page, int? pageSize) =>
        {
            var today = clock.Today;
            var q = db.Set<Rectification>().AsQueryable();
            if (status is { } s) q = q.Where(r => r.Status == s);
            if (premisesId is { } p) q = q.Where(r => r.PremisesId == p);
            if (overdue is { } o) q = o ? q.Where(r => r.Status == RectificationStatus.Open && r.Deadline < today) : q.Where(r => !(r.Status == RectificationStatus.Open && r.Deadline < today));
            return TypedResults.Ok(await Rectifications(db, today, clock, q).PageAsync(page, pageSize));
        }).RequireAuthorization(Rights.FieldWork);

        rect.MapGet("/{id:guid}", async Task<Results<Ok<RectificationItem>, NotFound>> (Guid id, AppDbContext db, OfficeClock clock) =>
            await Rectifications(db, clock.Today, clock, db.Set<Rectification>().Where(r => r.Id == id)).FirstOrDefaultAsync() is { } r
                ? TypedResults.Ok(r) : TypedResults.NotFound())
            .RequireAuthorization(Rights.FieldWork);
    }
}
