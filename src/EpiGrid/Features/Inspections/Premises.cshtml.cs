using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Inspections;

/// <summary>A premises' record: key facts and flag up top, the open rectification order, the inspections below.</summary>
[Authorize(Policy = Rights.FieldWork)]
public sealed class PremisesModel(AppDbContext db, OfficeClock clock) : PageModel
{
    public InspectionsApi.PremisesItem Item { get; private set; } = null!;
    public InspectionsApi.RectificationItem? OpenOrder { get; private set; }
    public List<InspectionsApi.InspectionItem> Inspections { get; private set; } = [];
    public int DaysLeft { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var today = clock.Today;
        var item = await InspectionsApi.PremisesList(db, today, id).FirstOrDefaultAsync();
        if (item is null) return NotFound();
        Item = item;
        if (item.OpenRectificationId is { } oid)
        {
            OpenOrder = await InspectionsApi.Rectifications(db, today, clock, db.Set<Rectification>().Where(r => r.Id == oid)).FirstOrDefaultAsync();
            if (OpenOrder is not null) DaysLeft = OpenOrder.Deadline.DayNumber - today.DayNumber;
        }
        var list = await InspectionsApi.InspectionQuery(db, id, null, null, null, null).Take(100).ToListAsync();
        Inspections = await InspectionsApi.InspectionItemsAsync(db, clock, list);
        return Page();
    }
}
