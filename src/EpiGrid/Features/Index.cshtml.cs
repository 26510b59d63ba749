using EpiGrid.Data;
using EpiGrid.Features.Alerts;
using EpiGrid.Features.Command;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features;

/// <summary>The home page of each role: its part of the tree, and for leaders the coverage gaps and open alerts.</summary>
public sealed class IndexModel(AppDbContext db, Matrix matrix, EpiGrid.Features.Households.Coverage coverage, EpiGrid.Features.Today.TodayBoard today) : PageModel
{
    public List<OrgTreeApi.AreaItem> ScopeNodes { get; private set; } = [];
    public int Communities { get; private set; }
    public int Compounds { get; private set; }
    public int Gates { get; private set; }
    public int ClosedCompounds { get; private set; }
    public List<Matrix.CompoundRow> Gaps { get; private set; } = [];
    /// <summary>Open tasks waiting in a community's queue: their compound has no grid worker.</summary>
    public int Unassigned { get; private set; }
    public List<OrgTreeApi.GateItem> MyGates { get; private set; } = [];
    public List<(string Grid, string? Community, List<string> Compounds)> MyGrids { get; private set; } = [];
    public List<Alert> OpenAlerts { get; private set; } = [];
    public List<EpiGrid.Features.Households.Coverage.Row> CoverageRows { get; private set; } = [];
    public List<EpiGrid.Features.Today.TodayBoard.Item>? Day { get; private set; }
    public bool SeesTree { get; private set; }
    public bool SeesGaps { get; private set; }

    public async Task OnGetAsync()
    {
        var userId = User.UserId();
        SeesTree = Rights.Has(User, Rights.ReadOrgTree);
        SeesGaps = User.IsInRole(Roles.Leader) || User.IsInRole(Roles.Supervisor) || User.IsInRole(Roles.Admin);
        if (!SeesTree) return;

        var scopeIds = await db.UserScopes.Where(s => s.UserId == userId).Select(s => s.AreaId).ToListAsync();
        ScopeNodes = await db.Areas.AsNoTracking().Where(a => scopeIds.Contains(a.Id))
            .Select(a => new OrgTreeApi.AreaItem(a.Id, a.Code, a.Name, a.Kind, a.ParentId, a.ClosedManagement, a.GridId, a.Address)).ToListAsync();
        var counts = await db.Areas.AsNoTracking().GroupBy(a => a.Kind).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        Communities = counts.Where(c => Area.IsCommunityLevel(c.Key)).Sum(c => c.Count);
        Compounds = counts.Where(c => c.Key == AreaKind.Compound).Sum(c => c.Count);
        ClosedCompounds = await db.Areas.CountAsync(a => a.Kind == AreaKind.Compound && a.ClosedManagement);
        Gates = await db.Gates.CountAsync();

        if (SeesGaps)
        {
            Gaps = [.. (await matrix.CompoundsAsync()).Where(r => r.IsGap)];
            Unassigned = await db.Set<EpiGrid.Features.Tasks.WorkTask>().CountAsync(t => t.Status == EpiGrid.Features.Tasks.WorkTaskStatus.Open && t.AssigneeId == null);
        }
        if (User.IsInRole(Roles.GateKeeper)) MyGates = await OrgTreeApi.Gates(db).ToListAsync();
        if (User.IsInRole(Roles.GridWorker)) Day = await today.LoadAsync(User);
        if (User.IsInRole(Roles.GridWorker))
        {
            var grids = await db.Grids.AsNoTracking().Where(g => g.WorkerId == userId).ToListAsync();
            foreach (var g in grids)
            {
                var community = await db.Areas.IgnoreQueryFilters().Where(a => a.Id == g.CommunityId).Select(a => a.Name).FirstOrDefaultAsync();
                var compounds = await db.Areas.Where(a => a.GridId == g.Id).OrderBy(a => a.Code).Select(a => a.Name).ToListAsync();
                MyGrids.Add((g.Name, community, compounds));
            }
        }
        if (Rights.Has(User, Rights.ReadPeople))
        {
            CoverageRows = await coverage.ByCompoundAsync(7);
            OpenAlerts = await db.Set<Alert>().AsNoTracking().Where(a => a.Status == AlertStatus.Open).OrderByDescending(a => a.CreatedAt).Take(10).ToListAsync();
        }
    }
}
