using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using EpiGrid.Features.Alerts;
using EpiGrid.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Observation;

/// <summary>A fake clock, and a webhook listener on loopback that records what the notifier sends.</summary>
public sealed class LiveFactory : AppFactory
{
    public HttpListener Listener { get; }
    public ConcurrentQueue<JsonElement> Received { get; } = new();
    private readonly string _url;

    public LiveFactory()
    {
        var port = FreePort();
        _url = $"http://127.0.0.1:{port}/alerts/";
        Listener = new HttpListener();
        Listener.Prefixes.Add(_url);
        Listener.Start();
        _ = Task.Run(async () =>
        {
            while (Listener.IsListening)
            {
                try
                {
                    var ctx = await Listener.GetContextAsync();
                    using var doc = await JsonDocument.ParseAsync(ctx.Request.InputStream);
                    Received.Enqueue(doc.RootElement.Clone());
                    ctx.Response.StatusCode = 204;
                    ctx.Response.Close();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { break; }
            }
        });
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    protected override bool UseFakeClock => true;
    // Tokens are stamped with the fake clock (2020) but SignalR closes a connection whose token has expired by the wall
    // clock (CloseOnAuthenticationExpiration): tokens that outlast the gap keep these connections open.
    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
        [new("EpiGrid:Alerts:WebhookUrl", _url), new("EpiGrid:TokenLifetime", "36500.00:00:00")];

    protected override void Dispose(bool disposing)
    {
        if (disposing) Listener.Close();
        base.Dispose(disposing);
    }
}

public sealed class LiveAlertTests(LiveFactory app) : IClassFixture<LiveFactory>
{
    private async Task<HubConnection> ConnectAsync(string user, ConcurrentQueue<AlertMessage> inbox)
    {
        var token = await app.TokenAsync(user);
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, "/hubs/live"), o =>
            {
                o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()))
            .Build();
        connection.On<AlertMessage>("alert", inbox.Enqueue);
        await connection.StartAsync();
        return connection;
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition, int ms = 5000)
    {
        var until = DateTime.UtcNow.AddMilliseconds(ms);
        while (DateTime.UtcNow < until)
        {
            if (condition()) return true;
            await Task.Delay(50);
        }
        return condition();
    }

    [Fact]
    public async Task FeverAlert_ReachesTheLeadersLiveConnection_NotGrid2s_EscalatesUnacknowledged_AndTheWebhookGetsIt()
    {
        var leaderInbox = new ConcurrentQueue<AlertMessage>();
        var grid2Inbox = new ConcurrentQueue<AlertMessage>();
        await using var leader = await ConnectAsync("leader", leaderInbox);
        await using var grid2 = await ConnectAsync("grid2", grid2Inbox);

        var person = await ObservationTests.RegisterAsync(app);
        var grid1 = await app.As("grid1");
        await (await grid1.PostJsonAsync($"/api/people/{person}/health-checks", new { temperature = 38.4m, method = "Visit" })).ExpectAsync(HttpStatusCode.Created);

        Assert.True(await EventuallyAsync(() => leaderInbox.Any(a => a.Kind == AlertKind.Fever && a.PersonId == Guid.Parse(person))), "the leader's connection got no fever alert");
        var alert = leaderInbox.First(a => a.PersonId == Guid.Parse(person));
        Assert.Contains("38.4", alert.Subject);
        Assert.False(alert.Escalated);
        Assert.True(await EventuallyAsync(() => app.Received.Any(j => j.GetProperty("id").GetGuid() == alert.Id)), "the webhook got nothing");
        await Task.Delay(300);
        Assert.DoesNotContain(grid2Inbox, a => a.Id == alert.Id); // 叉车厂社区's grid worker does not cover 春天大道

        // Nobody acknowledges it: after 10 minutes it escalates, once.
        await RunEscalationAsync();
        Assert.DoesNotContain(leaderInbox, a => a.Id == alert.Id && a.Escalated);
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        await RunEscalationAsync();
        await RunEscalationAsync();
        Assert.True(await EventuallyAsync(() => leaderInbox.Count(a => a.Id == alert.Id && a.Escalated) == 1), "no escalation pushed");
        Assert.True(await EventuallyAsync(() => app.Received.Count(j => j.GetProperty("id").GetGuid() == alert.Id && j.GetProperty("escalated").GetBoolean()) == 1));

        // Acknowledged alerts do not escalate.
        var other = await ObservationTests.RegisterAsync(app);
        app.ForgetToken("grid1");
        grid1 = await app.As("grid1");
        await (await grid1.PostJsonAsync($"/api/people/{other}/health-checks", new { temperature = 39.0m, method = "Phone" })).ExpectAsync(HttpStatusCode.Created);
        var second = (await grid1.GetJsonAsync("/api/alerts?status=Open&kind=Fever"))["items"]!.AsArray().First(a => a!["personId"]!.GetValue<string>() == other)!;
        await (await grid1.PostJsonAsync($"/api/alerts/{second["id"]}/acknowledge", new { note = "已电话联系，正送发热门诊" })).ExpectAsync(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        await RunEscalationAsync();
        await Task.Delay(300);
        Assert.DoesNotContain(leaderInbox, a => a.Id == Guid.Parse(second["id"]!.GetValue<string>()) && a.Escalated);
    }

    private async Task RunEscalationAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<EscalationRule>().RunAsync(CancellationToken.None);
    }
}
