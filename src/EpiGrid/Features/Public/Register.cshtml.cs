using EpiGrid.Features.OrgTree;
using EpiGrid.Features.People;
using EpiGrid.Features.SelfRegistration;
using EpiGrid.Platform;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace EpiGrid.Features.Public;

/// <summary>The public returnee form of one community (no account), reached by a link or QR code.</summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.Public)]
public sealed class RegisterModel(SubmitRegistration submit, OfficeClock clock) : PageModel
{
    public sealed class Form
    {
        public string? Name { get; set; }
        public Gender? Gender { get; set; }
        public string? IdNumber { get; set; }
        public string? Phone { get; set; }
        public string? Address { get; set; }
        public string? TravelFrom { get; set; }
        public DateTime? LeftAt { get; set; }
        public DateTime? ArrivedAt { get; set; }
        public Transport? Transport { get; set; }
        public string? TripNumber { get; set; }
        public string? Companions { get; set; }
        public bool ContactWithCases { get; set; }
        public string? Symptoms { get; set; }
        public bool Consent { get; set; }
    }

    [BindProperty] public Form Input { get; set; } = new();
    public Area Community { get; private set; } = null!;
    public string? Reference { get; private set; }

    public async Task<IActionResult> OnGetAsync(string code)
    {
        var c = await submit.CommunityAsync(code);
        if (c is null) return NotFound();
        Community = c;
        return Page();
    }

    private DateTimeOffset? Local(DateTime? d) => d is { } v ? new DateTimeOffset(v, clock.Zone.GetUtcOffset(v)) : null;

    public async Task<IActionResult> OnPostAsync(string code)
    {
        var c = await submit.CommunityAsync(code);
        if (c is null) return NotFound();
        Community = c;
        try
        {
            Reference = await submit.SubmitAsync(c, new(Input.Name, Input.Gender, Input.IdNumber, Input.Phone, Input.Address, Input.TravelFrom,
                Local(Input.LeftAt), Local(Input.ArrivedAt), Input.Transport, Input.TripNumber, Input.Companions, Input.ContactWithCases, Input.Symptoms, Input.Consent));
            ModelState.Clear();
            Input = new Form();
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e);
        }
        return Page();
    }
}
