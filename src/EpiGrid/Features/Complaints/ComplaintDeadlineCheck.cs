using EpiGrid.Data;
using EpiGrid.Features.Alerts;
using EpiGrid.Platform;
using EpiGrid.Platform.Jobs;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Complaints;

/// <summary>
/// Every minute: a ticket whose deadline has passed without an answer raises one <see cref="AlertKind.Overdue"/>
/// alert for the supervision group (in the ticket's area) and a line on its timeline — once per round.
/// </summary>
public sealed class ComplaintDeadlineCheck(AppDbContext db, TimeProvider time, OfficeClock clock, ILogger<ComplaintDeadlineCheck> log) : IPeriodicCheck
{
    /// <summary>The overdue alert of a ticket's round (round 1 carries no suffix).</summary>
    public static string DedupeKey(Guid complaintId, int round) => round == 1 ? $"complaint-overdue:{complaintId}" : $"complaint-overdue:{complaintId}:{round}";

    public async Task RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var late = await db.Set<Complaint>()
            .Where(c => (c.Status == ComplaintStatus.Received || c.Status == ComplaintStatus.Dispatched || c.Status == ComplaintStatus.Reopened)
                && c.OverdueAt == null && c.DueAt < now && c.MergedIntoId == null)
            .OrderBy(c => c.DueAt).Take(500).ToListAsync(ct);
        if (late.Count == 0) return;
        foreach (var c in late)
        {
            c.OverdueAt = now;
            db.Add(new ComplaintEvent
            {
                ComplaintId = c.Id, Seq = ++c.EventCount, At = now, Kind = ComplaintEventKind.Overdue, ActorName = "系统",
                Text = $"已超过办理时限（{clock.Format(c.DueAt)}），已提醒督办组",
            });
            await RaiseAlert.AddAsync(db, time, AlertKind.Overdue,
                $"工单 {c.Number}（{Complaint.Name(c.Category)}）超过办理时限 {clock.Format(c.DueAt)} 未答复", c.AreaId,
                dedupeKey: DedupeKey(c.Id, c.Round), ct: ct);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A step changed one of these tickets meanwhile; the next run looks again.
            log.LogInformation("Complaint deadline check: a ticket changed while it ran; retrying next time.");
        }
    }
}
