using Quartz;

namespace EpiGrid.Platform.Jobs;

/// <summary>
/// A use case the clock drives: "is anything overdue now?" It reads the time from the injected
/// <see cref="TimeProvider"/>, so a test runs it directly with a fake clock; in the app Quartz runs it on a schedule.
/// It must be idempotent: running it twice raises nothing twice.
/// </summary>
public interface IPeriodicCheck
{
    Task RunAsync(CancellationToken ct);
}

/// <summary>A registered check: how often, and whether it runs on every node or once across nodes.</summary>
public sealed record PeriodicCheckRegistration(Type Check, TimeSpan Every, bool EveryNode)
{
    internal Action<IQuartzBuilder, TimeSpan, TimeSpan> Schedule { get; init; } = (_, _, _) => { };
}

/// <summary>Settings under <c>EpiGrid:Jobs</c>.</summary>
public sealed class JobOptions
{
    public const string Section = "EpiGrid:Jobs";

    /// <summary>False: nothing runs on a schedule (the tests call the checks by hand).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Overrides every check's interval (seconds); for tests and demonstrations.</summary>
    public int? IntervalSeconds { get; set; }

    /// <summary>How long a node holds a check's lease after it last ran it; default three intervals.
    /// A node that dies is replaced by another after at most this long.</summary>
    public int? LeaseSeconds { get; set; }

    /// <summary>Delay before the first run after start (seconds), default 20.</summary>
    public int FirstRunAfterSeconds { get; set; } = 20;

    /// <summary>This node's name in the lease table; default host name, process id and a random suffix.</summary>
    public string? NodeId { get; set; }

    public TimeSpan IntervalOf(PeriodicCheckRegistration r) => IntervalSeconds is > 0 ? TimeSpan.FromSeconds(IntervalSeconds.Value) : r.Every;

    public TimeSpan LeaseOf(PeriodicCheckRegistration r) => LeaseSeconds is > 0 ? TimeSpan.FromSeconds(LeaseSeconds.Value) : IntervalOf(r) * 3;
}

public static class PeriodicChecks
{
    private static readonly List<PeriodicCheckRegistration> Registered = [];

    /// <summary>
    /// Registers a check (scoped) and its interval. Call from a feature's setup. A check runs once across all nodes
    /// (the node holding its lease, <see cref="JobLeases"/>); <paramref name="everyNode"/> is for work each process
    /// must do for itself (adopting a rotated key).
    /// </summary>
    public static IServiceCollection AddPeriodicCheck<T>(this IServiceCollection services, TimeSpan every, bool everyNode = false) where T : class, IPeriodicCheck
    {
        services.AddScoped<T>();
        lock (Registered)
        {
            if (!Registered.Any(r => r.Check == typeof(T)))
            {
                Registered.Add(new(typeof(T), every, everyNode)
                {
                    Schedule = (q, interval, first) => q.ScheduleJob<PeriodicCheckJob<T>>(
                        t => t.WithIdentity(typeof(T).Name + ".trigger").StartAt(DateTimeOffset.UtcNow.Add(first))
                            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever()),
                        j => j.WithIdentity(typeof(T).Name)),
                });
            }
        }
        return services;
    }

    public static PeriodicCheckRegistration RegistrationOf(Type check)
    {
        lock (Registered) return Registered.First(r => r.Check == check);
    }

    /// <summary>Quartz runs every registered check, unless <c>EpiGrid:Jobs:Enabled</c> is false (the tests run them by hand).</summary>
    public static IServiceCollection AddEpiGridJobs(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<JobOptions>().BindConfiguration(JobOptions.Section);
        services.AddSingleton<JobLeases>();
        var options = config.GetSection(JobOptions.Section).Get<JobOptions>() ?? new JobOptions();
        if (!options.Enabled) return services;
        services.AddQuartz(q =>
        {
            List<PeriodicCheckRegistration> all;
            lock (Registered) all = [.. Registered];
            foreach (var r in all)
            {
                var every = options.IntervalOf(r);
                var first = TimeSpan.FromSeconds(Math.Min(options.FirstRunAfterSeconds, every.TotalSeconds));
                r.Schedule(q, every, first);
            }
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}

/// <summary>
/// Runs one <see cref="IPeriodicCheck"/> in a scope of its own; never two at once in a process, and — unless it is an
/// every-node check — only on the node that holds its lease for this interval.
/// </summary>
[DisallowConcurrentExecution]
public sealed class PeriodicCheckJob<T>(IServiceScopeFactory scopes, JobLeases leases, ILogger<PeriodicCheckJob<T>> log) : IJob where T : class, IPeriodicCheck
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var registration = PeriodicChecks.RegistrationOf(typeof(T));
        long? runId = null;
        try
        {
            if (!registration.EveryNode)
            {
                runId = await leases.TryStartAsync(registration, cancellationToken);
                if (runId is null) return; // another node holds the lease, or this interval has run already
            }
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<T>().RunAsync(cancellationToken);
            if (runId is { } id) await leases.FinishAsync(id, failed: false, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Periodic check {Check} failed; it runs again at its next time.", typeof(T).Name);
            if (runId is { } id)
            {
                try { await leases.FinishAsync(id, failed: true, CancellationToken.None); }
                catch (Exception e2) when (e2 is not OperationCanceledException) { log.LogWarning(e2, "Could not record the failed run of {Check}.", typeof(T).Name); }
            }
        }
    }
}
