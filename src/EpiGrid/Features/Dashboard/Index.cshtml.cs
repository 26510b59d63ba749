using System.Text.Json;
using System.Text.Json.Serialization;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EpiGrid.Features.Dashboard;

/// <summary>指挥看板: the leaders' live dashboard (figures from <see cref="DashboardFigures"/>, drawn and refreshed by wwwroot/js/dashboard.js).</summary>
[Authorize(Policy = Rights.ReadReports)]
public sealed class IndexModel(DashboardFigures dashboard) : PageModel
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    public DashboardView View { get; private set; } = null!;
    /// <summary>The first figures as JSON, for the script (a data- attribute: no inline script under the CSP).</summary>
    public string Data { get; private set; } = "";

    /// <summary>The figures are the last computed while newer ones are being computed: the script asks again shortly.</summary>
    public bool Stale { get; private set; }

    public async Task OnGetAsync()
    {
        (View, Stale) = await dashboard.GetWithFreshnessAsync(null, null);
        Data = JsonSerializer.Serialize(View, Json);
    }
}
