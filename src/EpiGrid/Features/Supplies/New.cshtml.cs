using EpiGrid.Data;
using EpiGrid.Features.People;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Supplies;

/// <summary>登记物资需求: the grid worker enters what a quarantined household needs.</summary>
[Authorize(Policy = Rights.FieldWork)]
public sealed class NewModel(AppDbContext db, RequestSupplies request) : PageModel
{
    public sealed class Form
    {
        public Guid? PersonId { get; set; }
        public string? Items { get; set; }
        public string? Note { get; set; }
        public string? PreferredTime { get; set; }
    }

    [BindProperty] public Form Input { get; set; } = new();
    public List<(Guid Id, string Name, string Address)> People { get; private set; } = [];

    public async Task OnGetAsync(Guid? personId)
    {
        Input.PersonId = personId;
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        try
        {
            var r = await request.RequestAsync(new RequestSupplies.RequestInput(Input.PersonId, null, RequestSupplies.Split(Input.Items), Input.Note, Input.PreferredTime));
            TempData["Flash"] = "物资需求已登记。";
            return RedirectToPage("/Supplies/Detail", new { id = r.Id });
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e);
            await LoadAsync();
            return Page();
        }
    }

    /// <summary>People quarantined at home or centrally and still under watch (and the one asked for), by name.</summary>
    private async Task LoadAsync()
    {
        var quarantined = db.Set<PersonCategoryRow>().Where(c => c.Category == PersonCategory.HomeObservation || c.Category == PersonCategory.CentralizedQuarantine).Select(c => c.PersonId);
        var chosen = Input.PersonId;
        People = [.. (await db.Set<Person>().AsNoTracking()
            .Where(p => p.Id == chosen || (p.Status == PersonStatus.Active && quarantined.Contains(p.Id)))
            .OrderBy(p => p.Name).Take(500).Select(p => new { p.Id, p.Name, p.Address }).ToListAsync()).Select(p => (p.Id, p.Name, p.Address))];
    }
}
