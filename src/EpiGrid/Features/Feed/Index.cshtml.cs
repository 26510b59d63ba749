using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EpiGrid.Features.Feed;

[Authorize(Policy = Rights.ReadPeople)]
public sealed class IndexModel(ChangeFeed feed) : PageModel
{
    [BindProperty(SupportsGet = true)] public int Hours { get; set; } = 24;
    public List<ChangeFeed.Entry> Entries { get; private set; } = [];

    public async Task OnGetAsync()
    {
        Hours = Math.Clamp(Hours, 1, 168);
        Entries = await feed.LoadAsync(Hours);
    }
}
