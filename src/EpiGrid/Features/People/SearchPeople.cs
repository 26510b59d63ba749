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

    /// <param name="all">
    /// The caller reads every match (an export), not the first page: a category filter is then an IN over the category's
    /// rows (the database starts from them and sorts the matches) rather than an EXISTS per person in name order, which
    /// suits a first page but probes every person of the register when all matches are read (13 s against 3 s for
    /// 100,000 close contacts among a million, bench/README.md).
    /// </param>
    public static async Task<IQueryable<Person>> QueryAsync(AppDbContext db, Filter f, bool all = false, CancellationToken ct = default)
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
        if (f.Category is { } c && all)
        {
            var ids = db.Set<PersonCategoryRow>().Where(r => r.Category == c).Select(r => r.PersonId);
            q = q.Where(p => ids.Contains(p.Id));
        }
        else if (f.Category is { } k) q = q.Where(p => db.Set<PersonCategoryRow>().Any(r => r.PersonId == p.Id && r.Category == k));
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
