using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Publicity;

/// <summary>A publicity vehicle: its route and hours, and each day's runs (登记巡回).</summary>
[Authorize(Policy = Rights.Publicity)]
public sealed class VehicleEditModel(AppDbContext db, OfficeClock clock, EditPublicity edit, PublicityBoard board) : PageModel
{
    public sealed class Form
    {
        public string? Name { get; set; }
        public string? Plate { get; set; }
        public string? Route { get; set; }
        public string? DailyFrom { get; set; } = "08:00";
        public string? DailyTo { get; set; } = "21:00";
        public Guid? AreaId { get; set; }
        public bool IsActive { get; set; } = true;
    }

    public sealed class RunForm
    {
        public DateOnly? Date { get; set; }
        public TimeOnly? From { get; set; }
        public TimeOnly? To { get; set; }
        public string? Route { get; set; }
        public string? Content { get; set; }
    }

    [BindProperty] public Form Input { get; set; } = new();
    [BindProperty] public RunForm Run { get; set; } = new();
    public Guid? Id { get; private set; }
    public List<OrgTreeApi.AreaItem> Areas { get; private set; } = [];
    public List<PublicityBoard.RunItem> Runs { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid? id)
    {
        Id = id;
        if (id is { } i)
        {
            var v = await db.Set<PublicityVehicle>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == i);
            if (v is null) return NotFound();
            Input = new Form
            {
                Name = v.Name, Plate = v.Plate, Route = v.Route, DailyFrom = v.DailyFrom.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                DailyTo = v.DailyTo.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), AreaId = v.AreaId, IsActive = v.IsActive,
            };
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id)
    {
        Id = id;
        var input = new EditPublicity.VehicleInput(Input.Name, Input.Plate, EditPublicity.Split(Input.Route), Input.DailyFrom, Input.DailyTo, Input.AreaId, Input.IsActive);
        try
        {
            if (id is { } i) { if (await edit.UpdateVehicleAsync(i, input) is null) return NotFound(); }
            else id = (await edit.CreateVehicleAsync(input)).Id;
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e);
            await LoadAsync();
            return Page();
        }
        TempData["Flash"] = "宣传车已保存。";
        return RedirectToPage("/Publicity/VehicleEdit", new { id });
    }

    private DateTimeOffset? At(DateOnly? date, TimeOnly? time)
    {
        if (date is not { } d || time is not { } t) return null;
        var local = d.ToDateTime(t);
        return new DateTimeOffset(local, clock.Zone.GetUtcOffset(local));
    }

    public async Task<IActionResult> OnPostRunAsync(Guid id)
    {
        Id = id;
        var date = Run.Date ?? clock.Today;
        try
        {
            await edit.RecordRunAsync(new EditPublicity.RunInput(id, At(date, Run.From), At(date, Run.To), EditPublicity.Split(Run.Route), Run.Content, null));
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e, prefix: "Run.");
            if (ModelState.ContainsKey("Run.VehicleId")) return NotFound();
            // The times are asked for as "from"/"to" on the form.
            foreach (var (from, to) in new[] { ("Run.StartedAt", "Run.From"), ("Run.EndedAt", "Run.To") })
            {
                if (ModelState.TryGetValue(from, out var entry)) foreach (var err in entry.Errors) ModelState.AddModelError(to, err.ErrorMessage);
            }
            if (!await db.Set<PublicityVehicle>().AnyAsync(v => v.Id == id)) return NotFound();
            var v = await db.Set<PublicityVehicle>().AsNoTracking().FirstAsync(x => x.Id == id);
            Input = new Form { Name = v.Name, Plate = v.Plate, Route = v.Route, AreaId = v.AreaId, IsActive = v.IsActive,
                DailyFrom = v.DailyFrom.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), DailyTo = v.DailyTo.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) };
            await LoadAsync();
            return Page();
        }
        TempData["Flash"] = "已登记巡回。";
        return RedirectToPage("/Publicity/VehicleEdit", new { id });
    }

    private async Task LoadAsync()
    {
        Areas = [.. (await OrgTreeApi.VisibleTreeAsync(db)).Where(a => db.Scope.Covers(a.Id) && (a.Kind == AreaKind.Subdistrict || Area.IsCommunityLevel(a.Kind)))];
        Run.Date ??= clock.Today;
        if (Id is { } id) Runs = await board.RunItemsAsync(await board.RunQuery(id, null, null).Take(30).ToListAsync());
    }
}
