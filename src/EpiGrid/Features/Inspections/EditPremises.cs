using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Inspections;

/// <summary>The premises register: add and edit a market, pharmacy, food shop or restaurant — for the page and the API.</summary>
public sealed class EditPremises(AppDbContext db, OfficeClock clock)
{
    public sealed record PremisesInput(PremisesKind? Kind, string? Name, string? Address, string? Licence, Guid? CompoundId, bool? IsActive);

    public async Task<Premises> CreateAsync(PremisesInput input)
    {
        var p = new Premises { CreatedAt = clock.UtcNow };
        await ApplyAsync(p, input);
        db.Add(p);
        await db.SaveChangesAsync();
        return p;
    }

    public async Task<Premises?> UpdateAsync(Guid id, PremisesInput input)
    {
        var p = await db.Set<Premises>().FirstOrDefaultAsync(x => x.Id == id);
        if (p is null) return null;
        await ApplyAsync(p, input);
        await db.SaveChangesAsync();
        return p;
    }

    private async Task ApplyAsync(Premises p, PremisesInput input)
    {
        var errors = new Errors();
        var kind = errors.Required("kind", input.Kind);
        var name = errors.Text("name", input.Name, 100);
        var address = errors.Text("address", input.Address, 200, required: false);
        var licence = errors.Text("licence", input.Licence, 50, required: false);
        var compoundId = errors.Required("compoundId", input.CompoundId);
        // The scoped Areas: a compound outside the caller's scope does not exist for them.
        if (compoundId is { } c && !await db.Areas.AnyAsync(a => a.Id == c && a.Kind == AreaKind.Compound)) errors.Add("compoundId", "小区不存在");
        else if (name is not null && compoundId is { } c2 && await db.Set<Premises>().IgnoreQueryFilters().AnyAsync(x => x.CompoundId == c2 && x.Name == name && x.Id != p.Id))
        {
            errors.Add("name", "该小区已登记同名场所");
        }
        if (kind is { } k && !Enum.IsDefined(k)) errors.Add("kind", "场所类型无效");
        errors.Throw();

        p.Kind = kind!.Value;
        p.Name = name!;
        p.Address = address;
        p.Licence = licence;
        p.CompoundId = compoundId!.Value;
        p.IsActive = input.IsActive ?? true;
    }
}
