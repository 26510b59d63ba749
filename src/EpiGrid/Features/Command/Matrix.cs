using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Command;

/// <summary>
/// The responsibility matrix (包抓) of the caller's scope: for each compound, who answers for it; the compounds
/// nobody covers (gaps); and for each leader or cadre, their compounds.
/// </summary>
public sealed class Matrix(AppDbContext db, TimeProvider time)
{
    public sealed record Person(Guid UserId, string Name, ResponsibilityRole Role);
    public sealed record CompoundRow(Guid CompoundId, string CompoundName, string CommunityName, IReadOnlyList<Person> People)
    {
        public bool IsGap => People.Count == 0;
    }
    public sealed record CadreRow(Guid UserId, string Name, IReadOnlyList<(Guid Id, string Name, ResponsibilityRole Role)> Compounds)
    {
        /// <summary>People under watch (active) in their compounds.</summary>
        public int People { get; init; }
        public int OpenTasks { get; init; }
        public int Overdue { get; init; }
    }

    public async Task<List<CompoundRow>> CompoundsAsync(CancellationToken ct = default)
    {
        var compounds = await db.Areas.AsNoTracking().Where(a => a.Kind == AreaKind.Compound)
            .OrderBy(x => x.Code).Select(c => new { c.Id, c.Name, c.Code, c.ParentId }).ToListAsync(ct);
        // The communities by name, in a query of their own: a user scoped to a compound still sees its community's name.
        var parentIds = compounds.Select(c => c.ParentId).Distinct().ToList();
        var parents = await db.Areas.IgnoreQueryFilters().AsNoTracking().Where(a => parentIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var lines = await db.Set<Responsibility>().AsNoTracking()
            .Join(db.Users, r => r.UserId, u => u.Id, (r, u) => new { r.CompoundId, r.UserId, u.DisplayName, r.Role })
            .ToListAsync(ct);
        var byCompound = lines.ToLookup(l => l.CompoundId);
        return [.. compounds.Select(c => new CompoundRow(c.Id, c.Name, parents.GetValueOrDefault(c.ParentId ?? Guid.Empty, ""),
            [.. byCompound[c.Id].OrderBy(l => l.Role).Select(l => new Person(l.UserId, l.DisplayName, l.Role))]))];
    }

    public async Task<List<CadreRow>> CadresAsync(CancellationToken ct = default)
    {
        var rows = await CompoundsAsync(ct);
        // Their load: two grouped queries, whatever the number of cadres.
        var people = await db.Set<People.Person>().Where(p => p.Status == People.PersonStatus.Active).GroupBy(p => p.CompoundId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var tasks = await db.Set<Tasks.WorkTask>().Where(t => t.Status == Tasks.WorkTaskStatus.Open && t.AssigneeId != null).GroupBy(t => t.AssigneeId)
            .Select(g => new { g.Key, Open = g.Count(), Overdue = g.Count(t => t.DueAt < now) }).ToDictionaryAsync(x => x.Key!.Value, ct);
        return [.. rows.SelectMany(r => r.People.Select(p => (p, r)))
            .GroupBy(x => (x.p.UserId, x.p.Name))
            .OrderBy(g => g.Key.Name)
            .Select(g => new CadreRow(g.Key.UserId, g.Key.Name, [.. g.Select(x => (x.r.CompoundId, x.r.CompoundName, x.p.Role))])
            {
                People = g.Sum(x => people.GetValueOrDefault(x.r.CompoundId)),
                OpenTasks = tasks.TryGetValue(g.Key.UserId, out var t) ? t.Open : 0,
                Overdue = tasks.TryGetValue(g.Key.UserId, out var t2) ? t2.Overdue : 0,
            })];
    }
}
