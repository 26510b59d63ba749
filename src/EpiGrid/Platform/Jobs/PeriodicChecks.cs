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

public static class PeriodicChecks
{
    private static readonly List<(Type Check, Action<IQuartzBuilder> Schedule)> Registered = [];

    /// <summary>Registers a check (scoped) and its interval. Call from a feature's setup.</summary>
    public static IServiceCollection AddPeriodicCheck<T>(this IServiceCollection services, TimeSpan every) where T : class, IPeriodicCheck
    {
        services.AddScoped<T>();
        lock (Registered)
        {
            if (!Registered.Any(r => r.Check == typeof(T)))
            {
                Registered.Add((typeof(T), q => q.ScheduleJob<PeriodicCheckJob<T>>(
                    t => t.WithIdentity(typeof(T).Name + ".trigger").StartAt(DateTimeOffset.UtcNow.AddSeconds(20))
                        .WithSimpleSchedule(s => s.WithInterval(every).RepeatForever()),
                    j => j.WithIdentity(typeof(T).Name))));
            }
        }
        return services;
    }

    /// <summary>Quartz runs every registered check, unless <c>EpiGrid:Jobs:Enabled</c> is false (the tests run them by hand).</summary>
    public static IServiceCollection AddEpiGridJobs(this IServiceCollection services, IConfiguration config)
    {
        if (!config.GetValue("EpiGrid:Jobs:Enabled", true)) return services;
        services.AddQuartz(q =>
        {
            List<Action<IQuartzBuilder>> schedules;
            lock (Registered) schedules = [.. Registered.Select(r => r.Schedule)];
            foreach (var schedule in schedules) schedule(q);
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}

/// <summary>Runs one <see cref="IPeriodicCheck"/> in a scope of its own; never two at once.</summary>
[DisallowConcurrentExecution]
public sealed class PeriodicCheckJob<T>(IServiceScopeFactory scopes, ILogger<PeriodicCheckJob<T>> log) : IJob where T : class, IPeriodicCheck
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<T>().RunAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Periodic check {Check} failed; it runs again at its next time.", typeof(T).Name);
        }
    }
}
