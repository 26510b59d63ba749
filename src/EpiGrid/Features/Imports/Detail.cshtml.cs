using System.Text.Json;
using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Imports;

/// <summary>One import: mapping with a preview (a Draft), the progress bar (polling GET /api/imports/{id}), the errors,
/// the differences to accept and the people to place.</summary>
[Authorize(Policy = Rights.Imports)]
public sealed class DetailModel(AppDbContext db, ReviewImport review, StartImport start, ImportFiles files) : PageModel
{
    public const int Size = 50;
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty(SupportsGet = true, Name = "ep")] public int ErrorPage { get; set; } = 1;
    [BindProperty] public Dictionary<string, string?> Mapping { get; set; } = [];
    [BindProperty] public Guid? TemplateId { get; set; }
    [BindProperty] public string? SaveAsTemplate { get; set; }

    public ReviewImport.View Import { get; private set; } = null!;
    public ImportsApi.PreviewView? Preview { get; private set; }
    public PageOf<ReviewImport.ErrorItem> Errors { get; private set; } = new([], 0);
    public PageOf<ReviewImport.RowItem> Differences { get; private set; } = new([], 0);
    public PageOf<ReviewImport.RowItem> Unplaced { get; private set; } = new([], 0);
    public List<ImportTemplate> Templates { get; private set; } = [];
    public List<OrgTreeApi.AreaItem> Compounds { get; private set; } = [];

    private async Task<bool> LoadAsync()
    {
        if (await review.ViewAsync(Id) is not { } v) return false;
        Import = v;
        ErrorPage = Math.Max(1, ErrorPage);
        if (v.Status == ImportStatus.Draft)
        {
            Preview = await ImportsApi.PreviewAsync(Id, review, files);
            Templates = await db.Set<ImportTemplate>().AsNoTracking().OrderBy(t => t.Name).ToListAsync();
            if (Mapping.Count == 0 && Preview is not null) Mapping = Preview.Suggested.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        }
        else
        {
            Errors = (await review.ErrorsAsync(Id, ErrorPage, Size))!;
            Differences = (await review.RowsAsync(Id, "Differences", 1, 50))!;
            Unplaced = (await review.RowsAsync(Id, "Unplaced", 1, 50))!;
            if (Unplaced.Total > 0) Compounds = [.. (await OrgTreeApi.VisibleTreeAsync(db)).Where(a => a.Kind == AreaKind.Compound)];
        }
        return true;
    }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostStartAsync()
    {
        try
        {
            var input = new StartImport.StartInput(TemplateId is null ? Mapping.Where(kv => !string.IsNullOrEmpty(kv.Value)).ToDictionary() : null, TemplateId, SaveAsTemplate);
            if (await start.StartAsync(Id, input) is null) return NotFound();
            TempData["Flash"] = "已开始导入。";
            return RedirectToPage(new { id = Id });
        }
        catch (ValidationFailedException e)
        {
            foreach (var (field, messages) in e.Errors.ToDictionary())
            {
                var key = field.StartsWith("mapping.", StringComparison.Ordinal) ? $"Mapping[{field[8..]}]" : field == "saveAsTemplate" ? nameof(SaveAsTemplate) : field == "templateId" ? nameof(TemplateId) : "";
                foreach (var m in messages) ModelState.AddModelError(key, m);
            }
        }
        catch (InvalidStepException e) { ModelState.AddModelError("", e.Message); }
        return await LoadAsync() ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAcceptAsync(int row, bool accept)
    {
        try
        {
            if (await review.AcceptAsync(Id, row, new ReviewImport.AcceptInput(accept)) is null) return NotFound();
            TempData["Flash"] = accept ? "已按名单更新该人员信息。" : "已保留登记信息。";
            return RedirectToPage(new { id = Id });
        }
        catch (Exception e) when (e is InvalidStepException or ValidationFailedException) { ModelState.AddModelError("", e is InvalidStepException s ? s.Message : "输入有误"); }
        return await LoadAsync() ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostPlaceAsync(int row, Guid? compoundId)
    {
        try
        {
            if (await review.PlaceAsync(Id, row, new ReviewImport.PlaceInput(compoundId)) is null) return NotFound();
            TempData["Flash"] = "已安置并生成核查任务。";
            return RedirectToPage(new { id = Id });
        }
        catch (ValidationFailedException e) { ModelState.AddModelError("", string.Join("；", e.Errors.ToDictionary().SelectMany(kv => kv.Value))); }
        catch (InvalidStepException e) { ModelState.AddModelError("", e.Message); }
        return await LoadAsync() ? Page() : NotFound();
    }

}
