using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EpiGrid.Features.SignIns;

/// <summary>我的登录记录: the signed-in user's own attempts.</summary>
[Authorize(Policy = Rights.SignedIn)]
public sealed class IndexModel(SignInHistory history) : PageModel
{
    public const int Size = 50;
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNo { get; set; } = 1;
    public IReadOnlyList<SignInHistory.Item> Items { get; private set; } = [];
    public int Total { get; private set; }

    public async Task OnGetAsync()
    {
        PageNo = Math.Max(1, PageNo);
        var page = await history.ListAsync(User.UserId(), null, null, PageNo, Size);
        (Items, Total) = (page.Items, page.Total);
    }
}
