using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Disinfection;

[Authorize(Policy = Rights.FieldWork)]
public sealed class PlanEditModel(AppDbContext db, EditDisinfectionPlan edit) : PageModel
{
    public sealed class Form
    {
        public string? Name { get; set; }
        public Guid? AreaId { get; set; }
        public string? Places { get; set; }
        public string? Agent { get; set; } = "含氯消毒液（84消毒液 1:100）";
        public int? TimesPerDay { get; set; } = 2;
        public int? EveryDays { get; set; } = 1;
        public DateOnly? StartDate { get; set; }
        public DateOnly? EndDate { get; set; }
        public bool IsActive { get; set; } = true;
    }

    /// <summary>Places offered with one tap, besides the compounds.</summary>
    public static readonly string[] KeyPlaces = ["垃圾站", "楼道", "电梯", "公共卫生间", "快递点", "单元门把手", "健身器材"];

    [BindProperty] public Form Input { get; set; } = new();
    public Guid? Id { get; private set; }
    public List<OrgTreeApi.AreaItem> Areas { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid? id)
    {
        Id = id;
        if (id is { } i)
        {
            var p = await db.Set<DisinfectionPlan>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == i);
            if (p is null) return NotFound();
            Input = new Form
            {
                Name = p.Name, AreaId = p.AreaId, Places = p.Places, Agent = p.Agent, TimesPerDay = p.TimesPerDay, EveryDays = p.EveryDays,
                StartDate = p.StartDate, EndDate = p.EndDate, IsActive = p.IsActive,
            };
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id)
    {
        Id = id;
        var input = new EditDisinfectionPlan.PlanInput(Input.Name, Input.AreaId, EditDisinfectionPlan.SplitPlaces(Input.Places), Input.Agent,
            Input.TimesPerDay, Input.EveryDays, Input.StartDate, Input.EndDate, Input.IsActive);
        try
        {
            if (id is { } i) { if (await edit.UpdateAsync(i, input) is null) return NotFound(); }
            else await edit.CreateAsync(input);
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e);
            await LoadAsync();
            return Page();
        }
        TempData["Flash"] = "消杀计划已保存。";
        return RedirectToPage("/Disinfection/Plans");
    }

    private async Task LoadAsync() =>
        Areas = [.. (await OrgTreeApi.VisibleTreeAsync(db)).Where(a => Area.IsCommunityLevel(a.Kind) || a.Kind == AreaKind.Compound)];
}
