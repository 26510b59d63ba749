using EpiGrid.Data;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Disinfection;

[Authorize(Policy = Rights.FieldWork)]
public sealed class PlansModel(AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? AreaId { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNo { get; set; } = 1;
    public const int Size = 50;
    public List<DisinfectionApi.PlanItem> Rows { get; private set; } = [];
    public List<OrgTree.OrgTreeApi.AreaItem> Communities { get; private set; } = [];
    public int Total { get; private set; }

    public async Task OnGetAsync()
    {
        Communities = [.. (await OrgTree.OrgTreeApi.VisibleTreeAsync(db)).Where(a => OrgTree.Area.IsCommunityLevel(a.Kind))];
        var q = DisinfectionApi.PlanQuery(db, AreaId, null);
        Total = await q.CountAsync();
        PageNo = Math.Max(1, PageNo);
        var ids = await q.Skip((PageNo - 1) * Size).Take(Size).Select(p => p.Id).ToListAsync();
        Rows = [.. (await DisinfectionApi.PlanItemsAsync(db, db.Set<DisinfectionPlan>().Where(p => ids.Contains(p.Id)))).OrderBy(p => ids.IndexOf(p.Id))];
    }
}
