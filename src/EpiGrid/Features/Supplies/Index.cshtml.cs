using EpiGrid.Data;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Supplies;

/// <summary>生活物品配送: the requests of the caller's scope, open ones first, overdue in red.</summary>
[Authorize(Policy = Rights.FieldWork)]
public sealed class IndexModel(AppDbContext db, SupplyBoard board) : PageModel
{
    [BindProperty(SupportsGet = true)] public SupplyStatus? Status { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? AreaId { get; set; }
    [BindProperty(SupportsGet = true)] public bool Overdue { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? PersonId { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNo { get; set; } = 1;
    public const int Size = 50;
    public List<SupplyBoard.SupplyItem> Rows { get; private set; } = [];
    public List<OrgTree.OrgTreeApi.AreaItem> Communities { get; private set; } = [];
    public int Total { get; private set; }
    public int OverdueHours => board.OverdueHours;

    public async Task OnGetAsync()
    {
        Communities = [.. (await OrgTree.OrgTreeApi.VisibleTreeAsync(db)).Where(a => OrgTree.Area.IsCommunityLevel(a.Kind) && db.Scope.Covers(a.Id))];
        var q = board.Query(Status, PersonId, AreaId, Overdue ? true : null);
        Total = await q.CountAsync();
        PageNo = Math.Max(1, PageNo);
        Rows = await board.ItemsAsync(await q.Skip((PageNo - 1) * Size).Take(Size).ToListAsync());
    }

    public string PageUrl(int page) =>
        $"?status={Status}&areaId={AreaId}&personId={PersonId}&overdue={Overdue.ToString().ToLowerInvariant()}&p={page}";
}
