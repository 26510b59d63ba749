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
public sealed class EditModel(AppDbContext db, EditOrgTree edit) : PageModel
{
    public sealed class Form
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public AreaKind? Kind { get; set; }
        public string? Address { get; set; }
        public bool ClosedManagement { get; set; }
        public Guid? GridId { get; set; }
        public string? Note { get; set; }
    }

    [BindProperty] public Form Input { get; set; } = new();
    [BindProperty(SupportsGet = true)] public Guid? ParentId { get; set; }
    public Guid? Id { get; private set; }
    public Area? Parent { get; private set; }
    public AreaKind[] Kinds { get; private set; } = [];
    public List<Grid> Grids { get; private set; } = [];

    private async Task<bool> LoadAsync(Guid? id)
    {
        Id = id;
        if (id is { } i)
        {
            var a = await db.Areas.AsNoTracking().FirstOrDefaultAsync(x => x.Id == i);
            if (a is null) return false;
            ParentId = a.ParentId;
            if (Request.Method == "GET")
            {
                Input = new Form { Code = a.Code, Name = a.Name, Kind = a.Kind, Address = a.Address, ClosedManagement = a.ClosedManagement, GridId = a.GridId, Note = a.Note };
            }
            Kinds = [a.Kind];
        }
        if (ParentId is { } p)
        {
            Parent = await db.Areas.AsNoTracking().FirstOrDefaultAsync(x => x.Id == p);
            if (Parent is null) return false;
        }
        if (id is null) Kinds = Area.ChildKinds(Parent?.Kind);
        // A compound's grid is one of its community's.
        Grids = Parent is null ? [] : await db.Grids.AsNoTracking().Where(g => g.CommunityId == Parent.Id).OrderBy(g => g.Code).ToListAsync();
        return true;
    }

    public async Task<IActionResult> OnGetAsync(Guid? id) => await LoadAsync(id) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid? id)
    {
        if (!await LoadAsync(id)) return NotFound();
        var input = new EditOrgTree.AreaInput(Input.Code, Input.Name, Input.Kind, ParentId, Input.Address, Input.ClosedManagement, Input.GridId, Input.Note);
        try
        {
            if (id is { } i) await edit.UpdateAreaAsync(i, input with { Kind = null, ParentId = null });
            else await edit.CreateAreaAsync(input);
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e);
            return Page();
        }
        TempData["Flash"] = "已保存。";
        return RedirectToPage("/OrgTree/Index");
    }
}
