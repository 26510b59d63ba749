using EpiGrid.Data;
using EpiGrid.Features.Complaints;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Public;

/// <summary>
/// A resident, without an account, files a complaint or request (after reading what is collected and why, and
/// agreeing), and looks up a ticket by its number and the last 4 digits of the phone. Rate-limited like /api/public.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.Public)]
public sealed class ComplaintModel(AppDbContext db, FileComplaint file, LookUpComplaint lookUp) : PageModel
{
    public sealed class Form
    {
        public ComplaintCategory? Category { get; set; }
        public string? ComplainantName { get; set; }
        public string? ComplainantPhone { get; set; }
        public Guid? AreaId { get; set; }
        public string? Address { get; set; }
        public string? Content { get; set; }
        public bool Consent { get; set; }
    }

    public sealed class LookupForm
    {
        public string? Number { get; set; }
        public string? PhoneLast4 { get; set; }
    }

    [BindProperty] public Form Input { get; set; } = new();
    [BindProperty] public LookupForm Lookup { get; set; } = new();
    public string? FiledNumber { get; private set; }
    public ComplaintsApi.PublicStatus? Found { get; private set; }
    public bool NotFoundMessage { get; private set; }
    public List<(Guid Id, string Name)> Places { get; private set; } = [];

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostFileAsync()
    {
        try
        {
            var c = await file.FileFromPublicAsync(new FileComplaint.PublicInput(Input.Category, Input.Content, Input.ComplainantName,
                Input.ComplainantPhone, Input.AreaId, Input.Address, Input.Consent));
            FiledNumber = c.Number;
            ModelState.Clear();
            Input = new Form();
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e);
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostLookupAsync()
    {
        Found = await lookUp.RunAsync(Lookup.Number, Lookup.PhoneLast4);
        NotFoundMessage = Found is null;
        await LoadAsync();
        return Page();
    }

    // Communities and compounds by name only: nothing else of the office is shown to the public.
    private async Task LoadAsync() =>
        Places = [.. (await db.Areas.IgnoreQueryFilters().AsNoTracking()
                .Where(a => a.Kind == AreaKind.Community || a.Kind == AreaKind.Village || a.Kind == AreaKind.Compound)
                .OrderBy(a => a.Path).Select(a => new { a.Id, a.Name, a.Kind }).ToListAsync())
            .Select(a => (a.Id, a.Kind == AreaKind.Compound ? "　" + a.Name : a.Name))];
}
