using EpiGrid.Data;
using EpiGrid.Features.Tasks;
using EpiGrid.Platform;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Observation;

/// <summary>What the person's page shows below the facts: orders, checks, tasks with their attempts, care, moves, and the timeline of it all.</summary>
public sealed class PersonFollowUp(AppDbContext db, OfficeClock clock)
{
    public sealed record TimelineEntry(DateTime At, string Icon, string What, string? Detail, string Css);
    public sealed record View(List<QuarantineOrder> Orders, List<HealthCheck> Checks, List<WorkTask> OpenTasks, List<TimelineEntry> Timeline)
    {
        public QuarantineOrder? Active => Orders.FirstOrDefault(o => o.Status == QuarantineStatus.Active);
    }

    public async Task<View> LoadAsync(Guid personId, CancellationToken ct = default)
    {
        var orders = await db.Set<QuarantineOrder>().AsNoTracking().Where(o => o.PersonId == personId).OrderByDescending(o => o.StartsAt).ToListAsync(ct);
        var checks = await db.Set<HealthCheck>().AsNoTracking().Where(c => c.PersonId == personId).OrderByDescending(c => c.TakenAt).Take(60).ToListAsync(ct);
        var tasks = await db.Set<WorkTask>().AsNoTracking().Where(t => t.PersonId == personId).OrderByDescending(t => t.CreatedAt).ToListAsync(ct);
        var attempts = await db.Set<Attempt>().AsNoTracking().Where(a => a.PersonId == personId).OrderByDescending(a => a.At).Take(100)
            .Join(db.Users, a => a.ByUserId, u => u.Id, (a, u) => new { a, u.DisplayName }).ToListAsync(ct);
        var care = await db.Set<CareRecord>().AsNoTracking().Where(c => c.PersonId == personId).OrderByDescending(c => c.At).Take(100)
            .Join(db.Users, c => c.ByUserId, u => u.Id, (c, u) => new { c, u.DisplayName }).ToListAsync(ct);

        // Moves to another compound leave no row of their own: their one audit entry is the record (ADR-018).
        var moves = await People.MovePerson.HistoryAsync(db, personId, ct);

        var timeline = new List<TimelineEntry>();
        foreach (var (at, m) in moves) timeline.Add(new(at, "bi-arrow-left-right", $"移交：{m.FromName} → {m.ToName}", m.Reason, "timeline-item"));
        foreach (var o in orders)
        {
            timeline.Add(new(o.CreatedAt, "bi-house-lock", $"开始{QuarantineOrder.KindName(o.Kind)}", $"至 {clock.Format(o.EndsAt)}{(o.Site is null ? "" : "，" + o.Site)}", "timeline-item"));
            if (o.ClosedAt is { } c) timeline.Add(new(c, "bi-check2-circle", QuarantineOrder.StatusName(o.Status), o.ClosingNote, o.Status == QuarantineStatus.Released ? "timeline-item timeline-closed" : "timeline-item"));
        }
        foreach (var c in checks)
        {
            timeline.Add(new(c.TakenAt, "bi-thermometer-half", $"体温 {c.Temperature:0.0}℃", string.Join("、", c.SymptomList.Select(HealthCheck.SymptomName)) + (c.ClinicOutcome is null ? "" : $" 发热门诊：{c.ClinicOutcome}"),
                c.Fever ? "timeline-item timeline-overdue" : "timeline-item"));
        }
        foreach (var t in tasks) timeline.Add(new(t.CreatedAt, "bi-clipboard", $"任务：{WorkTask.KindName(t.Kind)}", t.Note, "timeline-item"));
        foreach (var a in attempts) timeline.Add(new(a.a.At, a.a.Method == AttemptMethod.Visit ? "bi-door-open" : "bi-telephone", $"{(a.a.Method == AttemptMethod.Visit ? "上门" : "电话")}：{Attempt.OutcomeName(a.a.Outcome)}",
            $"{a.DisplayName}{(a.a.Note is null ? "" : "：" + a.a.Note)}", a.a.Outcome == AttemptOutcome.Reached ? "timeline-item timeline-closed" : "timeline-item"));
        foreach (var c in care) timeline.Add(new(c.c.At, "bi-heart", CareRecord.KindName(c.c.Kind), $"{c.DisplayName}：{c.c.Note}", "timeline-item"));
        return new View(orders, checks, [.. tasks.Where(t => t.Status == WorkTaskStatus.Open)], [.. timeline.OrderByDescending(e => e.At)]);
    }
}
