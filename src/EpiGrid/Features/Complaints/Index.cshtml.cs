using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EpiGrid.Features.Complaints;

[Authorize(Policy = Rights.ReadComplaints)]
public sealed class IndexModel(ReadComplaint read) : PageModel
{
    public const int PageSize = 30;
    [BindProperty(SupportsGet = true)] public ComplaintStatus? Status { get; set; }
    [BindProperty(SupportsGet = true)] public ComplaintCategory? Category { get; set; }
    [BindProperty(SupportsGet = true)] public ComplaintChannel? Channel { get; set; }
    [BindProperty(SupportsGet = true)] public bool Overdue { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int P { get; set; } = 1;
    public PageOf<ReadComplaint.ComplaintItem> Result { get; private set; } = new([], 0);
    public bool CanFile { get; private set; }

    public async Task OnGetAsync()
    {
        CanFile = Rights.Has(User, Rights.HandleComplaints);
        P = Math.Max(1, P);
        var q = Q is { Length: > 30 } ? Q[..30] : Q;
        Result = await read.ListAsync(new ReadComplaint.Filter(Status, Category, Channel, Overdue ? true : null, null, q), User, P, PageSize);
    }

    public string PageUrl(int p) => $"/Complaints?status={Status}&category={Category}&channel={Channel}&overdue={Overdue}&q={Uri.EscapeDataString(Q ?? "")}&p={p}";
}
