using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Duty;

/// <summary>党员与值守: the party members, cadres and volunteers on duty.</summary>
[Authorize(Policy = Rights.Publicity)]
public sealed class IndexModel(DutyRoster roster) : PageModel
{
    [BindProperty(SupportsGet = true)] public DutyMemberKind? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNo { get; set; } = 1;
    public const int Size = 50;
    public List<DutyRoster.MemberItem> Rows { get; private set; } = [];
    public int Total { get; private set; }

    public async Task OnGetAsync()
    {
        var q = roster.MemberQuery(Kind, null, Q?.Length > 50 ? Q[..50] : Q, null);
        Total = await q.CountAsync();
        PageNo = Math.Max(1, PageNo);
        Rows = await roster.MemberItemsAsync(await q.Skip((PageNo - 1) * Size).Take(Size).ToListAsync());
    }
}
