using EpiGrid.Platform.Validation;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace EpiGrid.Platform.Web;

public static class PageErrors
{
    /// <summary>Marks on the page the fields a use case rejected (its field names are the API's camelCase ones).</summary>
    public static void AddFrom(this ModelStateDictionary modelState, ValidationFailedException e, string prefix = "Input.")
    {
        foreach (var (field, messages) in e.Errors.ToDictionary())
        {
            var key = prefix + char.ToUpperInvariant(field[0]) + field[1..];
            foreach (var m in messages) modelState.AddModelError(key, m);
        }
    }
}
