using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EpiGrid.Features.Gates;

/// <summary>The gates' records for those who read people: counts per gate and compound for a day, a gate's passes, export.</summary>
[Authorize(Policy = Rights.ReadPeople)]
public sealed class RecordsModel(GateRecords records, OfficeClock clock) : PageModel
{
    public const int PageSize = 50;
    public List<GateRecords.GateInfo> Gates { get; private set; } = [];
    public GateRecords.Counts? Counts { get; private set; }
    public GateRecords.GateInfo? Gate { get; private set; }
    public List<GateRecords.PassItem> Passes { get; private set; } = [];
    public int Total { get; private set; }
    [BindProperty(SupportsGet = true)] public Guid? GateId { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? Date { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    public DateOnly Day => Date ?? clock.Today;

    public async Task<IActionResult> OnGetAsync()
    {
        Gates = await records.GatesAsync();
        Counts = await records.CountsAsync(Day, Day, null);
        if (GateId is { } id)
        {
            Gate = await records.GateAsync(id);
            if (Gate is null) return NotFound();
            PageNumber = Math.Max(PageNumber, 1);
            var (rows, total) = await records.PassesAsync(id, Day, (PageNumber - 1) * PageSize, PageSize);
            Passes = [.. rows.Select(r => r.Pass)];
            Total = total;
        }
        return Page();
    }
}
