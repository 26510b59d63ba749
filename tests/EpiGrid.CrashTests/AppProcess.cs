using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace EpiGrid.CrashTests;

/// <summary>
/// The built EpiGrid.dll run as a real process (<c>dotnet EpiGrid.dll --urls http://127.0.0.1:PORT</c>), on a data
/// directory (and, for PostgreSQL, a database) of its own, with the Xiguan demo office — so a SIGKILL is a real one.
/// </summary>
public sealed class AppProcess : IDisposable
{
    private readonly Dictionary<string, string> _env;
    private Process? _process;
    private readonly StringWriterLog _log = new();

    public AppProcess(int port, string dataDirectory, string? postgres)
    {
        Port = port;
        DataDirectory = dataDirectory;
        Url = $"http://127.0.0.1:{port}";
        _env = new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["EpiGrid__DataDirectory"] = dataDirectory,
            ["EpiGrid__Demo"] = "true",
            ["EpiGrid__SecureCookies"] = "false",
            // Required outside Development; a public name other than the node's, as in production: the tests call
            // 127.0.0.1, which host filtering always answers.
            ["EpiGrid__PublicBaseUrl"] = "https://xg.example.gov.cn",
            ["EpiGrid__Jobs__Enabled"] = "false",
            ["EpiGrid__RateLimits__PublicPerMinute"] = "1000000",
            ["EpiGrid__RateLimits__SignInPerMinute"] = "1000000",
            ["EpiGrid__RateLimits__SignInPerAccountPerMinute"] = "1000000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        if (postgres is not null)
        {
            _env["Database__Provider"] = "Postgres";
            _env["ConnectionStrings__Postgres"] = postgres;
        }
    }

    public int Port { get; }
    public string DataDirectory { get; }
    public string Url { get; }
    public int? ProcessId => _process?.Id;
    public string Log => _log.ToString();

    /// <summary>The app's build of the same configuration as this test assembly (Release under test.sh).</summary>
    public static string AppDll()
    {
        var here = AppContext.BaseDirectory; // tests/EpiGrid.CrashTests/bin/<Config>/net10.0/
        var config = new DirectoryInfo(Path.TrimEndingDirectorySeparator(here)).Parent!.Name;
        var root = here;
        while (!File.Exists(Path.Combine(root, "EpiGrid.slnx"))) root = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(root))!;
        var dll = Path.Combine(root, "src", "EpiGrid", "bin", config, "net10.0", "EpiGrid.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"Build the app first ({config}): {dll}");
        return dll;
    }

    public async Task StartAsync(TimeSpan timeout)
    {
        var dll = AppDll();
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add(Url);
        foreach (var (k, v) in _env) psi.Environment[k] = v;
        _process = Process.Start(psi) ?? throw new InvalidOperationException("dotnet did not start");
        _process.OutputDataReceived += (_, e) => _log.Add(e.Data);
        _process.ErrorDataReceived += (_, e) => _log.Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The app exited ({_process.ExitCode}):\n{Log}");
            try
            {
                if ((await http.GetAsync(Url + "/health")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The app did not answer /health within {timeout}:\n{Log}");
    }

    /// <summary>SIGKILL (Process.Kill on Unix): no shutdown, no flush, no disposal.</summary>
    public void KillHard()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit(10_000);
    }

    public HttpClient Client(string? token = null)
    {
        var c = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(Url),
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (token is not null) c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return c;
    }

    public async Task<HttpClient> SignInAsync(string userName)
    {
        using var anon = Client();
        var r = await anon.PostAsJsonAsync("/api/auth/login", new { userName, password = "Demo#2020" });
        r.EnsureSuccessStatusCode();
        var token = JsonNode.Parse(await r.Content.ReadAsStringAsync())!["accessToken"]!.GetValue<string>();
        return Client(token);
    }

    public void Dispose()
    {
        KillHard();
        _process?.Dispose();
    }

    private sealed class StringWriterLog
    {
        private readonly System.Text.StringBuilder _sb = new();
        public void Add(string? line)
        {
            if (line is null) return;
            lock (_sb) { if (_sb.Length < 200_000) _sb.AppendLine(line); }
        }
        public override string ToString() { lock (_sb) return _sb.ToString(); }
    }
}
