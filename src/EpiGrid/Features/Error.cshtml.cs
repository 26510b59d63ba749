using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EpiGrid.Features;

/// <summary>The page an unexpected error on a page ends on (whatever the request's method was).</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public string? RequestId { get; private set; }

    public void OnGet() => RequestId = HttpContext.TraceIdentifier;

    public void OnPost() => OnGet();
}
