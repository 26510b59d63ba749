using EpiGrid.Data;
using EpiGrid.Features.Observation;
using EpiGrid.Features.People;
using EpiGrid.Features.Tasks;
using EpiGrid.Platform;
using EpiGrid.Platform.Audit;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Feed;

/// <summary>
/// The change feed: every registration, category change, check, attempt, observation start and release of the
/// last hours in the caller's scope, newest first.
/// </summary>
public sealed class ChangeFeed(AppDbContext db, OfficeClock clock)
{
    public sealed record Entry(DateTimeOffset At, string Kind, Guid PersonId, string PersonName, string Text);

    public async Task<List<Entry>> LoadAsync(int hours, CancellationToken ct = default)
    {
        if (hours is < 1 or > 168) new Errors().Add("hours", "小时数应在 1 到 168 之间").Throw();
        var since = clock.UtcNow.AddHours(-hours);
        var raw = new List<(DateTime At, string Kind, Guid PersonId, string Text)>();
        raw.AddRange((await db.Set<Person>().AsNoTracking().Where(p => p.CreatedAt >= since).Select(p => new { p.CreatedAt, p.Id, p.Address }).ToListAsync(ct))
            .Select(p => (p.CreatedAt, "Registered", p.Id, $"登记：{p.Address}")));
        raw.AddRange((await db.Set<HealthCheck>().AsNoTracking().Where(c => c.TakenAt >= since).Select(c => new { c.TakenAt, c.PersonId, c.Temperature, c.Fever }).ToListAsync(ct))
            .Select(c => (c.TakenAt, c.Fever ? "Fever" : "Check", c.PersonId, $"体温 {c.Temperature:0.0}℃{(c.Fever ? "（发热）" : "")}")));
        raw.AddRange((await db.Set<Attempt>().AsNoTracking().Where(a => a.At >= since).Select(a => new { a.At, a.PersonId, a.Outcome, a.Method }).ToListAsync(ct))
            .Select(a => (a.At, "Attempt", a.PersonId, $"{(a.Method == AttemptMethod.Visit ? "上门" : "电话")}核查：{Attempt.OutcomeName(a.Outcome)}")));
        var orders = await db.Set<QuarantineOrder>().AsNoTracking().Where(o => o.CreatedAt >= since || o.ClosedAt >= since).ToListAsync(ct);
        raw.AddRange(orders.Where(o => o.CreatedAt >= since).Select(o => (o.CreatedAt, "Observation", o.PersonId, $"开始{QuarantineOrder.KindName(o.Kind)}，至 {clock.Format(o.EndsAt)}")));
        raw.AddRange(orders.Where(o => o.ClosedAt >= since).Select(o => (o.ClosedAt!.Value, o.Status == QuarantineStatus.Released ? "Released" : "Closed", o.PersonId, QuarantineOrder.StatusName(o.Status))));
        // Category changes come from the audit log (the only place that keeps removals); only people in scope are kept below.
        var cats = await db.Set<AuditEntry>().AsNoTracking().Where(a => a.Entity == nameof(PersonCategoryRow) && a.At >= since).Select(a => new { a.At, a.Action, a.EntityId }).ToListAsync(ct);
        foreach (var c in cats)
        {
            var parts = c.EntityId.Split(',');
            if (parts.Length == 2 && Guid.TryParse(parts[0], out var pid) && Enum.TryParse<PersonCategory>(parts[1], out var cat))
            {
                raw.Add((c.At, "Category", pid, $"{(c.Action == "Delete" ? "移出" : "列为")}{Person.CategoryName(cat)}"));
            }
        }
        var ids = raw.Select(r => r.PersonId).Distinct().ToList();
        var names = await db.Set<Person>().AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        return [.. raw.Where(r => names.ContainsKey(r.PersonId)).OrderByDescending(r => r.At).Take(500)
            .Select(r => new Entry(clock.WithOffset(r.At), r.Kind, r.PersonId, names[r.PersonId], r.Text))];
    }

    public static void MapFeedApi(IEndpointRouteBuilder app) =>
        app.MapGet("/api/feed", async (ChangeFeed feed, int? hours) => TypedResults.Ok(await feed.LoadAsync(hours ?? 24)))
            .WithTags("People").RequireAuthorization(Rights.ReadPeople);
}
