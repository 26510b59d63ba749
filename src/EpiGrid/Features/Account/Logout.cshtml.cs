using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EpiGrid.Features.Account;

public sealed class LogoutModel(SignInManager<AppUser> manager) : PageModel
{
    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        await manager.SignOutAsync();
        return RedirectToPage("/Account/Login");
    }
}
