using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EpiGrid.Features.Duty;

/// <summary>One person's record of duties: shifts done and to come, model posts, shock teams.</summary>
[Authorize(Policy = Rights.Publicity)]
public sealed class MemberModel(DutyRoster roster) : PageModel
{
    public DutyRoster.MemberRecord Record { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (await roster.RecordAsync(id) is not { } r) return NotFound();
        Record = r;
        return Page();
    }
}
