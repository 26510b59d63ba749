using System.Text.Json;
using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Audit;
using EpiGrid.Platform.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Features.Alerts;

/// <summary>
/// An alert (or its escalation) on its way out through the notifiers (the webhook): the outbox. The row is written in the
/// same transaction as the alert, so an alert that is stored is also sent, whatever happens to the process; it is sent
/// after the commit, off the request (a gate keeper at a feverish visitor never waits for the webhook), and retried with
/// growing pauses until the receiver takes it or a day has passed. Delivery is at least once: a receiver tells a repeat by
/// the alert's id and <c>escalated</c>. Once sent (or given up) the copy of the message is emptied: no names stay here.
/// </summary>
[NotAudited] // the outbox's own bookkeeping; the alert itself is audited
public sealed class AlertDelivery
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid AlertId { get; set; }
    public bool Escalated { get; set; }
    /// <summary>The message as JSON (<see cref="AlertMessage"/>), as it was when the alert was raised or escalated.</summary>
    public string Payload { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    /// <summary>When the next attempt may start; while an attempt runs, how long it holds the row.</summary>
    public DateTime NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public DateTime? GaveUpAt { get; set; }
    public string? LastError { get; set; }
}

internal sealed class AlertDeliveryConfiguration : IEntityTypeConfiguration<AlertDelivery>
{
    public void Configure(EntityTypeBuilder<AlertDelivery> b)
    {
        b.Property(d => d.Payload).HasMaxLength(4000);
        b.Property(d => d.LastError).HasMaxLength(300);
        // Only the rows still to send are indexed: the outbox is read by "due now".
        b.HasIndex(d => d.NextAttemptAt).HasFilter("\"DeliveredAt\" IS NULL AND \"GaveUpAt\" IS NULL");
        b.HasIndex(d => d.AlertId);
        b.HasOne<Alert>().WithMany().HasForeignKey(d => d.AlertId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Writes alert messages to the outbox and sends what is due (<see cref="AlertDelivery"/>).</summary>
public sealed class AlertDeliveries(IServiceScopeFactory scopes, IEnumerable<IAlertNotifier> notifiers, ILogger<AlertDeliveries> log)
{
    /// <summary>The pause after the n-th failed attempt (the last one repeats).</summary>
    internal static readonly TimeSpan[] Pauses =
        [TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10),
         TimeSpan.FromMinutes(30), TimeSpan.FromHours(1)];
    /// <summary>A message not taken within this long after the alert is given up (and logged as an error).</summary>
    internal static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(24);
    /// <summary>How long an attempt in progress holds its row: if its node dies, another node tries again after this.</summary>
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(2);

    private readonly IAlertNotifier[] _notifiers = [.. notifiers];
    private int _kick; // 0 idle, 1 sending, 2 sending and asked again

    /// <summary>True when some notifier is configured (a webhook URL is set): only then are messages kept.</summary>
    public bool Enabled => _notifiers.Any(n => n.Enabled);

    /// <summary>Adds the message to the outbox in <paramref name="db"/>'s pending save (the alert's own transaction).</summary>
    public void Enqueue(DbContext db, AlertMessage message, DateTime nowUtc)
    {
        if (!Enabled) return;
        // A save attempted twice must not queue the same message twice.
        if (db.ChangeTracker.Entries<AlertDelivery>().Any(e => e.Entity.AlertId == message.Id && e.Entity.Escalated == message.Escalated)) return;
        db.Add(new AlertDelivery
        {
            AlertId = message.Id,
            Escalated = message.Escalated,
            Payload = JsonSerializer.Serialize(message, WebhookNotifier.AlertJson),
            CreatedAt = nowUtc,
            NextAttemptAt = nowUtc,
        });
    }

    /// <summary>After a commit that queued messages: sends what is due now, in the background (the caller does not wait).
    /// Kicks while sending make it look again once it is done, so nothing waits for the periodic run.</summary>
    public void Kick()
    {
        if (!Enabled) return;
        while (true)
        {
            var state = Volatile.Read(ref _kick);
            if (state == 2) return;
            if (Interlocked.CompareExchange(ref _kick, state + 1, state) != state) continue;
            if (state == 0) _ = Task.Run(SendKickedAsync);
            return;
        }
    }

    private async Task SendKickedAsync()
    {
        while (true)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await SendDueAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(),
                    scope.ServiceProvider.GetRequiredService<OfficeClock>(), CancellationToken.None);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                log.LogWarning(e, "Sending queued alert messages failed; the periodic run will try again");
            }
            if (Interlocked.CompareExchange(ref _kick, 0, 1) == 1) return;
            Volatile.Write(ref _kick, 1);
        }
    }

    /// <summary>Sends every message that is due. Each attempt is claimed first, so two nodes (or a kick and the periodic
    /// run) never send the same attempt twice.</summary>
    public async Task<int> SendDueAsync(AppDbContext db, OfficeClock clock, CancellationToken ct)
    {
        if (!Enabled) return 0;
        var now = clock.UtcNow;
        var due = await db.Set<AlertDelivery>().AsNoTracking()
            .Where(d => d.DeliveredAt == null && d.GaveUpAt == null && d.NextAttemptAt <= now)
            .OrderBy(d => d.NextAttemptAt).Take(200).ToListAsync(ct);
        var sent = 0;
        foreach (var d in due)
        {
            var claimed = await db.Set<AlertDelivery>()
                .Where(x => x.Id == d.Id && x.Attempts == d.Attempts && x.DeliveredAt == null && x.GaveUpAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Attempts, d.Attempts + 1).SetProperty(x => x.NextAttemptAt, now + Hold), ct);
            if (claimed == 0) continue;
            var attempts = d.Attempts + 1;
            try
            {
                foreach (var n in _notifiers.Where(n => n.Enabled)) await n.SendAsync(d.Payload, ct);
                await db.Set<AlertDelivery>().Where(x => x.Id == d.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.DeliveredAt, clock.UtcNow).SetProperty(x => x.Payload, "").SetProperty(x => x.LastError, (string?)null), ct);
                sent++;
            }
            // Any failure of the send (refused, timed out, an unusable URL) counts as an attempt: retried, given up after a
            // day — never a row claimed again every two minutes forever. Only our own cancellation (shutdown) is not.
            catch (Exception e) when (!ct.IsCancellationRequested && e is not OutOfMemoryException)
            {
                var error = e.Message.Length > 300 ? e.Message[..300] : e.Message;
                var next = now + Pauses[Math.Min(attempts - 1, Pauses.Length - 1)];
                if (next - d.CreatedAt > GiveUpAfter)
                {
                    log.LogError("Alert {AlertId} (escalated: {Escalated}) was not taken by the notifier in {Attempts} attempts over a day; given up: {Error}",
                        d.AlertId, d.Escalated, attempts, error);
                    await db.Set<AlertDelivery>().Where(x => x.Id == d.Id).ExecuteUpdateAsync(s => s
                        .SetProperty(x => x.GaveUpAt, now).SetProperty(x => x.Payload, "").SetProperty(x => x.LastError, error), CancellationToken.None);
                }
                else
                {
                    log.LogWarning("Alert {AlertId} not taken by the notifier (attempt {Attempts}): {Error}; next attempt at {Next:u}", d.AlertId, attempts, error, next);
                    await db.Set<AlertDelivery>().Where(x => x.Id == d.Id).ExecuteUpdateAsync(s => s
                        .SetProperty(x => x.NextAttemptAt, next).SetProperty(x => x.LastError, error), CancellationToken.None);
                }
            }
        }
        return sent;
    }
}

/// <summary>The periodic run of the outbox (once across nodes): retries what failed, and what a dead node left.</summary>
public sealed class SendQueuedAlerts(AppDbContext db, OfficeClock clock, AlertDeliveries deliveries) : IPeriodicCheck
{
    public Task RunAsync(CancellationToken ct) => deliveries.SendDueAsync(db, clock, ct);
}
