using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Gates;

/// <summary>The gate page (卡口登记): a gate keeper picks one of their gates, then registers passers on one screen.</summary>
[Authorize(Policy = Rights.GatePasses)]
public sealed class IndexModel(GateRecords records, KeeperLock keeperLock, IOptions<GateOptions> options) : PageModel
{
    public List<GateRecords.GateInfo> Gates { get; private set; } = [];
    public GateRecords.GateInfo? Gate { get; private set; }
    public double IdleLockMinutes => options.Value.IdleLockMinutes;
    public string KeeperUserName => User.Identity?.Name ?? "";
    public string KeeperDisplayName { get; private set; } = "";
    public bool HasPin { get; private set; }
    public List<(string UserName, string DisplayName)> Keepers { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid? gateId)
    {
        Gates = await records.GatesAsync();
        if (gateId is { } id)
        {
            Gate = await records.GateAsync(id);
            if (Gate is null) return NotFound();
        }
        else if (Gates.Count == 1) Gate = Gates[0];
        if (Gate is not null)
        {
            Keepers = await keeperLock.KeepersAsync(Gate.Id);
            KeeperDisplayName = Keepers.FirstOrDefault(k => k.UserName == KeeperUserName).DisplayName ?? KeeperUserName;
            HasPin = await keeperLock.HasPinAsync(User.UserId());
        }
        return Page();
    }
}
