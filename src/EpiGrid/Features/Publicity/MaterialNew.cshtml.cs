using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EpiGrid.Features.Publicity;

/// <summary>A new material: a poster, a command order, a letter.</summary>
[Authorize(Policy = Rights.Publicity)]
public sealed class MaterialNewModel(EditPublicity edit) : PageModel
{
    public sealed class Form
    {
        public MaterialKind? Kind { get; set; }
        public string? Title { get; set; }
        public string? Issuer { get; set; }
        public DateOnly? IssuedOn { get; set; }
        public string? Note { get; set; }
    }

    [BindProperty] public Form Input { get; set; } = new();

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        try
        {
            await edit.CreateMaterialAsync(new EditPublicity.MaterialInput(Input.Kind, Input.Title, Input.Issuer, Input.IssuedOn, Input.Note));
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e);
            return Page();
        }
        TempData["Flash"] = "宣传材料已登记。";
        return RedirectToPage("/Publicity/Index");
    }
}
