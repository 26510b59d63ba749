using EpiGrid.Data;
using EpiGrid.Features.People;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EpiGrid.Features.Households;

[Authorize(Policy = Rights.ReadPeople)]
public sealed class DetailModel(AppDbContext db, OfficeClock clock, KeepRegister keep) : PageModel
{
    public HouseholdsApi.HouseholdDetail Detail { get; private set; } = null!;
    public bool CanEdit { get; private set; }
    [BindProperty] public ScreeningOutcome? Outcome { get; set; }
    [BindProperty] public int? Occupants { get; set; }
    [BindProperty] public string? VisitNote { get; set; }
    [BindProperty] public KeepRegister.ResidentInput? Resident { get; set; }
    /// <summary>The resident a move-out form names, and the day (today when empty).</summary>
    [BindProperty] public Guid? ResidentId { get; set; }
    [BindProperty] public DateOnly? MoveOutDate { get; set; }
    [BindProperty] public DateOnly? DeregisterDate { get; set; }

    private async Task<bool> LoadAsync(Guid id)
    {
        CanEdit = Rights.Has(User, Rights.EditPeople);
        var d = await HouseholdsApi.DetailAsync(db, clock, id);
        if (d is null) return false;
        Detail = d;
        Occupants ??= d.Household.Residents;
        return true;
    }

    public async Task<IActionResult> OnGetAsync(Guid id) => await LoadAsync(id) ? Page() : NotFound();

    public async Task<IActionResult> OnPostVisitAsync(Guid id)
    {
        if (!Rights.Has(User, Rights.EditPeople)) return Forbid();
        try
        {
            if (await keep.RecordVisitAsync(id, new(Outcome, Occupants, null, VisitNote)) is null) return NotFound();
            TempData["Flash"] = "已记录排查结果。";
            return RedirectToPage(new { id });
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e, prefix: "");
            return await LoadAsync(id) ? Page() : NotFound();
        }
    }

    public async Task<IActionResult> OnPostResidentAsync(Guid id)
    {
        if (!Rights.Has(User, Rights.EditPeople)) return Forbid();
        try
        {
            if (await keep.AddResidentAsync(id, Resident ?? new(null, null, null, null, null, null)) is null) return NotFound();
            TempData["Flash"] = "已添加居民。";
            return RedirectToPage(new { id });
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e, "Resident.");
            return await LoadAsync(id) ? Page() : NotFound();
        }
    }

    /// <summary>Runs one of the register's steps; a 400 marks <paramref name="field"/>, a 409 is shown above the page.</summary>
    private async Task<IActionResult> StepAsync(Guid id, Func<Task<bool>> step, string done, string field)
    {
        if (!Rights.Has(User, Rights.EditPeople)) return Forbid();
        try
        {
            if (!await step()) return NotFound();
            TempData["Flash"] = done;
            return RedirectToPage(new { id });
        }
        catch (ValidationFailedException e)
        {
            foreach (var (_, messages) in e.Errors.ToDictionary())
            {
                foreach (var m in messages) ModelState.AddModelError(field, m);
            }
        }
        catch (InvalidStepException e)
        {
            ModelState.AddModelError("", e.Message);
        }
        return await LoadAsync(id) ? Page() : NotFound();
    }

    public Task<IActionResult> OnPostMoveOutAsync(Guid id) => StepAsync(id,
        async () => ResidentId is { } r && await keep.MoveOutAsync(id, r, new(MoveOutDate)) is not null, "已办理迁出。", nameof(MoveOutDate));

    public Task<IActionResult> OnPostUndoMoveOutAsync(Guid id) => StepAsync(id,
        async () => ResidentId is { } r && await keep.UndoMoveOutAsync(id, r) is not null, "已撤销迁出。", "");

    public Task<IActionResult> OnPostDeregisterAsync(Guid id) => StepAsync(id,
        async () => await keep.DeregisterAsync(id, new(DeregisterDate)) is not null, "已注销该户。", nameof(DeregisterDate));

    public Task<IActionResult> OnPostUndoDeregisterAsync(Guid id) => StepAsync(id,
        async () => await keep.UndoDeregisterAsync(id) is not null, "已撤销注销。", "");
}
