using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.People;

[Authorize(Policy = Rights.ReadPeople)]
public sealed class IndexModel(AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public PersonCategory? Category { get; set; }
    [BindProperty(SupportsGet = true)] public PersonStatus? Status { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? AreaId { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNo { get; set; } = 1;
    public const int Size = 30;
    public List<SearchPeople.Row> Rows { get; private set; } = [];
    public ILookup<Guid, PersonCategory> Categories { get; private set; } = Enumerable.Empty<PersonCategory>().ToLookup(_ => Guid.Empty);
    public int Total { get; private set; }
    public List<OrgTreeApi.AreaItem> Areas { get; private set; } = [];
    public Dictionary<Guid, string> Compounds { get; private set; } = [];
    public bool CanRegister { get; private set; }

    public async Task OnGetAsync()
    {
        CanRegister = Rights.Has(User, Rights.EditPeople);
        Areas = [.. (await OrgTreeApi.VisibleTreeAsync(db)).Where(a => a.Kind is AreaKind.Community or AreaKind.Village or AreaKind.Compound)];
        Compounds = Areas.Where(a => a.Kind == AreaKind.Compound).ToDictionary(a => a.Id, a => a.Name);
        PageNo = Math.Max(1, PageNo);
        var query = await SearchPeople.QueryAsync(db, new(Q, Category, Status, AreaId));
        Total = await query.CountAsync();
        Rows = await SearchPeople.Rows(query).Skip((PageNo - 1) * Size).Take(Size).ToListAsync();
        Categories = await SearchPeople.CategoriesAsync(db, Rows.Select(r => r.Id));
    }

    public string ExportUrl => $"/api/people/export.xlsx?q={Uri.EscapeDataString(Q ?? "")}&category={Category}&status={Status}&areaId={AreaId}";
}
