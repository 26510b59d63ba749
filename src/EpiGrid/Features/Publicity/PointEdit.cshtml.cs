using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Publicity;

/// <summary>A fixed publicity point: where it is and what it shows.</summary>
[Authorize(Policy = Rights.Publicity)]
public sealed class PointEditModel(AppDbContext db, EditPublicity edit) : PageModel
{
    public sealed class Form
    {
        public string? Name { get; set; }
        public Guid? AreaId { get; set; }
        public string? Location { get; set; }
        public string? Shows { get; set; }
        public bool IsActive { get; set; } = true;
    }

    [BindProperty] public Form Input { get; set; } = new();
    public Guid? Id { get; private set; }
    public List<OrgTreeApi.AreaItem> Areas { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid? id)
    {
        Id = id;
        if (id is { } i)
        {
            var p = await db.Set<PublicityPoint>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == i);
            if (p is null) return NotFound();
            Input = new Form { Name = p.Name, AreaId = p.AreaId, Location = p.Location, Shows = p.Shows, IsActive = p.IsActive };
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id)
    {
        Id = id;
        var input = new EditPublicity.PointInput(Input.Name, Input.AreaId, Input.Location, Input.Shows, Input.IsActive);
        try
        {
            if (id is { } i) { if (await edit.UpdatePointAsync(i, input) is null) return NotFound(); }
            else await edit.CreatePointAsync(input);
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e);
            await LoadAsync();
            return Page();
        }
        TempData["Flash"] = "宣传点已保存。";
        return RedirectToPage("/Publicity/Index");
    }

    private async Task LoadAsync() =>
        Areas = [.. (await OrgTreeApi.VisibleTreeAsync(db)).Where(a => db.Scope.Covers(a.Id) && (Area.IsCommunityLevel(a.Kind) || a.Kind == AreaKind.Compound || a.Kind == AreaKind.Subdistrict))];
}
