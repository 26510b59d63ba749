using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Inspections;

/// <summary>The inspection form, made for a phone: the checklist as big buttons, photos from the camera, the order when something failed.</summary>
[Authorize(Policy = Rights.FieldWork)]
[RequestSizeLimit(Platform.Web.BodyLimits.Uploads)]
public sealed class InspectModel(AppDbContext db, RecordInspection record, OfficeClock clock) : PageModel
{
    public sealed class Form
    {
        public DateOnly? Date { get; set; }
        public string? Inspectors { get; set; }
        public CheckResult? WildAnimals { get; set; }
        public CheckResult? FeverMedicineRegister { get; set; }
        public CheckResult? StaffMasks { get; set; }
        public CheckResult? Disinfection { get; set; }
        public CheckResult? Other { get; set; }
        public string? OtherNote { get; set; }
        public string? Findings { get; set; }
        public string? RectificationRequirement { get; set; }
        public DateOnly? RectificationDeadline { get; set; }
        public List<IFormFile> Photos { get; set; } = [];
    }

    [BindProperty] public Form Input { get; set; } = new();
    public Premises Premises { get; private set; } = null!;
    public Rectification? OpenOrder { get; private set; }

    public CheckResult? AnswerOf(string field) => field switch
    {
        "wildAnimals" => Input.WildAnimals,
        "feverMedicineRegister" => Input.FeverMedicineRegister,
        "staffMasks" => Input.StaffMasks,
        "disinfection" => Input.Disinfection,
        _ => Input.Other,
    };

    public static string PropertyOf(string field) => char.ToUpperInvariant(field[0]) + field[1..];

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (!await LoadAsync(id)) return NotFound();
        var name = User.DisplayName();
        var cut = name.IndexOf('（', StringComparison.Ordinal);
        Input = new Form
        {
            Date = clock.Today,
            Inspectors = cut > 0 ? name[..cut] : name,
            WildAnimals = CheckResult.Pass,
            FeverMedicineRegister = Premises.Kind == PremisesKind.Pharmacy ? CheckResult.Pass : CheckResult.NotApplicable,
            StaffMasks = CheckResult.Pass,
            Disinfection = CheckResult.Pass,
            Other = CheckResult.NotApplicable,
            RectificationDeadline = clock.Today.AddDays(3),
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (!await LoadAsync(id)) return NotFound();
        var failed = new[] { Input.WildAnimals, Input.FeverMedicineRegister, Input.StaffMasks, Input.Disinfection, Input.Other }.Contains(CheckResult.Fail);
        // The form always carries the order's fields; they count only when something failed.
        var input = new RecordInspection.InspectionInput(Input.Date, Input.Inspectors, Input.WildAnimals, Input.FeverMedicineRegister, Input.StaffMasks,
            Input.Disinfection, Input.Other, Input.OtherNote, Input.Findings,
            failed ? Input.RectificationRequirement : null, failed ? Input.RectificationDeadline : null);
        try
        {
            var inspection = await record.RecordAsync(id, input, [.. Input.Photos.Select(PhotoUpload.From)]);
            if (inspection is null) return NotFound();
            TempData["Flash"] = inspection.Passed ? "检查已登记：各项合格。" : "检查已登记，已下达整改通知。";
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e);
            return Page();
        }
        return Redirect($"/Inspections/Premises/{id}");
    }

    private async Task<bool> LoadAsync(Guid id)
    {
        var p = await db.Set<Premises>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == id);
        if (p is null) return false;
        Premises = p;
        OpenOrder = await db.Set<Rectification>().AsNoTracking().FirstOrDefaultAsync(r => r.PremisesId == id && r.Status == RectificationStatus.Open);
        return true;
    }
}
