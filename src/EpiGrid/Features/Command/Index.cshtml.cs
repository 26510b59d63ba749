using EpiGrid.Data;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Command;

[Authorize(Policy = Rights.ReadOrgTree)]
public sealed class IndexModel(AppDbContext db, Matrix matrix) : PageModel
{
    public sealed record GroupView(WorkGroup Group, string? Leader, List<WorkGroupMember> Members);

    public List<GroupView> Groups { get; private set; } = [];
    public List<Matrix.CompoundRow> Rows { get; private set; } = [];
    public List<Matrix.CadreRow> Cadres { get; private set; } = [];
    public List<(Guid Id, string Name)> Candidates { get; private set; } = [];
    public bool CanEdit { get; private set; }
    [BindProperty] public Guid? CompoundId { get; set; }
    [BindProperty] public Guid? UserId { get; set; }
    [BindProperty] public ResponsibilityRole Role { get; set; } = ResponsibilityRole.Cadre;

    public async Task OnGetAsync()
    {
        CanEdit = Rights.Has(User, Rights.ManageSystem);
        var groups = await db.Set<WorkGroup>().AsNoTracking().OrderBy(g => g.Sort).ToListAsync();
        var members = (await db.Set<WorkGroupMember>().AsNoTracking().ToListAsync()).ToLookup(m => m.GroupId);
        var names = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.DisplayName);
        Groups = [.. groups.Select(g => new GroupView(g, g.LeaderId is { } l ? names.GetValueOrDefault(l) : null, [.. members[g.Id]]))];
        Rows = await matrix.CompoundsAsync();
        Cadres = await matrix.CadresAsync();
        if (CanEdit)
        {
            Candidates = [.. (await db.Users.AsNoTracking().Where(u => !u.IsDisabled).OrderBy(u => u.UserName).Select(u => new { u.Id, u.DisplayName }).ToListAsync())
                .Select(u => (u.Id, u.DisplayName))];
        }
    }

    public async Task<IActionResult> OnPostAssignAsync()
    {
        if (!Rights.Has(User, Rights.ManageSystem)) return Forbid();
        if (CompoundId is null || UserId is null || !await db.Areas.AnyAsync(a => a.Id == CompoundId) || !await db.Users.AnyAsync(u => u.Id == UserId))
        {
            TempData["Flash"] = "请选择小区和人员。";
            return RedirectToPage(null, null, "matrix");
        }
        if (!await db.Set<Responsibility>().AnyAsync(r => r.CompoundId == CompoundId && r.UserId == UserId))
        {
            db.Add(new Responsibility { CompoundId = CompoundId.Value, UserId = UserId.Value, Role = Role });
            await db.SaveChangesAsync();
        }
        TempData["Flash"] = "已安排包抓。";
        return RedirectToPage(null, null, "matrix");
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid compoundId, Guid userId)
    {
        if (!Rights.Has(User, Rights.ManageSystem)) return Forbid();
        var line = await db.Set<Responsibility>().FirstOrDefaultAsync(r => r.CompoundId == compoundId && r.UserId == userId);
        if (line is null) return NotFound();
        db.Remove(line);
        await db.SaveChangesAsync();
        TempData["Flash"] = "已取消该包抓安排。";
        return RedirectToPage(null, null, "matrix");
    }
}
