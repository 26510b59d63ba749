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
public sealed class GridEditModel(AppDbContext db, EditOrgTree edit) : PageModel
{
    public sealed class Form
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public Guid? CommunityId { get; set; }
        public Guid? WorkerId { get; set; }
        public List<Guid> CompoundIds { get; set; } = [];
    }

    [BindProperty] public Form Input { get; set; } = new();
    public Guid? Id { get; private set; }
    public List<OrgTreeApi.AreaItem> Tree { get; private set; } = [];
    public List<(Guid Id, string Name)> Workers { get; private set; } = [];

    private async Task LoadChoicesAsync()
    {
        Tree = await OrgTreeApi.VisibleTreeAsync(db);
        var roleId = await db.Roles.Where(r => r.Name == Roles.GridWorker).Select(r => r.Id).FirstAsync();
        Workers = [.. (await db.Users.Where(u => !u.IsDisabled && db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == roleId))
            .OrderBy(u => u.UserName).Select(u => new { u.Id, u.DisplayName }).ToListAsync()).Select(u => (u.Id, u.DisplayName))];
    }

    public async Task<IActionResult> OnGetAsync(Guid? id)
    {
        Id = id;
        if (id is { } i)
        {
            var g = await db.Grids.AsNoTracking().FirstOrDefaultAsync(x => x.Id == i);
            if (g is null) return NotFound();
            Input = new Form
            {
                Code = g.Code, Name = g.Name, CommunityId = g.CommunityId, WorkerId = g.WorkerId,
                CompoundIds = await db.Areas.Where(a => a.GridId == i).Select(a => a.Id).ToListAsync(),
            };
        }
        await LoadChoicesAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id)
    {
        Id = id;
        if (id is { } i && !await db.Grids.AnyAsync(g => g.Id == i)) return NotFound();
        try
        {
            await edit.SaveGridAsync(id, new EditOrgTree.GridInput(Input.Code, Input.Name, Input.CommunityId, Input.WorkerId, [.. Input.CompoundIds]));
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e);
            await LoadChoicesAsync();
            return Page();
        }
        TempData["Flash"] = "网格已保存。";
        return RedirectToPage("/OrgTree/Grids");
    }
}
