using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Accounts;

[Authorize(Policy = Rights.ManageSystem)]
public sealed class EditModel(AppDbContext db, ManageAccount accounts) : PageModel
{
    public sealed class Form
    {
        public string? UserName { get; set; }
        public string? DisplayName { get; set; }
        public string? Phone { get; set; }
        public List<string> Roles { get; set; } = [];
        public List<Guid> AreaIds { get; set; } = [];
        public List<Guid> GateIds { get; set; } = [];
        public string? Password { get; set; }
    }

    [BindProperty] public Form Input { get; set; } = new();
    [BindProperty] public string? NewPassword { get; set; }
    public Guid? Id { get; private set; }
    public ManageAccount.AccountView? Existing { get; private set; }
    public List<OrgTreeApi.AreaItem> Areas { get; private set; } = [];
    public List<OrgTreeApi.GateItem> Gates { get; private set; } = [];

    private async Task LoadChoicesAsync()
    {
        Areas = [.. (await OrgTreeApi.VisibleTreeAsync(db)).Where(a => a.Kind != AreaKind.Building)];
        Gates = await OrgTreeApi.Gates(db).ToListAsync();
    }

    public async Task<IActionResult> OnGetAsync(Guid? id)
    {
        Id = id;
        if (id is { } i)
        {
            Existing = await accounts.GetAsync(i);
            if (Existing is null) return NotFound();
            Input = new Form
            {
                UserName = Existing.UserName, DisplayName = Existing.DisplayName, Roles = [.. Existing.Roles],
                AreaIds = [.. Existing.AreaIds], GateIds = [.. Existing.GateIds],
            };
        }
        await LoadChoicesAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id)
    {
        Id = id;
        var input = new ManageAccount.AccountInput(Input.UserName, Input.DisplayName, Input.Phone, [.. Input.Roles], [.. Input.AreaIds], [.. Input.GateIds], Input.Password);
        try
        {
            if (id is { } i)
            {
                if (!await accounts.UpdateAsync(i, input)) return NotFound();
                TempData["Flash"] = "账号已保存。角色或辖区的变更已生效，该账号需重新登录。";
            }
            else
            {
                id = await accounts.CreateAsync(input);
                TempData["Flash"] = "账号已创建。";
            }
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e);
            if (id is { } j) Existing = await accounts.GetAsync(j);
            await LoadChoicesAsync();
            return Page();
        }
        return RedirectToPage("/Accounts/Index");
    }

    public async Task<IActionResult> OnPostPasswordAsync(Guid id)
    {
        Id = id;
        try
        {
            if (!await accounts.ResetPasswordAsync(id, NewPassword)) return NotFound();
        }
        catch (Exception e) when (e is ValidationFailedException or SeparationOfDutiesException)
        {
            if (e is ValidationFailedException v) foreach (var m in v.Errors.ToDictionary().SelectMany(kv => kv.Value)) ModelState.AddModelError(nameof(NewPassword), m);
            else ModelState.AddModelError(nameof(NewPassword), e.Message);
            Existing = await accounts.GetAsync(id);
            Input = new Form { UserName = Existing!.UserName, DisplayName = Existing.DisplayName, Roles = [.. Existing.Roles], AreaIds = [.. Existing.AreaIds], GateIds = [.. Existing.GateIds] };
            await LoadChoicesAsync();
            return Page();
        }
        TempData["Flash"] = "密码已重置，该账号原有的登录状态和令牌已失效。";
        return RedirectToPage("/Accounts/Edit", new { id });
    }
}
