using System.Text.Json;
using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Imports;

/// <summary>
/// Uploads a list and queues it: the file is checked (an .xlsx <see cref="XlsxReader"/> can read, with headings), kept encrypted, and
/// mapped — by a named template (<c>templateId</c>), by the returnee form's own headings, or by a saved template whose
/// headings the file has. The API's upload must map (else 400); the page's upload may stay a Draft to be mapped on screen
/// (<see cref="StartAsync"/>). Templates are saved here too. Called by the API and the pages.
/// </summary>
public sealed class StartImport(AppDbContext db, ImportFiles files, ImportQueue queue, OfficeClock clock, IHttpContextAccessor http)
{
    public sealed record Upload(string? FileName, long Length, Func<Stream> Open)
    {
        public static Upload? From(IFormFile? f) => f is null ? null : new(f.FileName, f.Length, f.OpenReadStream);
    }

    public sealed record StartInput(Dictionary<string, string?>? Mapping, Guid? TemplateId, string? SaveAsTemplate);
    public sealed record TemplateInput(string? Name, Dictionary<string, string?>? Mapping);

    public async Task<ImportJob> UploadAsync(Upload? upload, Guid? templateId, bool allowDraft, CancellationToken ct = default)
    {
        var errors = new Errors();
        if (upload is null || upload.Length == 0) errors.Add("file", "请选择 .xlsx 文件");
        else if (upload.Length > ImportFiles.MaxBytes) errors.Add("file", $"文件不能超过 {ImportFiles.MaxBytes / 1024 / 1024} MB");
        errors.Throw();
        // The upload is read where it lies (ASP.NET Core buffers a large form file on disk): no copies of it in memory.
        await using var source = upload!.Open();
        // A stream that cannot seek is copied to a temporary file, deleted when disposed — also when the copy fails.
        await using var copy = source.CanSeek ? null
            : new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        if (copy is not null) await source.CopyToAsync(copy, ct);
        Stream seekable = copy ?? source;
        ImportFiles.Head head;
        try
        {
            seekable.Position = 0;
            head = ImportFiles.ReadHead(seekable, limits: files.Limits);
        }
        catch (XlsxLimitException e)
        {
            // A zip bomb, or more text than the limits: refused before it is stored (ImportOptions).
            errors.Add("file", e.Message).Throw();
            throw;
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or System.Xml.XmlException or IOException or NotSupportedException or InvalidCastException or ArgumentException)
        {
            errors.Add("file", "无法读取：请上传 .xlsx 格式的名单").Throw();
            throw;
        }
        if (head.Headings.Count == 0 || head.Headings.All(h => h.Length == 0)) errors.Add("file", "第 1 行应为表头（如 姓名、身份证号码）").Throw();
        if (head.Headings.Count > 200) errors.Add("file", "列数过多（最多 200 列）").Throw();
        if (head.Headings.Any(h => h.Length > 50)) errors.Add("file", "表头过长（每列最多 50 个字符）").Throw();

        Dictionary<string, string>? mapping = null;
        ImportTemplate? template = null;
        if (templateId is { } tid)
        {
            template = await db.Set<ImportTemplate>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == tid, ct);
            if (template is null) errors.Add("templateId", "映射模板不存在").Throw();
            mapping = ImportFields.Validate(ImportFields.FromJson(template!.Mapping)!.ToDictionary(kv => kv.Key, kv => (string?)kv.Value), head.Headings, errors);
            if (errors.Any)
            {
                var missing = ImportFields.FromJson(template.Mapping).Values.Where(h => !head.Headings.Contains(h));
                new Errors().Add("templateId", $"文件与模板“{template.Name}”的表头不符，缺少：{string.Join("、", missing)}").Throw();
            }
        }
        else if (ImportFields.IsReturneeForm(head.Headings)) mapping = ImportFields.ReturneeMapping();
        else
        {
            // A layout seen before: the newest saved template whose headings are all in this file.
            foreach (var t in await db.Set<ImportTemplate>().AsNoTracking().OrderByDescending(t => t.CreatedAt).Take(100).ToListAsync(ct))
            {
                var m = ImportFields.FromJson(t.Mapping);
                if (m.Count > 0 && m.Values.All(head.Headings.Contains) && ImportFields.All.Where(f => f.Required).All(f => m.ContainsKey(f.Key)))
                {
                    (mapping, template) = (m, t);
                    break;
                }
            }
        }
        if (mapping is null && !allowDraft)
        {
            errors.Add("file", "表头不是返乡人员登记表的格式（姓名、性别、身份证号码、联系电话、现住址、从何地返回、返回日期、交通方式、车次/航班号），请指定映射模板 templateId").Throw();
        }

        var user = http.HttpContext?.User;
        var userId = user?.UserId();
        var job = new ImportJob
        {
            AreaId = await HomeAreaAsync(userId, ct),
            FileName = SafeName(upload.FileName),
            StoredName = await files.WriteAsync(seekable, ct),
            FileSize = seekable.Length,
            Status = mapping is null ? ImportStatus.Draft : ImportStatus.Queued,
            Headings = JsonSerializer.Serialize(head.Headings, ImportFields.StoredJson),
            Mapping = mapping is null ? null : ImportFields.ToJson(mapping),
            TemplateId = template?.Id,
            EstimatedRows = head.EstimatedRows,
            LastRow = 1,
            CreatedBy = userId is { } u && u != Guid.Empty ? u : null,
            CreatedByName = user is null ? "system" : $"{user.DisplayName()}（{user.Identity?.Name}）",
            CreatedAt = clock.UtcNow,
        };
        if (job.CreatedByName.Length > 100) job.CreatedByName = job.CreatedByName[..100];
        db.Add(job);
        await db.SaveChangesAsync(ct);
        if (job.Status == ImportStatus.Queued) queue.Wake(job.Id);
        return job;
    }

    /// <summary>Maps a Draft and queues it (409 once it is queued); optionally saves the mapping as a template.</summary>
    public async Task<ImportJob?> StartAsync(Guid id, StartInput input, CancellationToken ct = default)
    {
        var job = await db.Set<ImportJob>().FirstOrDefaultAsync(i => i.Id == id, ct);
        if (job is null) return null;
        if (job.Status != ImportStatus.Draft) throw new InvalidStepException("该名单已开始导入");
        var headings = JsonSerializer.Deserialize<List<string>>(job.Headings) ?? [];
        var errors = new Errors();
        Dictionary<string, string?>? raw = input.Mapping;
        if (input.TemplateId is { } tid)
        {
            var template = await db.Set<ImportTemplate>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == tid, ct);
            if (template is null) errors.Add("templateId", "映射模板不存在").Throw();
            raw = ImportFields.FromJson(template!.Mapping).ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
            job.TemplateId = tid;
        }
        var mapping = ImportFields.Validate(raw, headings, errors);
        var name = errors.Text("saveAsTemplate", input.SaveAsTemplate, 50, required: false);
        if (name is not null && await db.Set<ImportTemplate>().AnyAsync(t => t.AreaId == job.AreaId && t.Name == name, ct))
        {
            errors.Add("saveAsTemplate", "已有同名模板");
        }
        errors.Throw();
        if (name is not null)
        {
            var t = new ImportTemplate { AreaId = job.AreaId, Name = name, Mapping = ImportFields.ToJson(mapping), CreatedAt = clock.UtcNow, CreatedBy = job.CreatedBy };
            db.Add(t);
            job.TemplateId = t.Id;
        }
        job.Mapping = ImportFields.ToJson(mapping);
        job.Status = ImportStatus.Queued;
        await db.SaveChangesAsync(ct);
        queue.Wake(job.Id);
        return job;
    }

    public async Task<ImportTemplate> SaveTemplateAsync(TemplateInput input, CancellationToken ct = default)
    {
        var errors = new Errors();
        var name = errors.Text("name", input.Name, 50);
        var mapping = ImportFields.Validate(input.Mapping, null, errors);
        var area = await HomeAreaAsync(http.HttpContext?.User.UserId(), ct);
        if (name is not null && await db.Set<ImportTemplate>().AnyAsync(t => t.AreaId == area && t.Name == name, ct)) errors.Add("name", "已有同名模板");
        errors.Throw();
        var t = new ImportTemplate { AreaId = area, Name = name!, Mapping = ImportFields.ToJson(mapping), CreatedAt = clock.UtcNow, CreatedBy = http.HttpContext?.User.UserId() };
        db.Add(t);
        await db.SaveChangesAsync(ct);
        return t;
    }

    /// <summary>The uploader's highest scope node: the import and its templates lie there.</summary>
    private async Task<Guid> HomeAreaAsync(Guid? userId, CancellationToken ct) =>
        await db.UserScopes.Where(s => s.UserId == userId).Join(db.Areas, s => s.AreaId, a => a.Id, (s, a) => a)
            .OrderBy(a => a.Depth).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct)
        ?? await db.Areas.IgnoreQueryFilters().OrderBy(a => a.Depth).Select(a => a.Id).FirstAsync(ct);

    private static string SafeName(string? name)
    {
        var n = Path.GetFileName(name ?? "").Trim();
        n = new string([.. n.Where(c => !char.IsControl(c))]);
        if (n.Length == 0) n = "名单.xlsx";
        return n.Length <= 200 ? n : n[^200..];
    }
}
