using EpiGrid.Features.Observation;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EpiGrid.Features.Today;

[Authorize(Policy = Rights.ReadPeople)]
public sealed class IndexModel(TodayBoard board, ObservePerson observe) : PageModel
{
    public List<TodayBoard.Item> Items { get; private set; } = [];
    [BindProperty] public Guid? PersonId { get; set; }
    [BindProperty] public string? Temperature { get; set; }
    [BindProperty] public CheckMethod Method { get; set; } = CheckMethod.Phone;

    public async Task OnGetAsync() => Items = await board.LoadAsync(User);

    public async Task<IActionResult> OnPostCheckAsync()
    {
        if (!Rights.Has(User, Rights.EditPeople)) return Forbid();
        decimal? t = decimal.TryParse(Temperature, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;
        try
        {
            var check = PersonId is { } id ? await observe.CheckAsync(id, new(t, [], Method, null)) : null;
            if (check is null) return NotFound();
            TempData["Flash"] = check.Fever ? "已登记。体温异常，已发出发热预警并生成随访任务。" : "已登记体温。";
        }
        catch (ValidationFailedException e)
        {
            TempData["Flash"] = string.Join("；", e.Errors.ToDictionary().SelectMany(x => x.Value));
        }
        return RedirectToPage();
    }
}
