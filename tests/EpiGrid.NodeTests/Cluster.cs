using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace EpiGrid.NodeTests;

/// <summary>
/// Two EpiGrid nodes as a district would run them: the app's own build started twice as separate processes on
/// loopback ports, each with its own data directory but the same key file (a deployment secret), one PostgreSQL
/// database (<c>EPIGRID_TEST_PG</c>) and a Redis (a redis-server of its own on a free port, nothing saved).
/// Periodic checks run every second with a 3-second lease, so a takeover is quick enough to watch.
/// </summary>
public sealed class Cluster : IAsyncLifetime
{
    public const string Password = "Demo#2020";
    public static string PostgresBase => Environment.GetEnvironmentVariable("EPIGRID_TEST_PG")
        ?? "Host=127.0.0.1;Port=55432;Username=epigrid;Password=epigrid";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "epigrid-nodes-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _database = "epigrid_nodes_" + Guid.NewGuid().ToString("N")[..10];
    private Process? _redis;

    public Node A { get; private set; } = null!;
    public Node B { get; private set; } = null!;
    public string KeyFile => Path.Combine(_root, "epigrid.kek");
    public string Postgres => $"{PostgresBase};Database={_database}";
    public int RedisPort { get; private set; }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        // The key file every node is given, as a deployment would hand it out: 256 random bits, owner-only.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        await using (var fs = new FileStream(KeyFile, options))
        await using (var w = new StreamWriter(fs)) await w.WriteAsync(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

        RedisPort = FreePort();
        _redis = Process.Start(new ProcessStartInfo("redis-server",
            ["--port", RedisPort.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        _redis.OutputDataReceived += (_, _) => { };
        _redis.BeginOutputReadLine();
        await WaitForPortAsync(RedisPort, TimeSpan.FromSeconds(20));

        // Node A starts alone on the empty database (migrates, seeds the demo office, writes the first keys);
        // node B starts on what A made, as a second node joins a running office.
        A = new Node("A", FreePort(), this);
        await A.StartAsync();
        B = new Node("B", FreePort(), this);
        await B.StartAsync();
    }

    public async Task DisposeAsync()
    {
        A?.Kill();
        B?.Kill();
        try { _redis?.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _redis?.Dispose();
        NpgsqlConnection.ClearAllPools();
        await using (var c = new NpgsqlConnection(PostgresBase + ";Database=postgres"))
        {
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", c);
            await cmd.ExecuteNonQueryAsync();
        }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    public async Task<List<(string Name, string Node, long Slot, DateTime StartedAt)>> JobRunsAsync()
    {
        await using var c = new NpgsqlConnection(Postgres);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("""SELECT "Name", "Node", "Slot", "StartedAt" FROM "JobRun" ORDER BY "Id" """, c);
        await using var r = await cmd.ExecuteReaderAsync();
        var list = new List<(string, string, long, DateTime)>();
        while (await r.ReadAsync()) list.Add((r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetDateTime(3)));
        return list;
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EpiGrid.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("EpiGrid.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The app built in the same configuration as this test project (test.sh builds Release).</summary>
    internal static string AppDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/<Configuration>/net10.0/
        var dll = Path.Combine(RepoRoot(), "src", "EpiGrid", "bin", configuration, "net10.0", "EpiGrid.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"Build the app first: {dll} is missing.");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(200);
            }
        }
    }

    public sealed class Node(string name, int port, Cluster cluster)
    {
        private Process? _process;
        private readonly string _dataDir = Path.Combine(cluster._root, "node-" + name);
        public string Name => name;
        public string Url => $"http://127.0.0.1:{port}";
        public string LogFile => Path.Combine(cluster._root, $"node-{name}.log");
        public bool Running => _process is { HasExited: false };

        public async Task StartAsync()
        {
            Directory.CreateDirectory(_dataDir);
            var psi = new ProcessStartInfo("dotnet", [AppDll(), "--urls", Url])
            {
                WorkingDirectory = Path.Combine(RepoRoot(), "src", "EpiGrid"),
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var env = psi.Environment;
            env["ASPNETCORE_ENVIRONMENT"] = "Production";
            env["EpiGrid__Demo"] = "true";
            env["EpiGrid__SecureCookies"] = "false";
            // Required outside Development: the office's one public name for every node, as behind nginx (docs/deploy.md);
            // the tests call the nodes on 127.0.0.1, which host filtering always answers.
            env["EpiGrid__PublicBaseUrl"] = "https://xg.example.gov.cn";
            env["EpiGrid__DataDirectory"] = _dataDir;
            env["EpiGrid__KeyFile"] = cluster.KeyFile;
            env["Database__Provider"] = "Postgres";
            env["ConnectionStrings__Postgres"] = cluster.Postgres;
            env["ConnectionStrings__Redis"] = $"127.0.0.1:{cluster.RedisPort}";
            env["EpiGrid__Jobs__NodeId"] = "node-" + name;
            env["EpiGrid__Jobs__IntervalSeconds"] = "1";
            env["EpiGrid__Jobs__LeaseSeconds"] = "3";
            env["EpiGrid__Jobs__FirstRunAfterSeconds"] = "1";
            env["EpiGrid__RateLimits__SignInPerMinute"] = "1000";
            env["Logging__LogLevel__Default"] = "Warning";
            _process = Process.Start(psi)!;
            var log = new StreamWriter(LogFile) { AutoFlush = true };
            _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
            _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var until = DateTime.UtcNow.AddSeconds(180);
            while (DateTime.UtcNow < until)
            {
                if (_process.HasExited) break;
                try
                {
                    if ((await http.GetAsync(Url + "/health")).IsSuccessStatusCode) return;
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
                await Task.Delay(300);
            }
            throw new InvalidOperationException($"Node {name} did not come up on {Url}; its log:\n" + (File.Exists(LogFile) ? ReadLog() : ""));
        }

        public string ReadLog()
        {
            using var fs = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(fs).ReadToEnd();
        }

        /// <summary>As a node dies: no shutdown, no goodbye to the lease.</summary>
        public void Kill()
        {
            try { _process?.Kill(entireProcessTree: true); _process?.WaitForExit(10_000); } catch (InvalidOperationException) { }
        }

        public HttpClient Client(string? token = null)
        {
            var c = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
            if (token is not null) c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return c;
        }

        public async Task<string> TokenAsync(string userName)
        {
            using var c = Client();
            var r = await c.PostAsJsonAsync("/api/auth/login", new { userName, password = Password });
            r.EnsureSuccessStatusCode();
            return (await r.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken;
        }

        private sealed record TokenResponse(string AccessToken);
    }
}
