using System.Net.Http.Headers;
using System.Net.Http.Json;
using EpiGrid.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace EpiGrid.Tests.Infrastructure;

/// <summary>
/// The whole app on a real database of its own: SQLite in a temporary data directory, or — when
/// <c>EPIGRID_TEST_DB=Postgres</c> (test.sh's second lane) — a fresh PostgreSQL database on
/// <c>EPIGRID_TEST_PG</c>. Migrated and seeded with the Xiguan demo office, as `dotnet run` would.
/// </summary>
public class AppFactory : WebApplicationFactory<Program>
{
    public const string Password = "Demo#2020";
    /// <summary>For accounts a test creates: the demo's password is shorter than the password rule allows (10+, not common).</summary>
    public const string NewPassword = "Xiguan#Grid2020";
    public static bool OnPostgres => string.Equals(Environment.GetEnvironmentVariable("EPIGRID_TEST_DB"), "Postgres", StringComparison.OrdinalIgnoreCase);
    public static string PostgresBase => Environment.GetEnvironmentVariable("EPIGRID_TEST_PG")
        ?? "Host=127.0.0.1;Port=55432;Username=epigrid;Password=epigrid";

    public string DataDirectory { get; private set; } = Path.Combine(Path.GetTempPath(), "epigrid-test-" + Guid.NewGuid().ToString("N"));
    public string? PostgresDatabase { get; private set; }

    /// <summary>Leave the data directory and the database in place on dispose, for a later factory's <see cref="OnStoreOf"/>.</summary>
    public bool KeepStore { get; set; }

    /// <summary>Before this factory starts: use the data directory and database another one left (<see cref="KeepStore"/>), as a
    /// restart of the app on the same store would.</summary>
    public AppFactory OnStoreOf(AppFactory stopped)
    {
        try { Directory.Delete(DataDirectory); } catch (IOException) { }
        DataDirectory = stopped.DataDirectory;
        PostgresDatabase = stopped.PostgresDatabase;
        return this;
    }
    private readonly Dictionary<string, string> _tokens = [];
    private readonly SemaphoreSlim _tokenLock = new(1, 1);

    public AppFactory()
    {
        Directory.CreateDirectory(DataDirectory);
        if (OnPostgres) PostgresDatabase = "epigrid_t_" + Guid.NewGuid().ToString("N")[..12];
    }

    public string PostgresConnectionString => $"{PostgresBase};Database={PostgresDatabase}";

    /// <summary>
    /// The app's clock. A test class that needs to move time (deadlines, overdue checks) derives a factory with
    /// <c>UseFakeClock =&gt; true</c> and calls <c>Clock.Advance(...)</c>; the others run on the real clock.
    /// </summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2020, 2, 7, 2, 0, 0, TimeSpan.Zero)); // 2020-02-07 10:00 in Baoji
    protected virtual bool UseFakeClock => false;

    /// <summary>EpiGrid:PublicBaseUrl, required outside Development: TestServer's own address unless a test says otherwise
    /// (the browser tests give their real port; null leaves it unset).</summary>
    public string? PublicBaseUrl { get; set; } = "http://localhost";

    /// <summary>Extra settings a test class needs (e.g. a lower export limit).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Settings() => [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("EpiGrid:DataDirectory", DataDirectory);
        builder.UseSetting("EpiGrid:Demo", "true");
        builder.UseSetting("EpiGrid:SecureCookies", "false");
        if (PublicBaseUrl is not null) builder.UseSetting("EpiGrid:PublicBaseUrl", PublicBaseUrl);
        // Periodic checks run when a test calls them, with the clock the test sets.
        builder.UseSetting("EpiGrid:Jobs:Enabled", "false");
        // The suite calls /api/public/* far more than 30 times a minute from one address; PublicRateLimitTests lowers it.
        builder.UseSetting("EpiGrid:RateLimits:PublicPerMinute", "10000");
        builder.UseSetting("EpiGrid:RateLimits:SignInPerMinute", "10000");
        builder.UseSetting("EpiGrid:RateLimits:SignInPerAccountPerMinute", "10000");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", "None");
        if (OnPostgres)
        {
            builder.UseSetting("Database:Provider", "Postgres");
            builder.UseSetting("ConnectionStrings:Postgres", PostgresConnectionString);
        }
        foreach (var (k, v) in Settings()) builder.UseSetting(k, v);
        if (UseFakeClock) builder.ConfigureServices(s => s.AddSingleton<TimeProvider>(Clock));
    }

    public T With<T>(Func<IServiceProvider, T> f)
    {
        using var scope = Services.CreateScope();
        return f(scope.ServiceProvider);
    }

    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> f)
    {
        await using var scope = Services.CreateAsyncScope();
        return await f(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public async Task WithDbAsync(Func<AppDbContext, Task> f)
    {
        await using var scope = Services.CreateAsyncScope();
        await f(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    /// <summary>Set when the app listens on a real socket (browser tests): API clients then go over it.</summary>
    public string? RealServerUrl { get; set; }

    public HttpClient Anonymous() => RealServerUrl is { } url
        ? new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(url) }
        : CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    /// <summary>A client signed in through <c>POST /api/auth/login</c> with a bearer token.</summary>
    /// <summary>The password a test signs in with by default: the demo's for a demo account, else <see cref="NewPassword"/>.</summary>
    public static string PasswordOf(string userName) =>
        EpiGrid.Features.Demo.DemoOffice.Accounts.Any(a => a.UserName == userName) ? Password : NewPassword;

    public async Task<HttpClient> As(string userName, string? password = null)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(userName, password));
        return client;
    }

    public async Task<string> TokenAsync(string userName, string? password = null)
    {
        password ??= PasswordOf(userName);
        await _tokenLock.WaitAsync();
        try
        {
            if (_tokens.TryGetValue(userName, out var cached)) return cached;
            using var client = Anonymous();
            var response = await client.PostAsJsonAsync("/api/auth/login", new { userName, password });
            response.EnsureSuccessStatusCode();
            var token = (await response.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken;
            _tokens[userName] = token;
            return token;
        }
        finally { _tokenLock.Release(); }
    }

    public void ForgetToken(string userName) => _tokens.Remove(userName);

    private sealed record TokenResponse(string AccessToken, long ExpiresIn);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing || KeepStore) return;
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        if (PostgresDatabase is not null)
        {
            try
            {
                NpgsqlConnection.ClearAllPools();
                using var conn = new NpgsqlConnection($"{PostgresBase};Database=postgres");
                conn.Open();
                using var cmd = conn.CreateCommand();
                cmd.CommandText = $"DROP DATABASE IF EXISTS \"{PostgresDatabase}\" WITH (FORCE)";
                cmd.ExecuteNonQuery();
            }
            catch (NpgsqlException) { }
        }
    }
}
