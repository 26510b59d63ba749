using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Inspections;

/// <summary>
/// Records an inspection of a premises — the checklist, findings, photos — and, when an item failed, the
/// rectification order it issues. If the premises has an open order, this inspection is its re-inspection and
/// closes it: passed → Rectified; failed → Superseded by the new order. The page and the API call the same code.
/// </summary>
public sealed class RecordInspection(AppDbContext db, OfficeClock clock, PhotoStore photos, IHttpContextAccessor http)
{
    public sealed record InspectionInput(
        DateOnly? Date, string? Inspectors,
        CheckResult? WildAnimals, CheckResult? FeverMedicineRegister, CheckResult? StaffMasks, CheckResult? Disinfection, CheckResult? Other,
        string? OtherNote, string? Findings, string? RectificationRequirement, DateOnly? RectificationDeadline);

    /// <summary>The most photos one inspection form carries.</summary>
    public const int MaxPhotosPerForm = 6;

    /// <summary>Null when the premises does not exist in the caller's scope.</summary>
    public async Task<Inspection?> RecordAsync(Guid premisesId, InspectionInput input, IReadOnlyList<PhotoUpload>? uploads = null, CancellationToken ct = default)
    {
        var premises = await db.Set<Premises>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == premisesId, ct);
        if (premises is null) return null;
        var open = await db.Set<Rectification>().Where(r => r.PremisesId == premisesId && r.Status == RectificationStatus.Open)
            .OrderBy(r => r.IssuedAt).FirstOrDefaultAsync(ct);

        var errors = new Errors();
        var today = clock.Today;
        var date = errors.Required("date", input.Date);
        if (date is { } d && d > today) errors.Add("date", "检查日期不能晚于今天");
        else if (date is { } d2 && d2 < today.AddYears(-1)) errors.Add("date", "检查日期不能早于一年前");
        if (open is not null && date is { } d3)
        {
            var issued = await db.Set<Inspection>().Where(i => i.Id == open.InspectionId).Select(i => i.Date).FirstAsync(ct);
            if (d3 < issued) errors.Add("date", "复查日期不能早于下达整改通知的检查日期");
        }
        var inspectors = errors.Text("inspectors", input.Inspectors, 100);
        var answers = new[]
        {
            errors.Required("wildAnimals", Defined(input.WildAnimals, "wildAnimals", errors)),
            errors.Required("feverMedicineRegister", Defined(input.FeverMedicineRegister, "feverMedicineRegister", errors)),
            errors.Required("staffMasks", Defined(input.StaffMasks, "staffMasks", errors)),
            errors.Required("disinfection", Defined(input.Disinfection, "disinfection", errors)),
            errors.Required("other", Defined(input.Other, "other", errors)),
        };
        var otherNote = errors.Text("otherNote", input.OtherNote, 200, required: input.Other == CheckResult.Fail);
        var findings = errors.Text("findings", input.Findings, 2000, required: false, multiline: true);
        var failed = answers.Any(a => a == CheckResult.Fail);
        string? requirement = null;
        if (failed)
        {
            requirement = errors.Text("rectificationRequirement", input.RectificationRequirement, 1000, multiline: true);
            var deadline = errors.Required("rectificationDeadline", input.RectificationDeadline);
            if (deadline is { } dl && date is { } di && dl < di) errors.Add("rectificationDeadline", "整改期限不能早于检查日期");
            else if (deadline is { } dl2 && date is { } di2 && dl2 > di2.AddDays(90)) errors.Add("rectificationDeadline", "整改期限不能超过检查日期后 90 天");
            if (findings is null && !errors.Has("findings")) errors.Add("findings", "有不合格项时请填写检查发现的问题");
        }
        else if (!string.IsNullOrWhiteSpace(input.RectificationRequirement) || input.RectificationDeadline is not null)
        {
            errors.Add("rectificationDeadline", "各项均合格时无需下达整改通知");
        }
        var checkedPhotos = await CheckPhotosAsync(uploads, errors, ct);
        errors.Throw();

        var userId = http.HttpContext!.User.UserId();
        var now = clock.UtcNow;
        var inspection = new Inspection
        {
            PremisesId = premises.Id, CompoundId = premises.CompoundId, Date = date!.Value, Inspectors = inspectors!,
            WildAnimals = answers[0]!.Value, FeverMedicineRegister = answers[1]!.Value, StaffMasks = answers[2]!.Value,
            Disinfection = answers[3]!.Value, Other = answers[4]!.Value, OtherNote = otherNote, Findings = findings,
            Passed = !failed, ReinspectionOfId = open?.Id, RecordedAt = now, RecordedById = userId,
        };
        db.Add(inspection);
        if (open is not null)
        {
            open.Status = failed ? RectificationStatus.Superseded : RectificationStatus.Rectified;
            open.ClosedAt = now;
            open.ClosedByInspectionId = inspection.Id;
        }
        if (failed)
        {
            db.Add(new Rectification
            {
                PremisesId = premises.Id, CompoundId = premises.CompoundId, InspectionId = inspection.Id,
                Requirement = requirement!, Deadline = input.RectificationDeadline!.Value, IssuedAt = now,
            });
        }
        var written = new List<string>();
        try
        {
            foreach (var p in checkedPhotos)
            {
                var name = await photos.WriteAsync(p, ct);
                written.Add(name);
                db.Add(new InspectionPhoto { InspectionId = inspection.Id, CompoundId = premises.CompoundId, StoredName = name, ContentType = p.ContentType, Size = p.Bytes.Length, UploadedAt = now, UploadedById = userId });
            }
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            foreach (var name in written) photos.Delete(name);
            throw;
        }
        return inspection;
    }

    /// <summary>Adds a photo to an inspection in scope; null when the inspection is not found.</summary>
    public async Task<InspectionPhoto?> AddPhotoAsync(Guid inspectionId, PhotoUpload? upload, CancellationToken ct = default)
    {
        var inspection = await db.Set<Inspection>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == inspectionId, ct);
        if (inspection is null) return null;
        var errors = new Errors();
        var photo = await photos.CheckAsync(upload, errors, "file", ct);
        if (photo is not null && await db.Set<InspectionPhoto>().CountAsync(p => p.InspectionId == inspectionId, ct) >= 20)
        {
            errors.Add("file", "每次检查最多 20 张照片");
        }
        errors.Throw();
        var name = await photos.WriteAsync(photo!, ct);
        var row = new InspectionPhoto
        {
            InspectionId = inspection.Id, CompoundId = inspection.CompoundId, StoredName = name, ContentType = photo!.ContentType,
            Size = photo.Bytes.Length, UploadedAt = clock.UtcNow, UploadedById = http.HttpContext!.User.UserId(),
        };
        db.Add(row);
        try { await db.SaveChangesAsync(ct); }
        catch { photos.Delete(name); throw; }
        return row;
    }

    private async Task<List<PhotoStore.Checked>> CheckPhotosAsync(IReadOnlyList<PhotoUpload>? uploads, Errors errors, CancellationToken ct)
    {
        var list = new List<PhotoStore.Checked>();
        var real = (uploads ?? []).Where(u => u.Length > 0).ToList();
        if (real.Count > MaxPhotosPerForm)
        {
            errors.Add("photos", $"一次最多上传 {MaxPhotosPerForm} 张照片");
            return list;
        }
        foreach (var u in real)
        {
            if (await photos.CheckAsync(u, errors, "photos", ct) is { } c) list.Add(c);
        }
        return list;
    }

    private static CheckResult? Defined(CheckResult? r, string field, Errors errors)
    {
        if (r is { } v && !Enum.IsDefined(v)) { errors.Add(field, "取值无效"); return null; }
        return r;
    }
}
