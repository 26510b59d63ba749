using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EpiGrid.Features.Complaints;

/// <summary>The hotline desk takes a call (or a visit, a platform ticket): 受理.</summary>
[Authorize(Policy = Rights.HandleComplaints)]
public sealed class NewModel(AppDbContext db, FileComplaint file, FindDuplicates duplicates, OfficeClock clock) : PageModel
{
    public sealed class Form
    {
        public ComplaintChannel? Channel { get; set; } = ComplaintChannel.Phone;
        public ComplaintCategory? Category { get; set; }
        public ComplaintUrgency? Urgency { get; set; } = ComplaintUrgency.Normal;
        public string? ComplainantName { get; set; }
        public string? ComplainantPhone { get; set; }
        public Guid? AreaId { get; set; }
        public string? Address { get; set; }
        public string? Concerning { get; set; }
        public string? Content { get; set; }
        public string? UpstreamNumber { get; set; }
        public DateTime? UpstreamDueAt { get; set; }
    }

    [BindProperty] public Form Input { get; set; } = new();
    public List<OrgTreeApi.AreaItem> Places { get; private set; } = [];

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        // The platform's deadline is typed in office time.
        DateTimeOffset? due = Input.UpstreamDueAt is { } d
            ? new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Unspecified), clock.Zone.GetUtcOffset(d)) : null;
        try
        {
            var c = await file.FileAsync(new FileComplaint.Input(Input.Channel, Input.Category, Input.Urgency, Input.Content,
                Input.ComplainantName, Input.ComplainantPhone, Input.AreaId, Input.Address, Input.Concerning, Input.UpstreamNumber, due), User);
            // A probable repeat is offered for merging on the ticket's page.
            TempData["Flash"] = (await duplicates.ForAsync(c, User)).Count > 0
                ? $"工单 {c.Number} 已受理。发现可能重复的工单，请核对是否合并。"
                : $"工单 {c.Number} 已受理，请报告领导并派单。";
            return RedirectToPage("/Complaints/Detail", new { id = c.Id });
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e);
            await LoadAsync();
            return Page();
        }
    }

    private async Task LoadAsync() =>
        Places = [.. (await OrgTreeApi.VisibleTreeAsync(db)).Where(a => db.Scope.Covers(a.Id) && a.Kind is AreaKind.Community or AreaKind.Village or AreaKind.Compound or AreaKind.Subdistrict)];
}
