using EpiGrid.Tests.Infrastructure;
using EpiGrid.Data;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Tests.Platform;

public sealed class MigrationTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Start_OnAnEmptyDatabase_AppliesEveryMigrationOfItsProvider()
    {
        _ = app.Services; // starts the app: migrate, keys, seed
        var (applied, all, pending, provider) = await app.WithDbAsync(async db => (
            (await db.Database.GetAppliedMigrationsAsync()).ToList(),
            db.Database.GetMigrations().ToList(),
            (await db.Database.GetPendingMigrationsAsync()).ToList(),
            db.Database.ProviderName));
        Assert.NotEmpty(all);
        Assert.Equal(all, applied);
        Assert.Empty(pending);
        Assert.Contains(AppFactory.OnPostgres ? "Npgsql" : "Sqlite", provider);
    }

    [Fact]
    public async Task Health_WhenTheDatabaseAnswers_Is200()
    {
        var r = await app.Anonymous().GetAsync("/health");
        Assert.Equal(System.Net.HttpStatusCode.OK, r.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_IsServedAndDescribesTheApi()
    {
        var doc = await app.Anonymous().GetJsonAsync("/openapi/v1.json");
        var paths = doc["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/auth/login", paths);
        Assert.Contains("/api/areas", paths);
        var docs = await app.CreateClient().GetAsync("/api/docs");
        Assert.Equal(System.Net.HttpStatusCode.OK, docs.StatusCode);
    }

    [Fact]
    public async Task Pages_CarrySecurityHeaders_WithoutInlineScript()
    {
        var r = await app.Anonymous().GetAsync("/Account/Login");
        var csp = r.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self';", csp);
        Assert.DoesNotContain("unsafe-inline", csp.Split("style-src")[0]);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(r.Headers.Contains("Referrer-Policy"));
        var html = await r.Content.ReadAsStringAsync();
        Assert.DoesNotMatch("<script>(?!</script>)", html);
    }
}

public sealed class ConnectionSettingsTests(AppFactory app) : IClassFixture<AppFactory>
{
    /// <summary>SQLite's per-connection settings (SqlitePragmas, at every open); PostgreSQL has its own on the server.</summary>
    private static async Task<(long Synchronous, long JournalLimit)> SqliteSettingsAsync(AppDbContext db)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            async Task<long> Pragma(string name)
            {
                await using var cmd = db.Database.GetDbConnection().CreateCommand();
                cmd.CommandText = $"PRAGMA {name};";
                return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            }
            return (await Pragma("synchronous"), await Pragma("journal_size_limit"));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    [Fact]
    public async Task EveryConnection_NewOrTakenFromThePool_RefusesADanglingReference_AndOnSqliteSyncsEachCommit()
    {
        _ = app.Services;
        // A fresh physical connection, then the same one again from the pool.
        if (!AppFactory.OnPostgres) Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var round in new[] { "new", "pooled", "pooled again" })
        {
            // A gate of a compound that does not exist must not be stored (SQLite enforces foreign keys only when told to:
            // EF's provider and SqlitePragmas both tell it at every open).
            var refused = await app.WithDbAsync(async db =>
            {
                db.Gates.Add(new EpiGrid.Features.OrgTree.Gate { Name = "悬空卡口", CompoundId = Guid.NewGuid() });
                try
                {
                    await db.SaveChangesAsync();
                    return false;
                }
                catch (DbUpdateException)
                {
                    return true;
                }
            });
            Assert.True(refused, $"{round}: a gate of a missing compound was stored");
            Assert.False(await app.WithDbAsync(db => db.Gates.IgnoreQueryFilters().AnyAsync(g => g.Name == "悬空卡口")), round);
            if (AppFactory.OnPostgres) continue;
            var (sync, limit) = await app.WithDbAsync(SqliteSettingsAsync);
            Assert.True(sync == 2, $"{round}: synchronous={sync} (2 = FULL: a commit is on disk before it returns)");
            Assert.True(limit == 64L * 1024 * 1024, $"{round}: journal_size_limit={limit}");
        }
    }
}
