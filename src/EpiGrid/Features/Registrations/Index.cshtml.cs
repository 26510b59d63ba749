using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Features.SelfRegistration;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Registrations;

/// <summary>Self-registrations waiting for the grid worker, and each community's public link and QR code.</summary>
[Authorize(Policy = Rights.ReadPeople)]
public sealed class IndexModel(AppDbContext db, SubmitRegistration submit) : PageModel
{
    public List<PendingRegistration> Pending { get; private set; } = [];
    public List<OrgTreeApi.AreaItem> Communities { get; private set; } = [];
    public ILookup<Guid, OrgTreeApi.AreaItem> Compounds { get; private set; } = Enumerable.Empty<OrgTreeApi.AreaItem>().ToLookup(a => Guid.Empty);
    public bool CanEdit { get; private set; }
    [BindProperty] public Guid? CompoundId { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public async Task OnGetAsync()
    {
        CanEdit = Rights.Has(User, Rights.EditPeople);
        var tree = await OrgTreeApi.VisibleTreeAsync(db);
        var scoped = await db.Areas.Select(a => a.Id).ToListAsync();
        Communities = [.. tree.Where(a => Area.IsCommunityLevel(a.Kind) && scoped.Contains(a.Id))];
        Compounds = tree.Where(a => a.Kind == AreaKind.Compound).ToLookup(a => a.ParentId ?? Guid.Empty);
        Pending = await db.Set<PendingRegistration>().AsNoTracking().Where(r => r.Status == RegistrationStatus.Pending).OrderBy(r => r.SubmittedAt).Take(200).ToListAsync();
    }

    public async Task<IActionResult> OnPostConfirmAsync(Guid id)
    {
        if (!Rights.Has(User, Rights.EditPeople)) return Forbid();
        try
        {
            var confirmed = await submit.ConfirmAsync(id, new(CompoundId, null));
            if (confirmed is null) return NotFound();
            if (confirmed.PersonId is not { } personId)
            {
                TempData["Flash"] = $"已确认。此人已由{confirmed.OwnerArea}登记管理，无需重复登记。";
                return RedirectToPage();
            }
            TempData["Flash"] = "已确认，转为重点人员。";
            return RedirectToPage("/People/Detail", new { id = personId });
        }
        catch (Exception e) when (e is ValidationFailedException or InvalidStepException)
        {
            TempData["Flash"] = e is ValidationFailedException v ? string.Join("；", v.Errors.ToDictionary().SelectMany(x => x.Value)) : e.Message;
            return RedirectToPage();
        }
    }

    public async Task<IActionResult> OnPostRejectAsync(Guid id)
    {
        if (!Rights.Has(User, Rights.EditPeople)) return Forbid();
        try
        {
            if (!await submit.RejectAsync(id, new(Reason))) return NotFound();
            TempData["Flash"] = "已退回该登记。";
        }
        catch (Exception e) when (e is ValidationFailedException or InvalidStepException)
        {
            TempData["Flash"] = e is ValidationFailedException ? "退回须填写理由。" : e.Message;
        }
        return RedirectToPage();
    }
}
