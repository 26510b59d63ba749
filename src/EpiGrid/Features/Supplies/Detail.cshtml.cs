using EpiGrid.Data;
using EpiGrid.Features.Duty;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Supplies;

/// <summary>One request: assign it, record the delivery, cancel it; the household's own link.</summary>
[Authorize(Policy = Rights.FieldWork)]
public sealed class DetailModel(AppDbContext db, OfficeClock clock, SupplyBoard board, DeliverSupplies deliver, RequestSupplies request) : PageModel
{
    public SupplyBoard.SupplyItem Supply { get; private set; } = null!;
    public List<DeliverSupplies.Volunteer> Volunteers { get; private set; } = [];
    public List<(Guid Id, string Name, DutyMemberKind Kind)> Members { get; private set; } = [];
    /// <summary>The person's link that still works (its state; the address is shown only when it is made).</summary>
    public RequestSupplies.LinkState? Link { get; private set; }

    [BindProperty] public Guid? VolunteerId { get; set; }
    [BindProperty] public Guid? MemberId { get; set; }
    [BindProperty] public DateTime? DeliveredAt { get; set; }
    [BindProperty] public string? DeliveredBy { get; set; }
    [BindProperty] public bool Contactless { get; set; } = true;
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public string? Reason { get; set; }

    private async Task<bool> LoadAsync(Guid id)
    {
        if (await board.OneAsync(id) is not { } r) return false;
        Supply = r;
        if (r.Status is SupplyStatus.Open or SupplyStatus.Assigned)
        {
            Volunteers = await deliver.VolunteersAsync(r.CompoundId);
            Members = [.. (await db.Set<DutyMember>().AsNoTracking().Where(m => m.IsActive).OrderBy(m => m.Kind).ThenBy(m => m.Name).Take(300)
                .Select(m => new { m.Id, m.Name, m.Kind }).ToListAsync()).Select(m => (m.Id, m.Name, m.Kind))];
        }
        Link = (await request.LinksAsync(r.PersonId))?.Items.FirstOrDefault(l => l.State == SupplyLinkState.Active);
        return true;
    }

    public async Task<IActionResult> OnGetAsync(Guid id) => await LoadAsync(id) ? Page() : NotFound();

    private async Task<IActionResult> Act(Guid id, Func<Task<object?>> action, string done)
    {
        try
        {
            if (await action() is null) return NotFound();
            TempData["Flash"] = done;
            return RedirectToPage(new { id });
        }
        catch (ValidationFailedException e) { ModelState.AddFrom(e, prefix: ""); }
        catch (InvalidStepException e) { ModelState.AddModelError("", e.Message); }
        return await LoadAsync(id) ? Page() : NotFound();
    }

    public Task<IActionResult> OnPostAssignAsync(Guid id) =>
        Act(id, async () => await deliver.AssignAsync(id, new(VolunteerId, MemberId)), "已分配配送人。");

    public Task<IActionResult> OnPostDeliveredAsync(Guid id)
    {
        DateTimeOffset? at = DeliveredAt is { } v ? new DateTimeOffset(v, clock.Zone.GetUtcOffset(v)) : null;
        return Act(id, async () => await deliver.MarkDeliveredAsync(id, new(at, DeliveredBy, Contactless, Note)), "已登记送达。");
    }

    public Task<IActionResult> OnPostCancelAsync(Guid id) =>
        Act(id, async () => await deliver.CancelAsync(id, new(Reason)), "需求已取消。");
}
