using EpiGrid.Data;
using EpiGrid.Features.Observation;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.People;

/// <summary>
/// Printable forms of a person (A4, print stylesheet): the returnee registration form (返乡人员登记表) and the
/// home-observation notice (居家医学观察告知书), filled from the record. Numbers stay masked on paper too;
/// the full ones are revealed on the record's page, with a reason.
/// </summary>
[Authorize(Policy = Rights.ReadPeople)]
public sealed class PrintModel(AppDbContext db, OfficeClock clock, IOptions<EpiGridOptions> office) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Form { get; set; }

    public PersonView Person { get; private set; } = null!;
    public QuarantineOrder? Order { get; private set; }
    public string? GridWorker { get; private set; }
    public string? EnteredBy { get; private set; }
    public string OfficeName => office.Value.OfficeName;
    public bool Notice => Form == "notice";
    public OfficeClock Clock => clock;

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (await PersonView.LoadAsync(db, clock, id) is not { } p) return NotFound();
        Person = p;
        Order = await db.Set<QuarantineOrder>().AsNoTracking().Where(o => o.PersonId == id)
            .OrderByDescending(o => o.Status == QuarantineStatus.Active).ThenByDescending(o => o.StartsAt).FirstOrDefaultAsync();
        var gridId = await db.Areas.AsNoTracking().Where(a => a.Id == p.CompoundId).Select(a => a.GridId).FirstOrDefaultAsync();
        var workerId = gridId is null ? null : await db.Grids.IgnoreQueryFilters().Where(g => g.Id == gridId).Select(g => g.WorkerId).FirstOrDefaultAsync();
        GridWorker = workerId is null ? null : await db.Users.Where(u => u.Id == workerId).Select(u => u.DisplayName).FirstOrDefaultAsync();
        var createdBy = await db.Set<Person>().AsNoTracking().Where(x => x.Id == id).Select(x => x.CreatedBy).FirstOrDefaultAsync();
        EnteredBy = createdBy is null ? null : await db.Users.Where(u => u.Id == createdBy).Select(u => u.DisplayName).FirstOrDefaultAsync();
        return Page();
    }
}
