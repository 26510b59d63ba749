using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Inspections;

[Authorize(Policy = Rights.FieldWork)]
public sealed class PremisesEditModel(AppDbContext db, EditPremises edit) : PageModel
{
    public sealed class Form
    {
        public PremisesKind? Kind { get; set; }
        public string? Name { get; set; }
        public string? Address { get; set; }
        public string? Licence { get; set; }
        public Guid? CompoundId { get; set; }
        public bool IsActive { get; set; } = true;
    }

    [BindProperty] public Form Input { get; set; } = new();
    public Guid? Id { get; private set; }
    public List<OrgTreeApi.AreaItem> Compounds { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid? id)
    {
        Id = id;
        if (id is { } i)
        {
            var p = await db.Set<Premises>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == i);
            if (p is null) return NotFound();
            Input = new Form { Kind = p.Kind, Name = p.Name, Address = p.Address, Licence = p.Licence, CompoundId = p.CompoundId, IsActive = p.IsActive };
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id)
    {
        Id = id;
        var input = new EditPremises.PremisesInput(Input.Kind, Input.Name, Input.Address, Input.Licence, Input.CompoundId, Input.IsActive);
        Guid savedId;
        try
        {
            if (id is { } i)
            {
                if (await edit.UpdateAsync(i, input) is null) return NotFound();
                savedId = i;
            }
            else savedId = (await edit.CreateAsync(input)).Id;
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e);
            await LoadAsync();
            return Page();
        }
        TempData["Flash"] = "场所已保存。";
        return Redirect($"/Inspections/Premises/{savedId}");
    }

    private async Task LoadAsync() =>
        Compounds = [.. (await OrgTreeApi.VisibleTreeAsync(db)).Where(a => a.Kind == AreaKind.Compound)];
}
