using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace EpiGrid.Features.Account;

[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(RateLimits.SignIn)]
public sealed class LoginModel(SignInUser signIn, SignInManager<AppUser> manager, IStringLocalizer<SharedResource> L) : PageModel
{
    [BindProperty] public string? UserName { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        SignInUser.Result result;
        try
        {
            result = await signIn.CheckAsync(UserName, Password, "Page");
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e, prefix: "");
            return Page();
        }
        if (result.Outcome == SignInUser.Outcome.RateLimited)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(result.RetryAfter!.Value.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (result.Outcome != SignInUser.Outcome.Ok)
        {
            ModelState.AddModelError("", L[SignInUser.Message(result.Outcome)]);
            return Page();
        }
        await manager.SignInAsync(result.User!, isPersistent: false);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
