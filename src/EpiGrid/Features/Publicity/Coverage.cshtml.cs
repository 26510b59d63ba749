using EpiGrid.Data;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EpiGrid.Features.Publicity;

/// <summary>覆盖情况: compounds × materials — which compound has had which material, and which still lacks one.</summary>
[Authorize(Policy = Rights.Publicity)]
public sealed class CoverageModel(AppDbContext db, PublicityBoard board) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? CommunityId { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? MaterialId { get; set; }
    [BindProperty(SupportsGet = true)] public bool MissingOnly { get; set; }
    public PublicityBoard.CoverageResult Result { get; private set; } = null!;
    public List<PublicityBoard.MaterialItem> AllMaterials { get; private set; } = [];
    public List<OrgTree.OrgTreeApi.AreaItem> Communities { get; private set; } = [];

    public async Task OnGetAsync()
    {
        Communities = [.. (await OrgTree.OrgTreeApi.VisibleTreeAsync(db)).Where(a => OrgTree.Area.IsCommunityLevel(a.Kind) && db.Scope.Covers(a.Id))];
        AllMaterials = await board.MaterialsAsync(true);
        Result = await board.CoverageAsync(CommunityId, MaterialId, MissingOnly);
    }
}
