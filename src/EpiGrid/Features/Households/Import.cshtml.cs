using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EpiGrid.Features.Households;

[Authorize(Policy = Rights.EditPeople)]
[RequestSizeLimit(Platform.Web.BodyLimits.Uploads)]
public sealed class ImportModel(AppDbContext db, ImportRegister import) : PageModel
{
    [BindProperty] public Guid? CompoundId { get; set; }
    [BindProperty] public IFormFile? Upload { get; set; }
    public List<OrgTreeApi.AreaItem> Compounds { get; private set; } = [];
    public ImportRegister.Result? Result { get; private set; }

    public async Task OnGetAsync() => Compounds = [.. (await OrgTreeApi.VisibleTreeAsync(db)).Where(a => a.Kind == AreaKind.Compound)];

    public async Task<IActionResult> OnPostAsync()
    {
        await OnGetAsync();
        if (CompoundId is null || Compounds.All(c => c.Id != CompoundId)) ModelState.AddModelError(nameof(CompoundId), "请选择小区");
        if (Upload is null || Upload.Length == 0) ModelState.AddModelError(nameof(Upload), "请选择 .xlsx 文件");
        else if (Upload.Length > 20 * 1024 * 1024) ModelState.AddModelError(nameof(Upload), "文件不能超过 20 MB");
        if (!ModelState.IsValid) return Page();
        try
        {
            using var buffer = new MemoryStream();
            await Upload!.CopyToAsync(buffer);
            buffer.Position = 0;
            Result = await import.ImportAsync(CompoundId!.Value, buffer);
        }
        catch (ValidationFailedException e)
        {
            foreach (var m in e.Errors.ToDictionary().SelectMany(kv => kv.Value)) ModelState.AddModelError(nameof(Upload), m);
        }
        return Page();
    }
}
