using EpiGrid.Data;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.SignIns;

/// <summary>The auditor's view: the sign-in history of any account (or of a name as typed), failures only if asked.</summary>
[Authorize(Policy = Rights.ReadAudit)]
public sealed class AuditModel(SignInHistory history, AppDbContext db) : PageModel
{
    public const int Size = 50;
    [BindProperty(SupportsGet = true)] public string? UserName { get; set; }
    [BindProperty(SupportsGet = true)] public bool FailedOnly { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNo { get; set; } = 1;
    public IReadOnlyList<SignInHistory.Item> Items { get; private set; } = [];
    public int Total { get; private set; }
    public List<string> Accounts { get; private set; } = [];

    public async Task OnGetAsync()
    {
        PageNo = Math.Max(1, PageNo);
        Accounts = await db.Users.AsNoTracking().OrderBy(u => u.UserName).Select(u => u.UserName!).ToListAsync();
        var page = await history.ListAsync(null, UserName, FailedOnly ? false : null, PageNo, Size);
        (Items, Total) = (page.Items, page.Total);
    }
}
