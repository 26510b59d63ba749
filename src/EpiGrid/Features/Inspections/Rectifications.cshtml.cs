using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Inspections;

/// <summary>Rectification orders: open ones first, overdue in red — what the supervisors follow up.</summary>
[Authorize(Policy = Rights.FieldWork)]
public sealed class RectificationsModel(AppDbContext db, OfficeClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public RectificationStatus? Status { get; set; } = RectificationStatus.Open;
    [BindProperty(SupportsGet = true)] public bool All { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNo { get; set; } = 1;
    public const int Size = 50;
    public List<InspectionsApi.RectificationItem> Rows { get; private set; } = [];
    public int Total { get; private set; }

    public async Task OnGetAsync()
    {
        var q = db.Set<Rectification>().AsQueryable();
        if (!All && Status is { } s) q = q.Where(r => r.Status == s);
        var items = InspectionsApi.Rectifications(db, clock.Today, clock, q);
        Total = await items.CountAsync();
        PageNo = Math.Max(1, PageNo);
        Rows = await items.Skip((PageNo - 1) * Size).Take(Size).ToListAsync();
    }
}
