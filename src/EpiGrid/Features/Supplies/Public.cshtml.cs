using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace EpiGrid.Features.Supplies;

/// <summary>A quarantined household's own page (no account), reached by the link its grid worker gave it: ask for supplies, see what came.</summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.Public)]
public sealed class PublicModel(RequestSupplies request, AppDbContext db, OfficeClock clock) : PageModel
{
    public sealed class Form
    {
        public string? Items { get; set; }
        public string? Note { get; set; }
        public string? PreferredTime { get; set; }
        public bool Consent { get; set; }
    }

    [BindProperty] public Form Input { get; set; } = new();
    public SuppliesApi.PublicView View { get; private set; } = null!;
    public bool Sent { get; private set; }

    private async Task<bool> LoadAsync(string token)
    {
        if (await request.LinkAsync(token) is not { } link || await SuppliesApi.PublicViewAsync(db, clock, link) is not { } view) return false;
        View = view;
        return true;
    }

    public async Task<IActionResult> OnGetAsync(string token) => await LoadAsync(token) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string token)
    {
        try
        {
            var r = await request.RequestFromLinkAsync(token, new(RequestSupplies.Split(Input.Items), Input.Note, Input.PreferredTime, Input.Consent));
            if (r is null) return NotFound();
            Sent = true;
            ModelState.Clear();
            Input = new Form();
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e);
        }
        return await LoadAsync(token) ? Page() : NotFound();
    }
}
