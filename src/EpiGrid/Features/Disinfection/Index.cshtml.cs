using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EpiGrid.Features.Disinfection;

/// <summary>今日消杀: what is due today per community — done, pending, missed — with a one-tap "标记已完成" for a phone.</summary>
[Authorize(Policy = Rights.FieldWork)]
public sealed class IndexModel(DisinfectionBoard board, RecordDisinfection record, OfficeClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public DateOnly? Date { get; set; }
    public DateOnly Day { get; private set; }
    public bool IsToday { get; private set; }
    public List<DisinfectionBoard.CommunityItem> Communities { get; private set; } = [];

    public async Task OnGetAsync()
    {
        Day = Date ?? clock.Today;
        IsToday = Day == clock.Today;
        Communities = await board.ForDateAsync(Day);
    }

    public async Task<IActionResult> OnPostDoneAsync(Guid planId, int slot)
    {
        try
        {
            var outcome = await record.RecordAsync(new RecordDisinfection.RecordInput(planId, slot, null, null, null, null, null, null, null, null));
            TempData["Flash"] = outcome.Record is null ? outcome.Conflict : "已标记完成。";
        }
        catch (ValidationFailedException e)
        {
            TempData["Flash"] = string.Join("；", e.Errors.ToDictionary().SelectMany(kv => kv.Value));
        }
        return RedirectToPage();
    }
}
