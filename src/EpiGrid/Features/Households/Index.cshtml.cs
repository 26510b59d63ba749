using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Households;

[Authorize(Policy = Rights.ReadPeople)]
public sealed class IndexModel(AppDbContext db, OfficeClock clock, Coverage coverage, KeepRegister keep) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? CompoundId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    /// <summary>Show the deregistered households instead of the registered ones.</summary>
    [BindProperty(SupportsGet = true)] public bool Deregistered { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNo { get; set; } = 1;
    [BindProperty] public KeepRegister.HouseholdInput? NewHousehold { get; set; }
    public const int Size = 30;
    public PageOf<HouseholdsApi.HouseholdItem> List { get; private set; } = new([], 0);
    public List<Coverage.Row> CoverageRows { get; private set; } = [];
    public List<OrgTreeApi.AreaItem> Compounds { get; private set; } = [];
    public List<OrgTreeApi.AreaItem> Buildings { get; private set; } = [];
    public bool CanEdit { get; private set; }

    public async Task OnGetAsync()
    {
        CanEdit = Rights.Has(User, Rights.EditPeople);
        var tree = await OrgTreeApi.VisibleTreeAsync(db);
        Compounds = [.. tree.Where(a => a.Kind == AreaKind.Compound)];
        Buildings = [.. tree.Where(a => a.Kind == AreaKind.Building && a.ParentId == CompoundId)];
        CoverageRows = await coverage.ByCompoundAsync(7);
        PageNo = Math.Max(1, PageNo);
        List = await HouseholdsApi.ListAsync(db, clock, CompoundId, Q, PageNo, Size, Deregistered);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!Rights.Has(User, Rights.EditPeople)) return Forbid();
        try
        {
            var h = await keep.CreateHouseholdAsync(NewHousehold ?? new(CompoundId, null, null, null, null, null));
            TempData["Flash"] = "已添加住户。";
            return RedirectToPage("/Households/Detail", new { id = h.Id });
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e, "NewHousehold.");
            await OnGetAsync();
            return Page();
        }
    }
}
