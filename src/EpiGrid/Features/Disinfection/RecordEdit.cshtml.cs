using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EpiGrid.Features.Disinfection;

/// <summary>A disinfection outside the plans — typically a household after a complaint, recorded with its ticket number.</summary>
[Authorize(Policy = Rights.FieldWork)]
public sealed class RecordEditModel(AppDbContext db, RecordDisinfection record, OfficeClock clock) : PageModel
{
    public sealed class Form
    {
        public Guid? AreaId { get; set; }
        public string? Place { get; set; }
        public string? Agent { get; set; } = "含氯消毒液（84消毒液 1:100）";
        public string? DoneBy { get; set; }
        public DateTime? DoneAt { get; set; }
        public string? ComplaintNumber { get; set; }
        public string? Note { get; set; }
    }

    [BindProperty] public Form Input { get; set; } = new();
    public List<OrgTreeApi.AreaItem> Areas { get; private set; } = [];

    public async Task OnGetAsync(string? complaintNumber)
    {
        Input.ComplaintNumber = complaintNumber;
        Input.DoneAt = clock.ToLocal(clock.UtcNow);
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // The form's time is office-local.
        DateTimeOffset? doneAt = Input.DoneAt is { } local
            ? new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), clock.Zone.GetUtcOffset(local)) : null;
        try
        {
            var outcome = await record.RecordAsync(new RecordDisinfection.RecordInput(null, null, Input.AreaId, Input.Place, Input.Agent, Input.DoneBy,
                doneAt, null, Input.ComplaintNumber, Input.Note));
            if (outcome.Record is null) { ModelState.AddModelError("", outcome.Conflict ?? ""); await LoadAsync(); return Page(); }
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e);
            await LoadAsync();
            return Page();
        }
        TempData["Flash"] = "消杀已登记。";
        return RedirectToPage("/Disinfection/Records");
    }

    private async Task LoadAsync() =>
        Areas = [.. (await OrgTreeApi.VisibleTreeAsync(db)).Where(a => Area.IsCommunityLevel(a.Kind) || a.Kind is AreaKind.Compound or AreaKind.Building)];
}
