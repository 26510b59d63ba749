using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using EpiGrid.Features.Alerts;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using Microsoft.AspNetCore.Http.Connections;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Trust;

/// <summary>The account check every half second, so a test waits little for another node's change to count.</summary>
public sealed class LiveConnectionFactory : AppFactory
{
    public const double CheckSeconds = 0.5;
    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
        [new("EpiGrid:AccountCacheSeconds", CheckSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}

/// <summary>Tokens that last three seconds.</summary>
public sealed class ShortTokenFactory : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("EpiGrid:TokenLifetime", "00:00:03")];
}

/// <summary>A live connection lasts no longer than what it was opened with: the account still enabled, with the same
/// password and roles, its token unexpired; a changed scope moves it to the groups of the new one (T2, ADR-009).</summary>
public sealed class LiveConnectionTests(LiveConnectionFactory app) : IClassFixture<LiveConnectionFactory>
{
    private const string UserPassword = "Test#2020a";

    /// <summary>The pages' way in (live.js): WebSockets straight away, no negotiation.</summary>
    internal static async Task<(HubConnection Connection, ConcurrentQueue<AlertMessage> Inbox, TaskCompletionSource Closed)> ConnectAsync(AppFactory app, string token)
    {
        var inbox = new ConcurrentQueue<AlertMessage>();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, "/hubs/live"), o =>
            {
                o.SkipNegotiation = true;
                o.Transports = HttpTransportType.WebSockets;
                o.WebSocketFactory = async (ctx, ct) =>
                {
                    var ws = app.Server.CreateWebSocketClient();
                    ws.ConfigureRequest = r => r.Headers.Authorization = "Bearer " + token;
                    return await ws.ConnectAsync(ctx.Uri, ct);
                };
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()))
            .Build();
        connection.On<AlertMessage>("alert", inbox.Enqueue);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await connection.StartAsync();
        return (connection, inbox, closed);
    }

    internal static async Task<bool> EventuallyAsync(Func<bool> condition, int ms = 20000)
    {
        var until = DateTime.UtcNow.AddMilliseconds(ms);
        while (DateTime.UtcNow < until)
        {
            if (condition()) return true;
            await Task.Delay(50);
        }
        return condition();
    }

    private async Task<(Guid Id, string Name, string Token)> NewWatcherAsync(params string[] communities)
    {
        var admin = await app.As("admin");
        var name = "w" + Guid.NewGuid().ToString("N")[..10];
        var areas = new List<Guid>();
        foreach (var c in communities) areas.Add((await Demo.AreaAsync(app, c)).Id);
        var r = await admin.PostJsonAsync("/api/users", new { userName = name, displayName = "值班观察", roles = new[] { "Supervisor" }, areaIds = areas, password = UserPassword });
        await r.ExpectAsync(HttpStatusCode.Created);
        var id = Guid.Parse((await r.JsonAsync())["id"]!.GetValue<string>());
        return (id, name, await app.TokenAsync(name, UserPassword));
    }

    /// <summary>A fever health check of a new person in the compound, by the community's grid worker: one Fever alert.</summary>
    private async Task<Guid> FeverAsync(string compound)
    {
        var worker = compound == "叉车厂小区" ? "grid2" : "grid1";
        var client = await app.As(worker);
        var r = await client.PostJsonAsync("/api/people", new
        {
            name = "观察对象", gender = "Male", idNumber = RegisterPersonTests.NewIdNumber(), phone = "13612340000",
            compoundId = (await Demo.AreaAsync(app, compound)).Id, address = compound, categories = new[] { "Returnee" },
        });
        await r.ExpectAsync(HttpStatusCode.Created);
        var person = Guid.Parse((await r.JsonAsync())["id"]!.GetValue<string>());
        await (await client.PostJsonAsync($"/api/people/{person}/health-checks", new { temperature = 38.6m, method = "Visit" })).ExpectAsync(HttpStatusCode.Created);
        return person;
    }

    private static Task PastTheCheckAsync() => Task.Delay(TimeSpan.FromSeconds(LiveConnectionFactory.CheckSeconds * 3));

    private async Task EndsTheConnectionAsync(Func<HttpClient, Guid, Task> change)
    {
        var (id, _, token) = await NewWatcherAsync("西关社区");
        var (connection, inbox, closed) = await ConnectAsync(app, token);
        await using var _ = connection;
        var first = await FeverAsync("春天大道");
        Assert.True(await EventuallyAsync(() => inbox.Any(a => a.PersonId == first)), "the connection got no alert while the account was fine");

        await change(await app.As("admin"), id);
        await PastTheCheckAsync();
        var second = await FeverAsync("春天大道");
        await Task.Delay(500);
        Assert.DoesNotContain(inbox, a => a.PersonId == second);
        Assert.True(await EventuallyAsync(() => closed.Task.IsCompleted, 10000), "the connection is still open");
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
    }

    [Fact]
    public Task DisablingTheAccount_ClosesItsLiveConnection_AndNoFurtherAlertReachesIt() =>
        EndsTheConnectionAsync(async (admin, id) =>
            await (await admin.PostAsync($"/api/users/{id}/disable", null)).ExpectAsync(HttpStatusCode.NoContent));

    [Fact]
    public Task ResettingThePassword_ClosesTheLiveConnection_AndNoFurtherAlertReachesIt() =>
        EndsTheConnectionAsync(async (admin, id) =>
            await (await admin.PostJsonAsync($"/api/users/{id}/password", new { password = "Changed#2020b" })).ExpectAsync(HttpStatusCode.NoContent));

    [Fact]
    public Task ChangingTheRoles_ClosesTheLiveConnection_AndNoFurtherAlertReachesIt() =>
        EndsTheConnectionAsync(async (admin, id) =>
        {
            var xiguan = (await Demo.AreaAsync(app, "西关社区")).Id;
            await (await admin.PutAsJsonAsync($"/api/users/{id}", new { displayName = "值班观察", roles = new[] { "Publicity" }, areaIds = new[] { xiguan } }))
                .ExpectAsync(HttpStatusCode.OK);
        });

    /// <summary>Another node disables the account: nothing on this node sees the save (ExecuteUpdate bypasses the
    /// interceptor that would empty this node's cache), so only the periodic round can find it.</summary>
    [Fact]
    public async Task AccountDisabledInTheDatabaseByAnotherNode_ClosesTheConnectionWithinAFewRounds()
    {
        var (id, _, token) = await NewWatcherAsync("西关社区");
        var (connection, _, closed) = await ConnectAsync(app, token);
        await using var _ = connection;
        var generation = app.Services.GetRequiredService<AccountCache>().Generation;

        await app.WithDbAsync(db => db.Users.Where(u => u.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.IsDisabled, true).SetProperty(u => u.SecurityStamp, Guid.NewGuid().ToString("N"))));
        Assert.Equal(generation, app.Services.GetRequiredService<AccountCache>().Generation); // this node was not told

        Assert.True(await EventuallyAsync(() => closed.Task.IsCompleted, (int)(LiveConnectionFactory.CheckSeconds * 1000 * 4) + 1000),
            "the connection outlived another node's disabling of its account");
    }

    /// <summary>Failed sign-ins only count failures and lock: nothing a request or a connection is judged by. They must not
    /// empty every account's cache on the node (anyone could do it in a loop) nor wake the live connections' watcher.</summary>
    [Fact]
    public async Task FailedSignIn_DoesNotEmptyTheAccountCache_ButDisablingStillDoes()
    {
        var (id, name, _) = await NewWatcherAsync("西关社区");
        var cache = app.Services.GetRequiredService<AccountCache>();
        var generation = cache.Generation;
        var r = await app.Anonymous().PostJsonAsync("/api/auth/login", new { userName = name, password = "wrong-password" });
        await r.ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(1, await app.WithDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.AccessFailedCount).SingleAsync()));
        Assert.Equal(generation, cache.Generation);

        await (await (await app.As("admin")).PostAsync($"/api/users/{id}/disable", null)).ExpectAsync(HttpStatusCode.NoContent);
        Assert.NotEqual(generation, cache.Generation);
    }

    [Fact]
    public async Task NarrowingTheScope_StopsTheRemovedCommunitysAlerts_AndKeepsTheConnectionForTheRest()
    {
        var (id, _, token) = await NewWatcherAsync("西关社区", "叉车厂社区");
        var (connection, inbox, closed) = await ConnectAsync(app, token);
        await using var _ = connection;
        var xiguan = await FeverAsync("春天大道");
        var forklift = await FeverAsync("叉车厂小区");
        Assert.True(await EventuallyAsync(() => inbox.Any(a => a.PersonId == xiguan) && inbox.Any(a => a.PersonId == forklift)), "the connection did not get both communities' alerts");

        var admin = await app.As("admin");
        await (await admin.PutAsJsonAsync($"/api/users/{id}", new { displayName = "值班观察", roles = new[] { "Supervisor" }, areaIds = new[] { (await Demo.AreaAsync(app, "西关社区")).Id } }))
            .ExpectAsync(HttpStatusCode.OK);
        await PastTheCheckAsync();

        var stillIn = await FeverAsync("春天大道");
        var removed = await FeverAsync("叉车厂小区");
        Assert.True(await EventuallyAsync(() => inbox.Any(a => a.PersonId == stillIn)), "the alert still in scope did not arrive");
        await Task.Delay(300);
        Assert.DoesNotContain(inbox, a => a.PersonId == removed);
        Assert.False(closed.Task.IsCompleted, "the connection was closed; a scope change moves it");
        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    [Fact]
    public async Task WideningTheScope_BringsTheAddedCommunitysAlerts_OnTheSameConnection()
    {
        var (id, _, token) = await NewWatcherAsync("西关社区");
        var (connection, inbox, closed) = await ConnectAsync(app, token);
        await using var _ = connection;
        var before = await FeverAsync("叉车厂小区");
        await Task.Delay(300);
        Assert.DoesNotContain(inbox, a => a.PersonId == before);

        var admin = await app.As("admin");
        var areas = new[] { (await Demo.AreaAsync(app, "西关社区")).Id, (await Demo.AreaAsync(app, "叉车厂社区")).Id };
        await (await admin.PutAsJsonAsync($"/api/users/{id}", new { displayName = "值班观察", roles = new[] { "Supervisor" }, areaIds = areas }))
            .ExpectAsync(HttpStatusCode.OK);
        await PastTheCheckAsync();

        var added = await FeverAsync("叉车厂小区");
        Assert.True(await EventuallyAsync(() => inbox.Any(a => a.PersonId == added)), "the added community's alert did not arrive");
        Assert.False(closed.Task.IsCompleted);
    }
}

public sealed class LiveConnectionExpiryTests(ShortTokenFactory app) : IClassFixture<ShortTokenFactory>
{
    [Fact]
    public async Task ExpiredToken_ClosesTheLiveConnectionItOpened()
    {
        var token = await app.TokenAsync("leader");
        var (connection, _, closed) = await LiveConnectionTests.ConnectAsync(app, token);
        await using var _ = connection;
        Assert.Equal(HubConnectionState.Connected, connection.State);
        // The token lasts 3 s; SignalR looks at the expiry once a second.
        Assert.True(await LiveConnectionTests.EventuallyAsync(() => closed.Task.IsCompleted, 20000), "the connection outlived its token");
    }
}
