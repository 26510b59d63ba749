using EpiGrid.Data;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.OrgTree;

[Authorize(Policy = Rights.ReadOrgTree)]
public sealed class GridsModel(AppDbContext db) : PageModel
{
    public sealed record Row(Guid Id, string Code, string Name, string Community, string? Worker, List<string> Compounds);

    public List<Row> Rows { get; private set; } = [];
    /// <summary>Compounds in no grid: nobody's daily round covers them.</summary>
    public List<string> Unassigned { get; private set; } = [];
    public bool CanEdit { get; private set; }

    public async Task OnGetAsync()
    {
        CanEdit = Rights.Has(User, Rights.ManageSystem);
        var grids = await db.Grids.AsNoTracking().OrderBy(g => g.Code)
            .Select(g => new
            {
                g.Id, g.Code, g.Name,
                Community = db.Areas.Where(a => a.Id == g.CommunityId).Select(a => a.Name).FirstOrDefault(),
                Worker = db.Users.Where(u => u.Id == g.WorkerId).Select(u => u.DisplayName).FirstOrDefault(),
            }).ToListAsync();
        var compounds = await db.Areas.AsNoTracking().Where(a => a.Kind == AreaKind.Compound).OrderBy(a => a.Code).Select(a => new { a.Name, a.GridId }).ToListAsync();
        var byGrid = compounds.Where(c => c.GridId != null).ToLookup(c => c.GridId!.Value, c => c.Name);
        Rows = [.. grids.Select(g => new Row(g.Id, g.Code, g.Name, g.Community ?? "", g.Worker, [.. byGrid[g.Id]]))];
        Unassigned = [.. compounds.Where(c => c.GridId == null).Select(c => c.Name)];
    }
}
