using EpiGrid.Data;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Imports;

/// <summary>Imports of upper-level lists (docs/api.md, "Imports"): upload, status, mapping, review, feedback sheet.</summary>
public static class ImportsApi
{
    public sealed record Created(Guid Id, ImportStatus Status);
    public sealed record TemplateItem(Guid Id, string Name, IReadOnlyDictionary<string, string> Mapping);
    public sealed record PreviewView(IReadOnlyList<string> Headings, IReadOnlyList<string[]> Rows, IReadOnlyDictionary<string, string> Suggested,
        IReadOnlyList<FieldItem> Fields);
    public sealed record FieldItem(string Key, string Heading, bool Required);

    public static void MapImportsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/imports").WithTags("Imports").RequireAuthorization(Rights.Imports);

        // multipart/form-data: file (.xlsx), templateId (optional). The form is read by hand so a JSON body is a clear 400.
        g.MapPost("/", async Task<Accepted<Created>> (HttpContext http, StartImport start) =>
        {
            if (!http.Request.HasFormContentType) new Errors().Add("file", "请以 multipart/form-data 上传名单（字段名 file，可选 templateId）").Throw();
            IFormCollection form;
            try { form = await http.Request.ReadFormAsync(); }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                throw new ValidationFailedException(new Errors().Add("file", "上传的内容无法读取，请重新选择文件"));
            }
            Guid? templateId = null;
            if (form.TryGetValue("templateId", out var t) && !string.IsNullOrWhiteSpace(t))
            {
                if (!Guid.TryParse(t, out var tid)) new Errors().Add("templateId", "应为模板编号").Throw();
                templateId = tid;
            }
            var job = await start.UploadAsync(StartImport.Upload.From(form.Files.GetFile("file")), templateId, allowDraft: false);
            return TypedResults.Accepted($"/api/imports/{job.Id}", new Created(job.Id, job.Status));
        }).WithSummary("Uploads a list (.xlsx, multipart field \"file\"; optional \"templateId\") and queues its import: 202 { id }.")
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
                                  ["templateId"] = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, Format = "uuid" },
                              },
                          },
                      },
                  },
              };
              return Task.CompletedTask;
          })
            // A list may be up to ImportFiles.MaxBytes: more than the 1 MB every other route allows (BodyLimits).
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(ImportFiles.MaxBytes + 1024 * 1024));

        g.MapGet("/", async (ReviewImport review, int? page, int? pageSize) => TypedResults.Ok(await review.ListAsync(page, pageSize)));

        g.MapGet("/{id:guid}", async Task<Results<Ok<ReviewImport.View>, NotFound>> (Guid id, ReviewImport review) =>
            await review.ViewAsync(id) is { } v ? TypedResults.Ok(v) : TypedResults.NotFound())
            .WithSummary("The import's status, counts, progress and its first 1,000 row errors (all of them: /errors).");

        g.MapGet("/{id:guid}/errors", async Task<Results<Ok<PageOf<ReviewImport.ErrorItem>>, NotFound>> (Guid id, ReviewImport review, int? page, int? pageSize) =>
            await review.ErrorsAsync(id, page, pageSize) is { } p ? TypedResults.Ok(p) : TypedResults.NotFound());

        g.MapGet("/{id:guid}/rows", async Task<Results<Ok<PageOf<ReviewImport.RowItem>>, NotFound>> (Guid id, ReviewImport review, string? which, int? page, int? pageSize) =>
            await review.RowsAsync(id, which, page, pageSize) is { } p ? TypedResults.Ok(p) : TypedResults.NotFound())
            .WithSummary("Valid rows: which=Differences (a registered person the list describes differently), Unplaced, or All.");

        g.MapGet("/{id:guid}/preview", async Task<Results<Ok<PreviewView>, NotFound>> (Guid id, ReviewImport review, ImportFiles files) =>
            await PreviewAsync(id, review, files) is { } p ? TypedResults.Ok(p) : TypedResults.NotFound())
            .WithSummary("The file's headings and first rows (ID numbers and phones masked), and a suggested mapping.");

        g.MapPost("/{id:guid}/start", async Task<Results<Accepted<Created>, NotFound>> (Guid id, StartImport.StartInput body, StartImport start) =>
            await start.StartAsync(id, body) is { } job ? TypedResults.Accepted($"/api/imports/{id}", new Created(job.Id, job.Status)) : TypedResults.NotFound())
            .WithSummary("Maps a Draft import (field → heading, or a templateId) and queues it; saveAsTemplate saves the mapping. 409 once queued.");

        g.MapPost("/{id:guid}/rows/{row}/accept", async Task<Results<Ok<ReviewImport.RowItem>, NotFound>> (Guid id, int row, ReviewImport.AcceptInput body, ReviewImport review) =>
            await review.AcceptAsync(id, row, body) is { } r ? TypedResults.Ok(r) : TypedResults.NotFound())
            .WithSummary("accept: true applies the list's values to the registered person; false keeps them as registered.");

        g.MapPost("/{id:guid}/rows/{row}/place", async Task<Results<Ok<ReviewImport.RowItem>, NotFound>> (Guid id, int row, ReviewImport.PlaceInput body, ReviewImport review) =>
            await review.PlaceAsync(id, row, body) is { } r ? TypedResults.Ok(r) : TypedResults.NotFound())
            .WithSummary("Places an unplaced row's person in a compound: registered there, with their verification task.");

        g.MapGet("/{id:guid}/feedback.xlsx", async Task<Results<FileContentHttpResult, NotFound>> (Guid id, ReviewImport review) =>
            await review.FeedbackAsync(id) is { } bytes
                ? TypedResults.File(bytes, Exporter.ContentType, $"反馈表-{id.ToString()[..8]}.xlsx")
                : TypedResults.NotFound())
            .WithSummary("The feedback sheet (反馈表): the list back in its own column order, with each row's import result and verification outcome and date.");

        g.MapGet("/templates", async (AppDbContext db) =>
        {
            var items = await db.Set<ImportTemplate>().AsNoTracking().OrderBy(t => t.Name).ToListAsync();
            return TypedResults.Ok(new PageOf<TemplateItem>([.. items.Select(t => new TemplateItem(t.Id, t.Name, ImportFields.FromJson(t.Mapping)))], items.Count));
        });

        g.MapPost("/templates", async (StartImport.TemplateInput body, StartImport start) =>
        {
            var t = await start.SaveTemplateAsync(body);
            return TypedResults.Created($"/api/imports/templates/{t.Id}", new TemplateItem(t.Id, t.Name, ImportFields.FromJson(t.Mapping)));
        }).WithSummary("Saves a mapping (field → heading) as a template for lists of that layout.");
    }

    public static async Task<PreviewView?> PreviewAsync(Guid id, ReviewImport review, ImportFiles files, CancellationToken ct = default)
    {
        var job = await review.FindAsync(id, ct);
        if (job is null) return null;
        if (job.StoredName.Length == 0) throw new InvalidStepException(ImportFiles.Expired);
        await using var s = await files.OpenAsync(job.StoredName, ct: ct);
        var head = ImportFiles.ReadHead(s, 5, files.Limits);
        return new PreviewView(head.Headings, head.Preview, job.Mapping is null ? ImportFields.Suggest(head.Headings) : ImportFields.FromJson(job.Mapping),
            [.. ImportFields.All.Select(f => new FieldItem(f.Key, f.Heading, f.Required))]);
    }
}
