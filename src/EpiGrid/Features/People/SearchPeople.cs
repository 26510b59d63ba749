using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.People;

/// <summary>
/// The people list: <c>q</c> matches the start of the name, or the last 4 characters of the ID number or phone;
/// filters by category, status and area (a community or compound). Server-side paging; the benchmark
/// (bench/) measures this very query at a million people.
/// </summary>
public static class SearchPeople
{
    public sealed record Filter(string? Q, PersonCategory? Category, PersonStatus? Status, Guid? AreaId);

    public sealed record Row(Guid Id, string Name, Gender Gender, string IdNumberMasked, string? PhoneMasked, Guid CompoundId,
        string Address, PersonStatus Status, DateTime CreatedAt);

    public static async Task<IQueryable<Person>> QueryAsync(AppDbContext db, Filter f, CancellationToken ct = default)
    {
        var q = db.Set<Person>().AsNoTracking();
        var text = f.Q?.Trim();
        if (!string.IsNullOrEmpty(text))
        {
            var upper = text.ToUpperInvariant();
            if (text.Length == 4 && upper.All(c => char.IsAsciiDigit(c) || c == 'X'))
            {
                q = q.Where(p => p.IdNumberLast4 == upper || p.PhoneLast4 == upper);
            }
            else
            {
                // A range on the name (not LIKE) so that an ordinary index serves it on both databases.
                var end = text + '\uffff';
                q = q.Where(p => string.Compare(p.Name, text) >= 0 && string.Compare(p.Name, end) < 0);
            }
        }
        if (f.Category is { } c) q = q.Where(p => db.Set<PersonCategoryRow>().Any(r => r.PersonId == p.Id && r.Category == c));
        if (f.Status is { } s) q = q.Where(p => p.Status == s);
        if (f.AreaId is { } areaId)
        {
            var area = await db.Areas.AsNoTracking().FirstOrDefaultAsync(a => a.Id == areaId, ct);
            if (area is null) return q.Where(_ => false);
            if (area.Kind == AreaKind.Compound) q = q.Where(p => p.CompoundId == areaId);
            else
            {
                var compounds = await db.Areas.AsNoTracking().Where(a => a.Kind == AreaKind.Compound && a.Path.StartsWith(area.Path)).Select(a => a.Id).ToListAsync(ct);
                q = q.Where(p => compounds.Contains(p.CompoundId));
            }
        }
        return q;
    }

    public static IQueryable<Row> Rows(IQueryable<Person> q) =>
        q.OrderBy(p => p.Name).ThenBy(p => p.Id)
         .Select(p => new Row(p.Id, p.Name, p.Gender, p.IdNumberMasked, p.PhoneMasked, p.CompoundId, p.Address, p.Status, p.CreatedAt));

    /// <summary>The categories of a page of people, in one query.</summary>
    public static async Task<ILookup<Guid, PersonCategory>> CategoriesAsync(AppDbContext db, IEnumerable<Guid> ids, CancellationToken ct = default)
    {
        var list = ids.ToList();
        var rows = await db.Set<PersonCategoryRow>().AsNoTracking().Where(r => list.Contains(r.PersonId)).ToListAsync(ct);
        return rows.ToLookup(r => r.PersonId, r => r.Category);
    }
}
