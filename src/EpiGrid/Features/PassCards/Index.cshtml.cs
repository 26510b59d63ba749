using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.PassCards;

/// <summary>Pass cards in scope (出入证), and each compound's outing limit (one person per household every N days).</summary>
[Authorize(Policy = Rights.ReadPeople)]
public sealed class IndexModel(AppDbContext db, IssuePassCard cards) : PageModel
{
    public sealed record CompoundLimit(Guid Id, string Name, int? Days);

    [BindProperty(SupportsGet = true)] public Guid? CompoundId { get; set; }
    [BindProperty(SupportsGet = true)] public bool? Revoked { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int? PageNumber { get; set; }
    [BindProperty] public Guid? LimitCompoundId { get; set; }
    [BindProperty] public int? Days { get; set; }

    public PageOf<IssuePassCard.CardItem> Cards { get; private set; } = new([], 0);
    public List<CompoundLimit> Compounds { get; private set; } = [];
    public bool CanSetLimits { get; private set; }
    public const int PageSize = 50;

    private async Task LoadAsync()
    {
        CanSetLimits = Rights.Has(User, Rights.CloseCompound);
        var compounds = await db.Areas.AsNoTracking().Where(a => a.Kind == AreaKind.Compound).OrderBy(a => a.Code).Select(a => new { a.Id, a.Name }).ToListAsync();
        var limits = await db.Set<OutingLimit>().AsNoTracking().ToDictionaryAsync(l => l.CompoundId, l => l.Days);
        Compounds = [.. compounds.Select(c => new CompoundLimit(c.Id, c.Name, limits.TryGetValue(c.Id, out var d) ? d : null))];
        Cards = await cards.ListAsync(null, CompoundId, Revoked, PageNumber is < 1 ? 1 : PageNumber, PageSize);
    }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostLimitAsync()
    {
        if (!Rights.Has(User, Rights.CloseCompound)) return Forbid();
        try
        {
            if (LimitCompoundId is not { } id) { new Errors().Add("LimitCompoundId", "请选择小区").Throw(); }
            if (!await cards.SetOutingLimitAsync(LimitCompoundId!.Value, new(Days))) return NotFound();
            TempData["Flash"] = Days is null ? "已取消外出限制。" : $"已设置：每户每 {Days} 天限一人外出。";
            return RedirectToPage();
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e, prefix: "");
            await LoadAsync();
            return Page();
        }
    }
}
