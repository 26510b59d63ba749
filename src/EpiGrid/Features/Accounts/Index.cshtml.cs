using EpiGrid.Data;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Accounts;

[Authorize(Policy = Rights.ManageSystem)]
public sealed class IndexModel(AppDbContext db, ManageAccount accounts, EpiGrid.Platform.OfficeClock clock) : PageModel
{
    public sealed record Row(Guid Id, string UserName, string DisplayName, string[] Roles, string? PhoneMasked, bool Disabled, bool Locked, string Scope);

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Role { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNo { get; set; } = 1;
    public const int Size = 30;
    public List<Row> Rows { get; private set; } = [];
    public int Total { get; private set; }
    /// <summary>Accounts that break separation of duties (三员分立) — possible only in databases from before T3.</summary>
    public List<(Guid Id, string UserName, string DisplayName, string Why)> Violations { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var q = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Q)) q = q.Where(u => u.UserName!.Contains(Q) || u.DisplayName.Contains(Q) || u.PhoneLast4 == Q);
        if (!string.IsNullOrWhiteSpace(Role) && Roles.All.Contains(Role))
        {
            q = q.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Role)));
        }
        Total = await q.CountAsync();
        PageNo = Math.Max(1, PageNo);
        var now = clock.UtcNow;
        var users = await q.OrderBy(u => u.UserName).Skip((PageNo - 1) * Size).Take(Size)
            .Select(u => new
            {
                u.Id, u.UserName, u.DisplayName, u.PhoneMasked, u.IsDisabled, u.LockoutEnd,
                Roles = db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToArray(),
                Areas = db.UserScopes.Where(s => s.UserId == u.Id).Join(db.Areas, s => s.AreaId, a => a.Id, (s, a) => a.Name).ToArray(),
                Gates = db.UserGates.Where(s => s.UserId == u.Id).Join(db.Gates, s => s.GateId, g => g.Id, (s, g) => g.Name).ToArray(),
            }).ToListAsync();
        // Only an auditor can be in conflict: look at the roles of the (few) accounts that hold Auditor.
        var auditors = db.UserRoles.Where(ur => db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Auditor)).Select(ur => ur.UserId);
        var held = await db.UserRoles.Where(ur => auditors.Contains(ur.UserId))
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, Role = r.Name! })
            .Join(db.Users, x => x.UserId, u => u.Id, (x, u) => new { x.UserId, u.UserName, u.DisplayName, x.Role })
            .ToListAsync();
        Violations = [.. held.GroupBy(x => x.UserId)
            .Select(g => (g.Key, g.First().UserName ?? "", g.First().DisplayName, Why: SeparationOfDuties.Conflict(g.Select(x => x.Role))))
            .Where(v => v.Why is not null).OrderBy(v => v.Item2).Select(v => (v.Key, v.Item2, v.DisplayName, v.Why!))];
        Rows = [.. users.Select(u => new Row(u.Id, u.UserName!, u.DisplayName, u.Roles, u.PhoneMasked, u.IsDisabled,
            u.LockoutEnd > now, string.Join("、", u.Areas.Concat(u.Gates))))];
    }

    public async Task<IActionResult> OnPostDisableAsync(Guid id, bool disable)
    {
        if (id == User.UserId() && disable)
        {
            TempData["Flash"] = "不能停用自己的账号。";
            return RedirectToPage();
        }
        if (!await accounts.SetDisabledAsync(id, disable)) return NotFound();
        TempData["Flash"] = disable ? "账号已停用，其登录状态和令牌已立即失效。" : "账号已启用。";
        return RedirectToPage(new { Q, Role, p = PageNo });
    }
}
