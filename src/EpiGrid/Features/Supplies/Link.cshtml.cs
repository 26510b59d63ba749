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

/// <summary>A quarantined household's own request link: make it, copy it to send, or stop it.</summary>
[Authorize(Policy = Rights.FieldWork)]
public sealed class LinkModel(AppDbContext db, RequestSupplies request, PublicLinks links) : PageModel
{
    public Guid PersonId { get; private set; }
    public string PersonName { get; private set; } = "";
    public string? LinkUrl { get; private set; }

    private async Task<bool> LoadAsync(Guid personId)
    {
        var name = await db.Set<Person>().Where(p => p.Id == personId).Select(p => p.Name).FirstOrDefaultAsync();
        if (name is null) return false;
        PersonId = personId;
        PersonName = name;
        var token = await db.Set<SupplyLink>().AsNoTracking().Where(l => l.PersonId == personId && l.RevokedAt == null).Select(l => l.Token).FirstOrDefaultAsync();
        LinkUrl = token is null ? null : SuppliesApi.PublicUrl(links, token);
        return true;
    }

    public async Task<IActionResult> OnGetAsync(Guid personId) => await LoadAsync(personId) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid personId)
    {
        try
        {
            if (await request.ShareLinkAsync(personId) is null) return NotFound();
            TempData["Flash"] = "已生成住户自助申请链接，请发给住户。";
            return RedirectToPage(new { personId });
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e, prefix: "");
        }
        return await LoadAsync(personId) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid personId)
    {
        if (!await request.RevokeLinkAsync(personId)) return NotFound();
        TempData["Flash"] = "链接已停用。";
        return RedirectToPage(new { personId });
    }
}
