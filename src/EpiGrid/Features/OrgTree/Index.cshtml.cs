using EpiGrid.Data;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.OrgTree;

[Authorize(Policy = Rights.ReadOrgTree)]
public sealed class IndexModel(AppDbContext db) : PageModel
{
    public List<OrgTreeApi.AreaItem> Tree { get; private set; } = [];
    public ILookup<Guid?, OrgTreeApi.AreaItem> Children { get; private set; } = Enumerable.Empty<OrgTreeApi.AreaItem>().ToLookup(a => a.ParentId);
    public Dictionary<Guid, int> GateCounts { get; private set; } = [];
    public Dictionary<Guid, string> GridNames { get; private set; } = [];
    public HashSet<Guid> InScope { get; private set; } = [];
    public bool CanEdit { get; private set; }

    public async Task OnGetAsync()
    {
        CanEdit = Rights.Has(User, Rights.ManageSystem);
        Tree = await OrgTreeApi.VisibleTreeAsync(db);
        InScope = [.. await db.Areas.Select(a => a.Id).ToListAsync()];
        var ids = Tree.Select(t => t.Id).ToHashSet();
        Children = Tree.ToLookup(a => a.ParentId is { } p && ids.Contains(p) ? a.ParentId : null);
        GateCounts = await db.Gates.GroupBy(g => g.CompoundId).Select(g => new { g.Key, C = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.C);
        GridNames = await db.Grids.ToDictionaryAsync(g => g.Id, g => g.Name);
    }
}
