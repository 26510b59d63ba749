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

/// <summary>党员示范岗 and 党员突击队: where the posts are and who stands on them; the teams, their leaders and members.</summary>
[Authorize(Policy = Rights.Publicity)]
public sealed class PostsModel(AppDbContext db, DutyRoster roster, EditDuty edit) : PageModel
{
    public sealed class PostForm
    {
        public string? Name { get; set; }
        public Guid? AreaId { get; set; }
        public string? Location { get; set; }
        public Guid? GateId { get; set; }
        public string? Duties { get; set; }
        public Guid[]? MemberIds { get; set; }
    }

    public sealed class TeamForm
    {
        public string? Name { get; set; }
        public Guid? AreaId { get; set; }
        public Guid? LeaderId { get; set; }
        public string? Task { get; set; }
        public Guid[]? MemberIds { get; set; }
    }

    [BindProperty] public PostForm Post { get; set; } = new();
    [BindProperty] public TeamForm Team { get; set; } = new();
    public List<DutyRoster.PostItem> Posts { get; private set; } = [];
    public List<DutyRoster.TeamItem> Teams { get; private set; } = [];
    public List<DutyRoster.MemberItem> Members { get; private set; } = [];
    public List<OrgTreeApi.AreaItem> Areas { get; private set; } = [];
    public List<OrgTreeApi.GateItem> Gates { get; private set; } = [];

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostPostAsync()
    {
        try
        {
            await edit.CreatePostAsync(new EditDuty.PostInput(Post.Name, Post.AreaId, Post.Location, Post.GateId, Post.Duties, Post.MemberIds));
            TempData["Flash"] = "示范岗已设立。";
            return RedirectToPage();
        }
        catch (ValidationFailedException e) { ModelState.AddFrom(e, prefix: "Post."); }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostTeamAsync()
    {
        try
        {
            await edit.CreateTeamAsync(new EditDuty.TeamInput(Team.Name, Team.AreaId, Team.LeaderId, Team.Task, Team.MemberIds));
            TempData["Flash"] = "突击队已组建。";
            return RedirectToPage();
        }
        catch (ValidationFailedException e) { ModelState.AddFrom(e, prefix: "Team."); }
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        Posts = await roster.PostsAsync();
        Teams = await roster.TeamsAsync();
        Members = await roster.MemberItemsAsync(await roster.MemberQuery(null, null, null, true).Take(300).ToListAsync());
        Areas = [.. (await OrgTreeApi.VisibleTreeAsync(db)).Where(a => db.Scope.Covers(a.Id) && (a.Kind == AreaKind.Subdistrict || Area.IsCommunityLevel(a.Kind) || a.Kind == AreaKind.Compound))];
        Gates = await OrgTreeApi.Gates(db).ToListAsync();
    }
}
