using EpiGrid.Data;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Imports;

[Authorize(Policy = Rights.Imports)]
[RequestSizeLimit(ImportFiles.MaxBytes + 1024 * 1024)]
public sealed class IndexModel(AppDbContext db, ReviewImport review, StartImport start) : PageModel
{
    public const int Size = 20;
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNo { get; set; } = 1;
    [BindProperty] public IFormFile? Upload { get; set; }
    [BindProperty] public Guid? TemplateId { get; set; }
    public PageOf<ReviewImport.ListItem> List { get; private set; } = new([], 0);
    public List<ImportTemplate> Templates { get; private set; } = [];

    public async Task OnGetAsync()
    {
        PageNo = Math.Max(1, PageNo);
        List = await review.ListAsync(PageNo, Size);
        Templates = await db.Set<ImportTemplate>().AsNoTracking().OrderBy(t => t.Name).ToListAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        try
        {
            var job = await start.UploadAsync(StartImport.Upload.From(Upload), TemplateId, allowDraft: true);
            TempData["Flash"] = job.Status == ImportStatus.Draft ? "已上传，请核对列的对应关系后开始导入。" : "已上传，正在后台导入。";
            return RedirectToPage("/Imports/Detail", new { id = job.Id });
        }
        catch (ValidationFailedException e)
        {
            foreach (var (field, messages) in e.Errors.ToDictionary())
            {
                foreach (var m in messages) ModelState.AddModelError(field == "templateId" ? nameof(TemplateId) : nameof(Upload), m);
            }
            await OnGetAsync();
            return Page();
        }
    }
}
