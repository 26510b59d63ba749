using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using EpiGrid.Features.Alerts;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Observation;

/// <summary>A fake clock and a webhook on loopback whose answer the test sets (a status code, or held until released).</summary>
public sealed class OutboxFactory : AppFactory
{
    private readonly HttpListener _listener = new();
    private readonly string _url;
    public ConcurrentQueue<(JsonElement Body, int Status)> Requests { get; } = new();
    public volatile int Answer = 204;
    public volatile TaskCompletionSource? Hold;

    public OutboxFactory()
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
                    _ = Task.Run(async () =>
                    {
                        using var doc = await JsonDocument.ParseAsync(ctx.Request.InputStream);
                        if (Hold is { } hold) await hold.Task;
                        var status = Answer;
                        Requests.Enqueue((doc.RootElement.Clone(), status));
                        ctx.Response.StatusCode = status;
                        ctx.Response.Close();
                    });
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { break; }
            }
        });
    }

    protected override bool UseFakeClock => true;
    protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("EpiGrid:Alerts:WebhookUrl", _url)];

    public async Task<List<AlertDelivery>> DeliveriesAsync(Guid alertId) =>
        await WithDbAsync(db => db.Set<AlertDelivery>().AsNoTracking().Where(d => d.AlertId == alertId).ToListAsync());

    public async Task SendQueuedAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SendQueuedAlerts>().RunAsync(CancellationToken.None);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { Hold?.TrySetResult(); _listener.Close(); }
        base.Dispose(disposing);
    }
}

/// <summary>Alerts go out through an outbox: queued with the alert, sent after the commit without holding up the request,
/// retried until the receiver takes them (or a day has passed), and sent once.</summary>
public sealed class AlertOutboxTests(OutboxFactory app) : IClassFixture<OutboxFactory>
{
    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, int ms = 10_000)
    {
        var until = DateTime.UtcNow.AddMilliseconds(ms);
        while (DateTime.UtcNow < until)
        {
            if (await condition()) return true;
            await Task.Delay(50);
        }
        return await condition();
    }

    private async Task<Guid> FeverAlertAsync()
    {
        app.ForgetToken("grid1"); // another test here may have moved the clock past the token's life
        var person = await ObservationTests.RegisterAsync(app);
        var grid1 = await app.As("grid1");
        await (await grid1.PostJsonAsync($"/api/people/{person}/health-checks", new { temperature = 38.6m, method = "Visit" })).ExpectAsync(HttpStatusCode.Created);
        return await app.WithDbAsync(db => db.Set<Alert>().IgnoreQueryFilters().Where(a => a.PersonId == Guid.Parse(person) && a.Kind == AlertKind.Fever).Select(a => a.Id).SingleAsync());
    }

    private int Taken(Guid alertId) => app.Requests.Count(r => r.Body.GetProperty("id").GetGuid() == alertId && r.Status is >= 200 and < 300);

    [Fact]
    public async Task A_webhook_that_is_down_gets_the_alert_when_it_is_back_once_and_the_queued_copy_is_emptied()
    {
        app.Answer = 503;
        var alert = await FeverAlertAsync();
        // The alert is stored and its message queued; the first attempt failed and is recorded.
        Assert.True(await EventuallyAsync(async () => (await app.DeliveriesAsync(alert)) is [{ Attempts: 1, LastError: not null }]), "no failed first attempt recorded");
        var queued = (await app.DeliveriesAsync(alert)).Single();
        Assert.Null(queued.DeliveredAt);
        Assert.Contains(alert.ToString(), queued.Payload);

        // Before the pause is over nothing is tried again.
        await app.SendQueuedAsync();
        Assert.Equal(1, (await app.DeliveriesAsync(alert)).Single().Attempts);

        // The webhook is back; after the pause the periodic run sends it.
        app.Answer = 204;
        app.Clock.Advance(TimeSpan.FromSeconds(31));
        await app.SendQueuedAsync();
        Assert.Equal(1, Taken(alert));
        var sent = (await app.DeliveriesAsync(alert)).Single();
        Assert.NotNull(sent.DeliveredAt);
        Assert.Equal(2, sent.Attempts);
        Assert.Equal("", sent.Payload); // no copy of the message (a name) stays behind
        var body = app.Requests.Last(r => r.Body.GetProperty("id").GetGuid() == alert).Body;
        Assert.Equal("Fever", body.GetProperty("kind").GetString());
        Assert.False(body.GetProperty("escalated").GetBoolean());

        // Sent is sent: later runs send nothing again.
        app.Clock.Advance(TimeSpan.FromHours(1));
        await app.SendQueuedAsync();
        await app.SendQueuedAsync();
        Assert.Equal(1, Taken(alert));
    }

    [Fact]
    public async Task A_slow_webhook_does_not_hold_up_the_gate_keeper_at_a_feverish_visitor()
    {
        app.Answer = 204;
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Hold = hold;
        try
        {
            app.ForgetToken("gate1");
            var gate1 = await app.As("gate1");
            var gate = (await Demo.GateAsync(app, "春天大道东门")).Id;
            var r = await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new
            {
                clientId = Guid.NewGuid(), direction = "In", temperature = 38.9m,
                visitor = new { name = "慢钩子", phone = "13800138000", idNumber = RegisterPersonTests.NewIdNumber(), from = "宝鸡市渭滨区", to = "春天大道" },
            });
            // Answered while the webhook has not answered (it is held): the pass did not wait for it.
            await r.ExpectAsync(HttpStatusCode.Created);
            Assert.False(hold.Task.IsCompleted);
            var alert = await app.WithDbAsync(db => db.Set<Alert>().IgnoreQueryFilters().Where(a => a.Subject.Contains("慢钩子")).Select(a => a.Id).SingleAsync());
            Assert.Equal(0, Taken(alert));

            hold.SetResult();
            Assert.True(await EventuallyAsync(async () => (await app.DeliveriesAsync(alert)).Single().DeliveredAt is not null), "not delivered once the webhook answered");
            Assert.Equal(1, Taken(alert));
        }
        finally
        {
            app.Hold = null;
            hold.TrySetResult();
        }
    }

    [Fact]
    public async Task A_message_nobody_takes_for_a_day_is_given_up_and_emptied()
    {
        app.Answer = 500;
        var alert = await FeverAlertAsync();
        Assert.True(await EventuallyAsync(async () => (await app.DeliveriesAsync(alert)).Single().Attempts == 1));
        for (var hour = 0; hour < 26; hour++)
        {
            app.Clock.Advance(TimeSpan.FromHours(1));
            await app.SendQueuedAsync();
        }
        var given = (await app.DeliveriesAsync(alert)).Single();
        Assert.NotNull(given.GaveUpAt);
        Assert.Null(given.DeliveredAt);
        Assert.Equal("", given.Payload);
        Assert.Contains("500", given.LastError);
        var attempts = given.Attempts;
        app.Answer = 204;
        app.Clock.Advance(TimeSpan.FromHours(1));
        await app.SendQueuedAsync();
        Assert.Equal(attempts, (await app.DeliveriesAsync(alert)).Single().Attempts);
        Assert.Equal(0, Taken(alert));
    }
}
