using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.People;

/// <summary>
/// Contacts as a chain: who a person was exposed to and who was exposed to them, a few steps each way, as nodes
/// and edges (only people in the caller's scope appear; others are counted, not named).
/// </summary>
public sealed class ContactChain(AppDbContext db, OfficeClock clock)
{
    public sealed record Node(Guid Id, string Name, PersonCategory[] Categories, int Depth);
    public sealed record Edge(Guid From, Guid To, DateTimeOffset? LastContactAt, string? Relation);
    public sealed record Graph(Guid Root, IReadOnlyList<Node> Nodes, IReadOnlyList<Edge> Edges, int HiddenOutOfScope);
    public sealed record LinkInput(Guid? SourcePersonId, DateTimeOffset? LastContactAt, string? Relation);

    public async Task<Graph?> LoadAsync(Guid root, int depth = 2, CancellationToken ct = default)
    {
        if (!await db.Set<Person>().AnyAsync(p => p.Id == root, ct)) return null;
        var seen = new Dictionary<Guid, int> { [root] = 0 };
        var edges = new List<ContactLink>();
        var frontier = new List<Guid> { root };
        for (var d = 1; d <= depth && frontier.Count > 0; d++)
        {
            var f = frontier;
            // Links are read across scope (a contact may live in another community); names only for those in scope.
            var links = await db.Set<ContactLink>().IgnoreQueryFilters().AsNoTracking()
                .Where(l => f.Contains(l.PersonId) || f.Contains(l.SourcePersonId)).ToListAsync(ct);
            frontier = [];
            foreach (var l in links)
            {
                if (edges.All(e => e.Id != l.Id)) edges.Add(l);
                foreach (var id in new[] { l.PersonId, l.SourcePersonId })
                {
                    if (seen.TryAdd(id, d)) frontier.Add(id);
                }
            }
        }
        var ids = seen.Keys.ToList();
        var people = await db.Set<Person>().AsNoTracking().Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.Name }).ToListAsync(ct);
        var categories = await SearchPeople.CategoriesAsync(db, people.Select(p => p.Id), ct);
        var visible = people.Select(p => p.Id).ToHashSet();
        return new Graph(root,
            [.. people.Select(p => new Node(p.Id, p.Name, [.. categories[p.Id].Order()], seen[p.Id])).OrderBy(n => n.Depth).ThenBy(n => n.Name)],
            [.. edges.Where(e => visible.Contains(e.PersonId) && visible.Contains(e.SourcePersonId))
                .Select(e => new Edge(e.SourcePersonId, e.PersonId, e.LastContactAt is { } t ? clock.WithOffset(t) : null, e.Relation))],
            ids.Count - visible.Count);
    }

    /// <summary>Records that <paramref name="personId"/> was exposed to the source person; makes them a close contact.</summary>
    public async Task<ContactLink?> LinkAsync(Guid personId, LinkInput input, CancellationToken ct = default)
    {
        var person = await db.Set<Person>().FirstOrDefaultAsync(p => p.Id == personId, ct);
        if (person is null) return null;
        var errors = new Errors();
        var source = errors.Required("sourcePersonId", input.SourcePersonId);
        var relation = errors.Text("relation", input.Relation, 100, required: false);
        if (source == personId) errors.Add("sourcePersonId", "不能与自己接触");
        else if (source is { } s && !await db.Set<Person>().AnyAsync(p => p.Id == s, ct)) errors.Add("sourcePersonId", "该人员不存在或不在您的辖区内");
        if (input.LastContactAt is { } at && at.UtcDateTime > clock.UtcNow.AddHours(1)) errors.Add("lastContactAt", "接触时间不能在未来");
        errors.Throw();
        var existing = await db.Set<ContactLink>().FirstOrDefaultAsync(l => l.PersonId == personId && l.SourcePersonId == source, ct);
        if (existing is not null)
        {
            existing.LastContactAt = input.LastContactAt?.UtcDateTime ?? existing.LastContactAt;
            existing.Relation = relation ?? existing.Relation;
        }
        else
        {
            existing = new ContactLink { PersonId = personId, SourcePersonId = source!.Value, CompoundId = person.CompoundId,
                LastContactAt = input.LastContactAt?.UtcDateTime, Relation = relation, CreatedAt = clock.UtcNow };
            db.Add(existing);
        }
        if (!await db.Set<PersonCategoryRow>().AnyAsync(c => c.PersonId == personId && c.Category == PersonCategory.CloseContact, ct))
        {
            db.Add(new PersonCategoryRow { PersonId = personId, Category = PersonCategory.CloseContact });
        }
        person.UpdatedAt = clock.UtcNow;
        await db.SaveChangesAsync(ct);
        return existing;
    }
}
