using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EpiGrid.Features.People;

[Authorize(Policy = Rights.EditPeople)]
public sealed class RegisterModel(AppDbContext db, RegisterPerson register, EpiGrid.Platform.OfficeClock clock) : PageModel
{
    public sealed class Form
    {
        public string? Name { get; set; }
        public Gender? Gender { get; set; }
        public DocumentType DocumentType { get; set; } = DocumentType.ResidentId;
        public string? IdNumber { get; set; }
        public string? Phone { get; set; }
        public Guid? CompoundId { get; set; }
        public Guid? HouseholdId { get; set; }
        public string? Address { get; set; }
        public List<PersonCategory> Categories { get; set; } = [PersonCategory.Returnee];
        public string? TravelFrom { get; set; }
        public DateTime? LeftAt { get; set; }
        public DateTime? ArrivedAt { get; set; }
        public Transport? Transport { get; set; }
        public string? TripNumber { get; set; }
        public string? Companions { get; set; }
        public string? Note { get; set; }
    }

    [BindProperty] public Form Input { get; set; } = new();
    public List<OrgTreeApi.AreaItem> Compounds { get; private set; } = [];
    public Guid? ExistingId { get; private set; }
    public string? OwnerArea { get; private set; }

    public async Task OnGetAsync(Guid? householdId, Guid? compoundId)
    {
        Input.HouseholdId = householdId;
        Input.CompoundId = compoundId;
        await LoadAsync();
    }

    private async Task LoadAsync() =>
        Compounds = [.. (await OrgTreeApi.VisibleTreeAsync(db)).Where(a => a.Kind == AreaKind.Compound)];

    // Form times are the office's local time.
    private DateTimeOffset? Local(DateTime? d) => d is { } v ? new DateTimeOffset(v, clock.Zone.GetUtcOffset(v)) : null;

    public async Task<IActionResult> OnPostAsync()
    {
        var hasTravel = Input.TravelFrom is not null || Input.LeftAt is not null || Input.ArrivedAt is not null || Input.TripNumber is not null;
        var input = new RegisterPerson.Input(Input.Name, Input.Gender, Input.DocumentType, Input.IdNumber, Input.Phone, Input.CompoundId, Input.HouseholdId,
            Input.Address, [.. Input.Categories],
            hasTravel ? new RegisterPerson.TravelInput(Input.TravelFrom, Local(Input.LeftAt), Local(Input.ArrivedAt), Input.Transport, Input.TripNumber, Input.Companions) : null,
            Input.Note);
        try
        {
            var p = await register.RegisterAsync(input);
            TempData["Flash"] = "已登记。";
            return RedirectToPage("/People/Detail", new { id = p.Id });
        }
        catch (ValidationFailedException e)
        {
            foreach (var (field, messages) in e.Errors.ToDictionary())
            {
                var key = "Input." + (field.StartsWith("travel.", StringComparison.Ordinal)
                    ? (field[7..] == "from" ? "TravelFrom" : char.ToUpperInvariant(field[7]) + field[8..])
                    : char.ToUpperInvariant(field[0]) + field[1..]);
                foreach (var m in messages) ModelState.AddModelError(key, m);
            }
        }
        catch (RegisterPerson.DuplicateException d)
        {
            ExistingId = d.ExistingId;
            OwnerArea = d.OwnerArea;
            ModelState.AddModelError("Input.IdNumber", d.ExistingId is null ? $"该证件号码已由{d.OwnerArea}登记" : "该证件号码已登记");
        }
        await LoadAsync();
        return Page();
    }
}
