using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Duty;

/// <summary>A party member, cadre or volunteer: branch, contact, skills.</summary>
[Authorize(Policy = Rights.Publicity)]
public sealed class MemberEditModel(AppDbContext db, EditDuty edit) : PageModel
{
    public sealed class Form
    {
        public string? Name { get; set; }
        public DutyMemberKind? Kind { get; set; } = DutyMemberKind.PartyMember;
        public string? Branch { get; set; }
        public string? Phone { get; set; }
        public string? Skills { get; set; }
        public Guid? AreaId { get; set; }
        public bool IsActive { get; set; } = true;
    }

    [BindProperty] public Form Input { get; set; } = new();
    public Guid? Id { get; private set; }
    public string? PhoneMasked { get; private set; }
    public Guid? UserId { get; private set; }
    public List<OrgTreeApi.AreaItem> Areas { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid? id)
    {
        Id = id;
        if (id is { } i)
        {
            var m = await db.Set<DutyMember>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == i);
            if (m is null) return NotFound();
            Input = new Form { Name = m.Name, Kind = m.Kind, Branch = m.Branch, Skills = m.Skills, AreaId = m.AreaId, IsActive = m.IsActive };
            PhoneMasked = m.PhoneMasked;
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id)
    {
        Id = id;
        // A blank phone on an edit keeps the stored one (the form never shows it in full).
        Guid? userId = null;
        if (id is { } existing) userId = await db.Set<DutyMember>().Where(m => m.Id == existing).Select(m => m.UserId).FirstOrDefaultAsync();
        var input = new EditDuty.MemberInput(Input.Name, Input.Kind, Input.Branch, string.IsNullOrWhiteSpace(Input.Phone) ? null : Input.Phone, Input.Skills, Input.AreaId, userId, Input.IsActive);
        try
        {
            if (id is { } i) { if (await edit.UpdateMemberAsync(i, input) is null) return NotFound(); }
            else id = (await edit.CreateMemberAsync(input)).Id;
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e);
            await LoadAsync();
            return Page();
        }
        TempData["Flash"] = "人员已保存。";
        return RedirectToPage("/Duty/Member", new { id });
    }

    private async Task LoadAsync() =>
        Areas = [.. (await OrgTreeApi.VisibleTreeAsync(db)).Where(a => db.Scope.Covers(a.Id) && (a.Kind == AreaKind.Subdistrict || Area.IsCommunityLevel(a.Kind) || a.Kind == AreaKind.Compound))];
}
