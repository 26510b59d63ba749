using EpiGrid.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;

namespace EpiGrid.Platform.Jobs;

/// <summary>
/// Which node runs a periodic check (ADR-014). One row per check: the holder runs it each interval and so renews
/// the lease; another node takes it over only once <see cref="LeaseUntil"/> has passed (the holder died or hangs).
/// <see cref="LastSlot"/> is the interval number last run, so one interval runs once even around a takeover.
/// </summary>
[Audit.NotAudited]
public sealed class JobLease
{
    public string Name { get; set; } = "";
    public string Holder { get; set; } = "";
    public DateTime LeaseUntil { get; set; }
    public long LastSlot { get; set; }
}

/// <summary>One run of a periodic check: where and when. What an operator reads to see that the scheduler is alive;
/// kept two days.</summary>
[Audit.NotAudited]
public sealed class JobRun
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string Node { get; set; } = "";
    public long Slot { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public bool Failed { get; set; }
}

internal sealed class JobLeaseConfiguration : IEntityTypeConfiguration<JobLease>
{
    public void Configure(EntityTypeBuilder<JobLease> b)
    {
        b.HasKey(l => l.Name);
        b.Property(l => l.Name).HasMaxLength(100);
        b.Property(l => l.Holder).HasMaxLength(100);
    }
}

internal sealed class JobRunConfiguration : IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<JobRun> b)
    {
        b.Property(r => r.Name).HasMaxLength(100);
        b.Property(r => r.Node).HasMaxLength(100);
        b.HasIndex(r => new { r.Name, r.StartedAt });
    }
}

/// <summary>Takes and renews the leases of the periodic checks, with one atomic UPDATE each.</summary>
public sealed class JobLeases(IServiceScopeFactory scopes, TimeProvider time, IOptions<JobOptions> options)
{
    private static readonly TimeSpan KeepRuns = TimeSpan.FromDays(2);

    public string NodeId { get; } = options.Value.NodeId is { Length: > 0 } n ? n
        : $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>
    /// Takes (or renews) the check's lease for the current interval. Returns the id of the run to record, or null when
    /// another node holds the lease or this interval has already run.
    /// </summary>
    public async Task<long?> TryStartAsync(PeriodicCheckRegistration check, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var interval = options.Value.IntervalOf(check);
        var until = now + options.Value.LeaseOf(check);
        var slot = now.Ticks / interval.Ticks;
        var name = check.Check.Name;
        var me = NodeId;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var taken = await db.Set<JobLease>()
            .Where(l => l.Name == name && l.LastSlot < slot && (l.Holder == me || l.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, me).SetProperty(l => l.LeaseUntil, until).SetProperty(l => l.LastSlot, slot), ct);
        if (taken == 0)
        {
            if (await db.Set<JobLease>().AnyAsync(l => l.Name == name, ct)) return null;
            try
            {
                // The first run of this check anywhere: the row's primary key lets one node in.
                db.Add(new JobLease { Name = name, Holder = me, LeaseUntil = until, LastSlot = slot });
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                return null;
            }
            db.ChangeTracker.Clear();
        }

        var run = new JobRun { Name = name, Node = me, Slot = slot, StartedAt = now };
        db.Add(run);
        await db.SaveChangesAsync(ct);
        var cutoff = now - KeepRuns;
        await db.Set<JobRun>().Where(r => r.Name == name && r.StartedAt < cutoff).ExecuteDeleteAsync(ct);
        return run.Id;
    }

    public async Task FinishAsync(long runId, bool failed, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Set<JobRun>().Where(r => r.Id == runId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.FinishedAt, now).SetProperty(r => r.Failed, failed), ct);
    }
}
