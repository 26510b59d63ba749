using System.Text.Json;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EpiGrid.Features.Complaints;

/// <summary>投诉统计: the figures of <see cref="ComplaintStats"/> with charts (Chart.js, drawn by wwwroot/js/complaint-stats.js).</summary>
[Authorize(Policy = Rights.ReadComplaints)]
public sealed class StatsModel(ComplaintStats stats) : PageModel
{
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? CompareFrom { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? CompareTo { get; set; }

    public ComplaintStats.Result Result { get; private set; } = null!;
    /// <summary>The figures as JSON for the page's script (a data- attribute: no inline script under the CSP).</summary>
    public string Json { get; private set; } = "";

    public async Task OnGetAsync()
    {
        try
        {
            Result = await stats.RunAsync(From, To, CompareFrom, CompareTo, User);
            (From, To, CompareFrom, CompareTo) = (Result.From, Result.To, Result.Comparison.From, Result.Comparison.To);
        }
        catch (ValidationFailedException e)
        {
            // The dates typed stay in the form, marked; the figures shown are the default period's.
            ModelState.AddFrom(e, "");
            Result = await stats.RunAsync(null, null, null, null, User);
        }
        Json = JsonSerializer.Serialize(Result, JsonSerializerOptions.Web);
    }

    public static string Hours(double? h) => h is { } x ? x.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) : "—";
}
