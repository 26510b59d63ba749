using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EpiGrid.Features.Publicity;

/// <summary>登记张贴/发放: which material, where (a compound, building, community or fixed point), how, how many.</summary>
[Authorize(Policy = Rights.Publicity)]
public sealed class PostingNewModel(AppDbContext db, OfficeClock clock, EditPublicity edit, PublicityBoard board) : PageModel
{
    public sealed class Form
    {
        public Guid? MaterialId { get; set; }
        public Guid? AreaId { get; set; }
        public Guid? PointId { get; set; }
        public string? Place { get; set; }
        public PostingMethod? Method { get; set; } = PostingMethod.Posted;
        public int? Quantity { get; set; }
        public DateOnly? Date { get; set; }
        public string? DoneBy { get; set; }
        public string? Note { get; set; }
    }

    [BindProperty] public Form Input { get; set; } = new();
    public List<PublicityBoard.MaterialItem> Materials { get; private set; } = [];
    public List<PublicityBoard.PointItem> Points { get; private set; } = [];
    public List<OrgTreeApi.AreaItem> Areas { get; private set; } = [];

    public async Task OnGetAsync(Guid? materialId, Guid? areaId)
    {
        Input.MaterialId = materialId;
        Input.AreaId = areaId;
        Input.Date = clock.Today;
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        try
        {
            await edit.RecordPostingAsync(new EditPublicity.PostingInput(Input.MaterialId, Input.PointId is null ? Input.AreaId : null, Input.PointId, Input.Place,
                Input.Method, Input.Quantity, Input.Date, Input.DoneBy, Input.Note));
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e);
            await LoadAsync();
            return Page();
        }
        TempData["Flash"] = "已登记张贴/发放。";
        return RedirectToPage("/Publicity/Index");
    }

    private async Task LoadAsync()
    {
        Materials = await board.MaterialsAsync(true);
        Points = [.. (await board.PointsAsync()).Where(p => p.IsActive)];
        Areas = [.. (await OrgTreeApi.VisibleTreeAsync(db)).Where(a => db.Scope.Covers(a.Id) && (Area.IsCommunityLevel(a.Kind) || a.Kind == AreaKind.Compound || a.Kind == AreaKind.Building))];
    }
}
