using EpiGrid.Data;
using EpiGrid.Platform.Audit;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.AuditLog;

/// <summary>The auditor reads the log and verifies its chain; the page shows the row where it breaks.</summary>
[Authorize(Policy = Rights.ReadAudit)]
public sealed class IndexModel(AppDbContext db, AuditChainKey key, AuditHeadFile head) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Action { get; set; }
    [BindProperty(SupportsGet = true)] public string? UserName { get; set; }
    [BindProperty(SupportsGet = true)] public string? Entity { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNo { get; set; } = 1;
    public const int Size = 50;
    public List<AuditEntry> Entries { get; private set; } = [];
    public int Total { get; private set; }
    public AuditChain.Result? Check { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task OnPostVerifyAsync()
    {
        Check = await AuditChain.VerifyAsync(db, key.Value, head, HttpContext.RequestAborted);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var q = db.Set<AuditEntry>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Action)) q = q.Where(a => a.Action == Action);
        if (!string.IsNullOrWhiteSpace(UserName)) q = q.Where(a => a.UserName == UserName);
        if (!string.IsNullOrWhiteSpace(Entity)) q = q.Where(a => a.Entity == Entity);
        Total = await q.CountAsync();
        PageNo = Math.Max(1, PageNo);
        Entries = await q.OrderByDescending(a => a.Id).Skip((PageNo - 1) * Size).Take(Size).ToListAsync();
    }
}
