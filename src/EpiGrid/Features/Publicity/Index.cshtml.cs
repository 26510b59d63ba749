using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Publicity;

/// <summary>宣传: the vehicles and today's runs, the fixed points, the materials and the latest postings.</summary>
[Authorize(Policy = Rights.Publicity)]
public sealed class IndexModel(PublicityBoard board) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNo { get; set; } = 1;
    public const int Size = 30;
    public List<PublicityBoard.VehicleItem> Vehicles { get; private set; } = [];
    public List<PublicityBoard.PointItem> Points { get; private set; } = [];
    public List<PublicityBoard.MaterialItem> Materials { get; private set; } = [];
    public List<PublicityBoard.PostingItem> Postings { get; private set; } = [];
    public int PostingTotal { get; private set; }

    public async Task OnGetAsync()
    {
        Vehicles = await board.VehiclesAsync();
        Points = await board.PointsAsync();
        Materials = await board.MaterialsAsync();
        var q = board.PostingQuery(null, null, null, null);
        PostingTotal = await q.CountAsync();
        PageNo = Math.Max(1, PageNo);
        Postings = await board.PostingItemsAsync(await q.Skip((PageNo - 1) * Size).Take(Size).ToListAsync());
    }
}
