using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Alerts;

/// <summary>
/// An alert nobody acknowledged within 10 minutes (setting) goes up: marked escalated, pushed again to every page
/// covering it (the leaders see it flagged), and sent out through the notifier — once, even with two nodes.
/// </summary>
public sealed class EscalationRule(AppDbContext db, OfficeClock clock, AlertPush push, AlertDeliveries deliveries, IOptions<AlertOptions> options) : IPeriodicCheck
{
    public async Task RunAsync(CancellationToken ct)
    {
        var now = clock.UtcNow;
        var limit = now.AddMinutes(-options.Value.AcknowledgeWithinMinutes);
        var due = await db.Set<Alert>().AsNoTracking().Where(a => a.Status == AlertStatus.Open && a.EscalatedAt == null && a.CreatedAt <= limit).ToListAsync(ct);
        foreach (var a in due)
        {
            // Marked escalated and its message queued in one transaction: once, even with two nodes, and never lost.
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                var changed = await db.Set<Alert>().Where(x => x.Id == a.Id && x.EscalatedAt == null && x.Status == AlertStatus.Open)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.EscalatedAt, now), ct);
                if (changed == 0) continue;
                a.EscalatedAt = now;
                deliveries.Enqueue(db, push.MessageOf(a, escalated: true), now);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            await push.SendAsync(db, a, escalated: true, ct);
        }
    }
}
