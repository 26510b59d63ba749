using EpiGrid.Data;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.OrgTree;

[Authorize(Policy = Rights.ManageSystem)]
public sealed class GateEditModel(AppDbContext db, EditOrgTree edit) : PageModel
{
    public sealed class Form
    {
        public string? Name { get; set; }
        public Guid? CompoundId { get; set; }
        public bool IsActive { get; set; } = true;
        public string? Note { get; set; }
    }

    [BindProperty] public Form Input { get; set; } = new();
    public Guid? Id { get; private set; }
    public List<OrgTreeApi.AreaItem> Compounds { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid? id, Guid? compoundId)
    {
        Id = id;
        if (id is { } i)
        {
            var g = await db.Gates.AsNoTracking().FirstOrDefaultAsync(x => x.Id == i);
            if (g is null) return NotFound();
            Input = new Form { Name = g.Name, CompoundId = g.CompoundId, IsActive = g.IsActive, Note = g.Note };
        }
        else Input.CompoundId = compoundId;
        Compounds = [.. (await OrgTreeApi.VisibleTreeAsync(db)).Where(a => a.Kind == AreaKind.Compound)];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id)
    {
        Id = id;
        var input = new EditOrgTree.GateInput(Input.Name, Input.CompoundId, Input.IsActive, Input.Note);
        try
        {
            if (id is { } i) { if (await edit.UpdateGateAsync(i, input) is null) return NotFound(); }
            else await edit.CreateGateAsync(input);
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e);
            Compounds = [.. (await OrgTreeApi.VisibleTreeAsync(db)).Where(a => a.Kind == AreaKind.Compound)];
            return Page();
        }
        TempData["Flash"] = "卡口已保存。";
        return RedirectToPage("/OrgTree/Gates");
    }
}
