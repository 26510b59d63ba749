using EpiGrid.Data;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.OrgTree;

[Authorize(Policy = Rights.ReadOrgTree)]
public sealed class GatesModel(AppDbContext db) : PageModel
{
    public sealed record Row(OrgTreeApi.GateItem Gate, string Compound, string Community, string Keepers);

    [BindProperty(SupportsGet = true)] public Guid? CommunityId { get; set; }
    public List<Row> Rows { get; private set; } = [];
    public List<OrgTreeApi.AreaItem> Communities { get; private set; } = [];
    public bool CanEdit { get; private set; }

    public async Task OnGetAsync()
    {
        CanEdit = Rights.Has(User, Rights.ManageSystem);
        var tree = await OrgTreeApi.VisibleTreeAsync(db);
        Communities = [.. tree.Where(a => Area.IsCommunityLevel(a.Kind))];
        var byId = tree.ToDictionary(a => a.Id);
        var gates = await OrgTreeApi.Gates(db).ToListAsync();
        var keepers = await db.UserGates.Join(db.Users, ug => ug.UserId, u => u.Id, (ug, u) => new { ug.GateId, u.DisplayName }).ToListAsync();
        var keepersOf = keepers.ToLookup(k => k.GateId, k => k.DisplayName);
        foreach (var g in gates)
        {
            var compound = byId.GetValueOrDefault(g.CompoundId);
            var community = compound?.ParentId is { } p ? byId.GetValueOrDefault(p) : null;
            if (CommunityId is { } c && community?.Id != c) continue;
            Rows.Add(new Row(g, compound?.Name ?? "", community?.Name ?? "", string.Join("、", keepersOf[g.Id])));
        }
    }
}
