using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Calendar;

/// <summary>The admin keeps the working-day calendar: holidays and make-up workdays (调休) the time limits count on.</summary>
[Authorize(Policy = Rights.ManageSystem)]
public sealed class IndexModel(AppDbContext db, EditCalendar edit, OfficeClock clock) : PageModel
{
    public sealed class Form
    {
        public DateOnly? Date { get; set; }
        public DayKind? Kind { get; set; } = DayKind.Holiday;
        public string? Name { get; set; }
    }

    [BindProperty(SupportsGet = true)] public int? Year { get; set; }
    [BindProperty] public Form Input { get; set; } = new();
    public List<CalendarDay> Days { get; private set; } = [];

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostSetAsync()
    {
        try
        {
            if (Input.Date is null) { var e = new Errors(); e.Add("date", "必填"); e.Throw(); }
            await edit.SetAsync(Input.Date!.Value, new EditCalendar.DayInput(Input.Kind, Input.Name));
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e);
            await LoadAsync();
            return Page();
        }
        TempData["Flash"] = "日历已保存。";
        return RedirectToPage(new { year = Input.Date!.Value.Year });
    }

    public async Task<IActionResult> OnPostClearAsync(DateOnly date)
    {
        await edit.ClearAsync(date);
        TempData["Flash"] = "已恢复为正常的周一至周五工作。";
        return RedirectToPage(new { year = date.Year });
    }

    private async Task LoadAsync()
    {
        Year = Year is >= 2000 and <= 2100 ? Year : clock.Today.Year;
        var from = new DateOnly(Year.Value, 1, 1);
        var to = new DateOnly(Year.Value, 12, 31);
        Days = await db.Set<CalendarDay>().AsNoTracking().Where(d => d.Date >= from && d.Date <= to).OrderBy(d => d.Date).ToListAsync();
    }
}
