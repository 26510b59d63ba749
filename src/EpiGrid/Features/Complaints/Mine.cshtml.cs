using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EpiGrid.Features.Complaints;

/// <summary>我的工单: what was dispatched to me (as handler or responder), the open ones first, with the supervisors' reminders.</summary>
[Authorize(Policy = Rights.ActOnDispatchedComplaints)]
public sealed class MineModel(ReadComplaint read) : PageModel
{
    [BindProperty(SupportsGet = true)] public bool All { get; set; }
    public PageOf<ReadComplaint.ComplaintItem> Result { get; private set; } = new([], 0);

    public async Task OnGetAsync() =>
        Result = await read.ListAsync(new ReadComplaint.Filter(Open: All ? null : true, Mine: true), User, 1, 100);
}
