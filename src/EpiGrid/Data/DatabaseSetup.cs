using EpiGrid.Platform;
using EpiGrid.Platform.Audit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Data;

public static class DatabaseSetup
{
    public static bool IsPostgres(IConfiguration config) =>
        string.Equals(config["Database:Provider"], "Postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>Registers <see cref="AppDbContext"/> on the provider named by <c>Database:Provider</c>.</summary>
    /// <remarks>Collections in queries (every scope filter is <c>areaIds.Contains(x.AreaId)</c>) go as ONE array parameter
    /// (SQLite json_each, PostgreSQL = ANY): EF 10's default expands them into one parameter per element, whose SQL
    /// depends on the count, cannot be cached, and is regenerated under a lock on every execution (ADR-009).</remarks>
    public static IServiceCollection AddEpiGridDatabase(this IServiceCollection services, IConfiguration config, string dataDirectory)
    {
        services.AddScoped<DataScope>();
        services.AddScoped<AuditInterceptor>();
        services.AddScoped<Features.Alerts.AlertPublishInterceptor>();
        services.AddSingleton<Platform.Auth.AccountCache>();
        services.AddSingleton<Platform.Auth.AccountChangeInterceptor>();
        services.AddScoped<Features.Dashboard.DashboardChangeInterceptor>();
        if (IsPostgres(config))
        {
            var cs = config.GetConnectionString("Postgres")
                ?? throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Postgres is not set.");
            services.AddDbContext<AppDbContext, PostgresAppDbContext>((sp, o) => o
                .UseNpgsql(cs, n => n.MigrationsAssembly(typeof(AppDbContext).Assembly.FullName).UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
                .AddInterceptors(sp.GetRequiredService<AuditInterceptor>(), sp.GetRequiredService<Features.Alerts.AlertPublishInterceptor>(),
                    sp.GetRequiredService<Platform.Auth.AccountChangeInterceptor>(), sp.GetRequiredService<Features.Dashboard.DashboardChangeInterceptor>()));
        }
        else
        {
            var cs = SqliteConnectionString(config, dataDirectory);
            services.AddDbContext<AppDbContext, SqliteAppDbContext>((sp, o) => o
                .UseSqlite(cs, s => s.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
                .AddInterceptors(new SqlitePragmas(), sp.GetRequiredService<AuditInterceptor>(), sp.GetRequiredService<Features.Alerts.AlertPublishInterceptor>(),
                    sp.GetRequiredService<Platform.Auth.AccountChangeInterceptor>(), sp.GetRequiredService<Features.Dashboard.DashboardChangeInterceptor>()));
        }
        return services;
    }

    public static string SqliteConnectionString(IConfiguration config, string dataDirectory)
    {
        var configured = config.GetConnectionString("Sqlite");
        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured)
            ? $"Data Source={Path.Combine(dataDirectory, "epigrid.db")}"
            : configured);
        if (!Path.IsPathRooted(builder.DataSource) && builder.DataSource != ":memory:")
        {
            builder.DataSource = Path.Combine(dataDirectory, builder.DataSource);
        }
        builder.Pooling = true;
        builder.DefaultTimeout = 30;
        return builder.ToString();
    }

    /// <summary>Applies pending migrations (never EnsureCreated: migrations are exercised on both providers), then — once per
    /// database, under the audit chain's lock — the rewrite of an audit log from before T3 (<see cref="AuditChainUpgrade"/>).</summary>
    public static async Task MigrateAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // A migration that rewrites a column over a big register (ReportsSpeed fills the category bits of every person:
        // over 30 s at a million people on PostgreSQL) must not die at the ordinary 30 s command timeout halfway through
        // an upgrade; no limit while migrating, the usual one afterwards.
        var timeout = db.Database.GetCommandTimeout();
        db.Database.SetCommandTimeout(TimeSpan.Zero);
        try
        {
            await db.Database.MigrateAsync();
        }
        finally
        {
            db.Database.SetCommandTimeout(timeout);
        }
        if (db.Database.IsSqlite())
        {
            // WAL lets the pages read while a writer commits; set once, it stays with the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
        // Nodes starting together: the first takes the chain's lock and rewrites; the others then find its marker.
        await AuditChainUpgrade.RunAsync(services, services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuditChainUpgrade)));
    }
}

/// <summary>Per-connection SQLite settings: foreign keys on, a busy timeout instead of "database is locked", and a WAL file
/// cut back to 64 MB when the WAL restarts (an import writes hundreds of MB of WAL before its checkpoint; without a limit
/// the file keeps its largest size on disk for good).</summary>
internal sealed class SqlitePragmas : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
{
    public override void ConnectionOpened(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000; PRAGMA synchronous=FULL; PRAGMA journal_size_limit=67108864; PRAGMA secure_delete=FAST;";
        cmd.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000; PRAGMA synchronous=FULL; PRAGMA journal_size_limit=67108864; PRAGMA secure_delete=FAST;";
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
