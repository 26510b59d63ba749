using EpiGrid.Data;
using EpiGrid.Features.Households;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.PassCards;

/// <summary>
/// A household's pass card: its cards so far, and issuing a new one, which shows the printable card at once (the
/// token is printed now and never again: a lost card is revoked by issuing a new one).
/// </summary>
[Authorize(Policy = Rights.EditPeople)]
public sealed class IssueModel(AppDbContext db, IssuePassCard cards) : PageModel
{
    public Guid HouseholdId { get; private set; }
    public string Title { get; private set; } = "";
    public IReadOnlyList<IssuePassCard.CardItem> Cards { get; private set; } = [];
    public IssuePassCard.Issued? Issued { get; private set; }
    public string? QrDataUri { get; private set; }
    public string OfficeName { get; private set; } = "";

    private async Task<bool> LoadAsync(Guid id)
    {
        var h = await db.Set<Household>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == id);
        if (h is null) return false;
        HouseholdId = id;
        var list = await cards.ListAsync(id, null, null, 1, 20);
        Cards = list.Items;
        var names = await db.Areas.IgnoreQueryFilters().AsNoTracking().Where(a => a.Id == h.CompoundId || a.Id == h.BuildingId).ToDictionaryAsync(a => a.Id, a => a.Name);
        Title = $"{names.GetValueOrDefault(h.CompoundId)} {Household.Label(h.BuildingId is { } b ? names.GetValueOrDefault(b) : null, h.Unit, h.Room)}";
        return true;
    }

    public async Task<IActionResult> OnGetAsync(Guid id) => await LoadAsync(id) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, [FromServices] Microsoft.Extensions.Options.IOptions<EpiGrid.Platform.EpiGridOptions> options)
    {
        try
        {
            Issued = await cards.IssueAsync(new(id));
            if (Issued is null) return NotFound();
        }
        catch (InvalidStepException e)
        {
            ModelState.AddModelError("", e.Message);
            return await LoadAsync(id) ? Page() : NotFound();
        }
        QrDataUri = "data:image/png;base64," + Convert.ToBase64String(IssuePassCard.QrPng(Issued.QrText));
        OfficeName = options.Value.OfficeName;
        await LoadAsync(id);
        // The card is printed from this answer: never cache it.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, Guid cardId)
    {
        if (!await cards.RevokeAsync(cardId, new(null))) return NotFound();
        TempData["Flash"] = "出入证已注销，卡口将拒绝此证。";
        return RedirectToPage(new { id });
    }
}
