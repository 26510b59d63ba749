using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Supplies;

/// <summary>
/// The supplies history on a person's page (People/Detail): their requests, newest first, and for those doing field
/// work the way to add one or give the household its link. A view component, so the person's page needs one line.
/// </summary>
public sealed class PersonSuppliesViewComponent(SupplyBoard board) : ViewComponent
{
    public sealed record Model(Guid PersonId, IReadOnlyList<SupplyBoard.SupplyItem> Requests, int Total, bool CanAct);

    public async Task<IViewComponentResult> InvokeAsync(Guid personId)
    {
        var q = board.Query(null, personId, null, null);
        var total = await q.CountAsync();
        var items = await board.ItemsAsync(await q.Take(20).ToListAsync());
        var canAct = Rights.Has(UserClaimsPrincipal, Rights.FieldWork);
        if (total == 0 && !canAct) return Content("");
        return View("~/Features/Supplies/_PersonSupplies.cshtml", new Model(personId, items, total, canAct));
    }
}
