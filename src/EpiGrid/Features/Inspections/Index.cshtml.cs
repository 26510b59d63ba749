using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Inspections;

/// <summary>The premises register: markets, pharmacies, food shops and restaurants, with their flags and open orders.</summary>
[Authorize(Policy = Rights.FieldWork)]
public sealed class IndexModel(AppDbContext db, OfficeClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public PremisesKind? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? AreaId { get; set; }
    [BindProperty(SupportsGet = true)] public bool Flagged { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNo { get; set; } = 1;
    public const int Size = 30;
    public List<InspectionsApi.PremisesItem> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public List<OrgTreeApi.AreaItem> Communities { get; private set; } = [];
    public int OpenOrders { get; private set; }
    public int OverdueOrders { get; private set; }

    public async Task OnGetAsync()
    {
        var today = clock.Today;
        Communities = [.. (await OrgTreeApi.VisibleTreeAsync(db)).Where(a => Area.IsCommunityLevel(a.Kind))];
        var q = InspectionsApi.PremisesList(db, today, null, Kind, AreaId, Q, Flagged ? true : null);
        Total = await q.CountAsync();
        PageNo = Math.Max(1, PageNo);
        Rows = await q.Skip((PageNo - 1) * Size).Take(Size).ToListAsync();
        OpenOrders = await db.Set<Rectification>().CountAsync(r => r.Status == RectificationStatus.Open);
        OverdueOrders = await db.Set<Rectification>().CountAsync(r => r.Status == RectificationStatus.Open && r.Deadline < today);
    }

    public string Query(int page) =>
        $"?q={Uri.EscapeDataString(Q ?? "")}&kind={Kind}&areaId={AreaId}&flagged={Flagged.ToString().ToLowerInvariant()}&p={page}";
}
