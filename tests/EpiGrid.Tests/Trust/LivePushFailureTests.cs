using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using EpiGrid.Features.Alerts;
using EpiGrid.Features.Observation;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.Observation;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EpiGrid.Tests.Trust;

/// <summary>The hub's sends fail (as with a Redis backplane that is down), and a webhook on loopback records what the
/// outbox sends.</summary>
public sealed class BrokenHubFactory : AppFactory
{
    private readonly HttpListener _listener = new();
    private readonly string _url;
    public ConcurrentQueue<string> Webhook { get; } = new();

    public BrokenHubFactory()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        _url = $"http://127.0.0.1:{port}/alerts/";
        _listener.Prefixes.Add(_url);
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                try
                {
                    var ctx = await _listener.GetContextAsync();
                    using var reader = new StreamReader(ctx.Request.InputStream);
                    Webhook.Enqueue(await reader.ReadToEndAsync());
                    ctx.Response.StatusCode = 204;
                    ctx.Response.Close();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { break; }
            }
        });
    }

    protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("EpiGrid:Alerts:WebhookUrl", _url)];

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<HubLifetimeManager<LiveHub>, ThrowingLifetimeManager>());
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _listener.Close();
        base.Dispose(disposing);
    }

    private sealed class ThrowingLifetimeManager(ILogger<DefaultHubLifetimeManager<LiveHub>> log) : DefaultHubLifetimeManager<LiveHub>(log)
    {
        public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
            throw new IOException("the backplane is unreachable");
    }
}

/// <summary>Pushing to live pages is best effort after the commit (T2): a failed push does not turn a stored health check
/// into an error that a client would retry, duplicating the check and its alert.</summary>
public sealed class LivePushFailureTests(BrokenHubFactory app) : IClassFixture<BrokenHubFactory>
{
    [Fact]
    public async Task FeverCheck_WhenTheLivePushFails_Answers201_StoresOneCheckAndOneAlert_AndTheWebhookStillGetsIt()
    {
        var person = Guid.Parse(await ObservationTests.RegisterAsync(app));
        var grid1 = await app.As("grid1");

        var r = await grid1.PostJsonAsync($"/api/people/{person}/health-checks", new { temperature = 38.7m, method = "Visit" });
        await r.ExpectAsync(HttpStatusCode.Created);

        var (checks, alerts) = await app.WithDbAsync(async db => (
            await db.Set<HealthCheck>().IgnoreQueryFilters().CountAsync(h => h.PersonId == person),
            await db.Set<Alert>().IgnoreQueryFilters().Where(a => a.PersonId == person && a.Kind == AlertKind.Fever).Select(a => a.Id).ToListAsync()));
        Assert.Equal(1, checks);
        var alert = Assert.Single(alerts);
        // The outbox was still kicked: the webhook gets the alert without waiting for the periodic retry (off in tests).
        Assert.True(await LiveConnectionTests.EventuallyAsync(() => app.Webhook.Any(b => b.Contains(alert.ToString(), StringComparison.OrdinalIgnoreCase))),
            "the webhook got nothing");
    }
}
