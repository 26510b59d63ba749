using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EpiGrid.Features.Supplies;

/// <summary>我的配送: a volunteer's phone page — the deliveries assigned to them, and one big button each.</summary>
[Authorize(Policy = Rights.CompleteDelivery)]
public sealed class MineModel(SupplyBoard board, DeliverSupplies deliver) : PageModel
{
    public List<SupplyBoard.MineItem> Items { get; private set; } = [];

    public async Task OnGetAsync() => Items = await board.MineAsync(User.UserId());

    public async Task<IActionResult> OnPostDoneAsync(Guid id)
    {
        try
        {
            if (await deliver.CompleteMineAsync(id, new(null)) is null) return NotFound();
            TempData["Flash"] = "已确认送达，谢谢！";
        }
        catch (InvalidStepException e)
        {
            TempData["Flash"] = e.Message;
        }
        return RedirectToPage();
    }
}
