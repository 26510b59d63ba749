using EpiGrid.Data;
using EpiGrid.Features.People;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Supplies;

/// <summary>
/// A quarantined household's own request link: make it (its address is shown on this answer only, to copy and send),
/// see the state of the links made before, regenerate or stop the one that works.
/// </summary>
[Authorize(Policy = Rights.FieldWork)]
public sealed class LinkModel(AppDbContext db, RequestSupplies request, PublicLinks links, Microsoft.Extensions.Options.IOptions<SuppliesOptions> options) : PageModel
{
    public int LinkDays => options.Value.LinkDays;
    public Guid PersonId { get; private set; }
    public string PersonName { get; private set; } = "";
    public List<RequestSupplies.LinkState> Links { get; private set; } = [];
    /// <summary>The link that still works, if any.</summary>
    public RequestSupplies.LinkState? Current => Links.FirstOrDefault(l => l.State == SupplyLinkState.Active);
    /// <summary>The address of a link made by this request; never read back afterwards.</summary>
    public string? NewUrl { get; private set; }

    private async Task<bool> LoadAsync(Guid personId)
    {
        var name = await db.Set<Person>().Where(p => p.Id == personId).Select(p => p.Name).FirstOrDefaultAsync();
        if (name is null || await request.LinksAsync(personId) is not { } list) return false;
        PersonId = personId;
        PersonName = name;
        Links = [.. list.Items];
        return true;
    }

    public async Task<IActionResult> OnGetAsync(Guid personId) => await LoadAsync(personId) ? Page() : NotFound();

    private async Task<IActionResult> MakeAsync(Guid personId, Func<Task<RequestSupplies.NewLink?>> make)
    {
        try
        {
            if (await make() is not { } made) return NotFound();
            NewUrl = SuppliesApi.PublicUrl(links, made.Token);
            // The address is shown on this answer only: never cache it.
            Response.Headers.CacheControl = "no-store";
        }
        catch (ValidationFailedException e) { ModelState.AddFrom(e, prefix: ""); }
        catch (InvalidStepException e) { ModelState.AddModelError("", e.Message); }
        // Shown on this answer, not after a redirect: the address is not kept anywhere to be shown again.
        return await LoadAsync(personId) ? Page() : NotFound();
    }

    public Task<IActionResult> OnPostAsync(Guid personId) => MakeAsync(personId, () => request.ShareLinkAsync(personId));

    public Task<IActionResult> OnPostRegenerateAsync(Guid personId) => MakeAsync(personId, () => request.RegenerateLinkAsync(personId));

    public async Task<IActionResult> OnPostRevokeAsync(Guid personId)
    {
        if (!await request.RevokeLinkAsync(personId)) return NotFound();
        TempData["Flash"] = "链接已停用。";
        return RedirectToPage(new { personId });
    }
}
