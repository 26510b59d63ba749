using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Disinfection;

[Authorize(Policy = Rights.FieldWork)]
public sealed class RecordsModel(AppDbContext db, OfficeClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? AreaId { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Ticket { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNo { get; set; } = 1;
    public const int Size = 50;
    public List<DisinfectionApi.RecordItem> Rows { get; private set; } = [];
    public List<OrgTree.OrgTreeApi.AreaItem> Communities { get; private set; } = [];
    public int Total { get; private set; }

    public async Task OnGetAsync()
    {
        Communities = [.. (await OrgTree.OrgTreeApi.VisibleTreeAsync(db)).Where(a => OrgTree.Area.IsCommunityLevel(a.Kind))];
        From ??= clock.Today.AddDays(-6);
        To ??= clock.Today;
        var q = DisinfectionApi.RecordQuery(db, AreaId, null, From, To, string.IsNullOrWhiteSpace(Ticket) ? null : Ticket.Trim());
        Total = await q.CountAsync();
        PageNo = Math.Max(1, PageNo);
        Rows = await DisinfectionApi.RecordItemsAsync(db, clock, await q.Skip((PageNo - 1) * Size).Take(Size).ToListAsync());
    }

    public string Filter(int? page = null) =>
        $"?areaId={AreaId}&from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}" + (page is null ? "" : $"&ticket={Uri.EscapeDataString(Ticket ?? "")}&p={page}");
}
