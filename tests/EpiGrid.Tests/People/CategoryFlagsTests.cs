using EpiGrid.Features.People;
using EpiGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Tests.People;

/// <summary>The database keeps People.CategoryFlags (triggers installed by the ReportsSpeed migration from the enum as it was
/// then). Every category of today's enum must set and clear the bit the report and the dashboard count by; a category
/// added later without a migration that installs the triggers again fails here, not silently as a zero on the dashboard.</summary>
public sealed class CategoryFlagsTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Every_category_sets_and_clears_its_bit_in_the_database()
    {
        var personId = Guid.Parse(await EpiGrid.Tests.Reports.ReportKit.RegisterAsync(app, "grid1", "春天大道", "FloatingPopulation", "标志位"));
        foreach (var category in Enum.GetValues<PersonCategory>())
        {
            await app.WithDbAsync(async db =>
            {
                if (!await db.Set<PersonCategoryRow>().IgnoreQueryFilters().AnyAsync(r => r.PersonId == personId && r.Category == category))
                {
                    db.Add(new PersonCategoryRow { PersonId = personId, Category = category });
                    await db.SaveChangesAsync();
                }
            });
            var flags = await app.WithDbAsync(db => db.Set<Person>().IgnoreQueryFilters().Where(p => p.Id == personId).Select(p => p.CategoryFlags).FirstAsync());
            Assert.True((flags & PersonCategoryFlags.Bit(category)) != 0, $"{category}: bit not set by the database");

            await app.WithDbAsync(db => db.Set<PersonCategoryRow>().IgnoreQueryFilters()
                .Where(r => r.PersonId == personId && r.Category == category).ExecuteDeleteAsync());
            flags = await app.WithDbAsync(db => db.Set<Person>().IgnoreQueryFilters().Where(p => p.Id == personId).Select(p => p.CategoryFlags).FirstAsync());
            Assert.True((flags & PersonCategoryFlags.Bit(category)) == 0, $"{category}: bit not cleared by the database");
        }
    }

    [Fact]
    public async Task A_category_whose_bit_is_already_set_keeps_every_bit_and_is_cleared_on_delete()
    {
        // The insert trigger skips people whose bit is set (the import writes the bit with the person): the outcome must be
        // the same as setting it again, and the other bits must stay.
        var personId = Guid.Parse(await EpiGrid.Tests.Reports.ReportKit.RegisterAsync(app, "grid1", "春天大道", "FloatingPopulation", "已置位"));
        var floating = PersonCategoryFlags.Bit(PersonCategory.FloatingPopulation);
        var fever = PersonCategoryFlags.Bit(PersonCategory.Fever);
        await app.WithDbAsync(db => db.Set<Person>().IgnoreQueryFilters().Where(p => p.Id == personId)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.CategoryFlags, floating | fever)));
        await app.WithDbAsync(async db =>
        {
            db.Add(new PersonCategoryRow { PersonId = personId, Category = PersonCategory.Fever });
            await db.SaveChangesAsync();
        });
        Assert.Equal(floating | fever, await FlagsAsync(personId));

        await app.WithDbAsync(db => db.Set<PersonCategoryRow>().IgnoreQueryFilters()
            .Where(r => r.PersonId == personId && r.Category == PersonCategory.Fever).ExecuteDeleteAsync());
        Assert.Equal(floating, await FlagsAsync(personId));

        // And a bit not set yet is still set by the insert.
        await app.WithDbAsync(async db =>
        {
            db.Add(new PersonCategoryRow { PersonId = personId, Category = PersonCategory.Confirmed });
            await db.SaveChangesAsync();
        });
        Assert.Equal(floating | PersonCategoryFlags.Bit(PersonCategory.Confirmed), await FlagsAsync(personId));
    }

    private Task<int> FlagsAsync(Guid personId) =>
        app.WithDbAsync(db => db.Set<Person>().IgnoreQueryFilters().Where(p => p.Id == personId).Select(p => p.CategoryFlags).FirstAsync());
}
