using System.Net;
using EpiGrid.Features.Alerts;
using EpiGrid.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EpiGrid.Tests.Trust;

/// <summary>Leaving a group fails the way the Redis backplane fails for a connection that has just gone: it waits for
/// an acknowledgement that never comes and throws <see cref="TaskCanceledException"/>. The account check every half second.</summary>
public sealed class BrokenGroupsFactory : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
        [new("EpiGrid:AccountCacheSeconds", LiveConnectionFactory.CheckSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<HubLifetimeManager<LiveHub>, NoRemovalLifetimeManager>());
    }

    private sealed class NoRemovalLifetimeManager(ILogger<DefaultHubLifetimeManager<LiveHub>> log) : DefaultHubLifetimeManager<LiveHub>(log)
    {
        public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
            Task.FromException(new TaskCanceledException("no acknowledgement from the backplane"));
    }
}

/// <summary>A group operation that fails neither keeps a disabled account's connection open nor stops the watcher or
/// the node (T2 review).</summary>
public sealed class LiveGroupFailureTests(BrokenGroupsFactory app) : IClassFixture<BrokenGroupsFactory>
{
    private async Task<(Guid Id, string Token)> NewWatcherAsync()
    {
        var admin = await app.As("admin");
        var name = "w" + Guid.NewGuid().ToString("N")[..10];
        var area = (await Demo.AreaAsync(app, "西关社区")).Id;
        var r = await admin.PostJsonAsync("/api/users", new { userName = name, displayName = "值班观察", roles = new[] { "Supervisor" }, areaIds = new[] { area }, password = "Test#2020a" });
        await r.ExpectAsync(HttpStatusCode.Created);
        var id = Guid.Parse((await r.JsonAsync())["id"]!.GetValue<string>());
        return (id, await app.TokenAsync(name, "Test#2020a"));
    }

    private async Task DisableAsync(Guid id) =>
        await (await (await app.As("admin")).PostAsync($"/api/users/{id}/disable", null)).ExpectAsync(HttpStatusCode.NoContent);

    [Fact]
    public async Task GroupRemovalThatThrows_StillClosesTheDisabledAccountsConnection_AndTheWatcherAndNodeGoOn()
    {
        var (first, firstToken) = await NewWatcherAsync();
        var (second, secondToken) = await NewWatcherAsync();
        var (c1, _, closed1) = await LiveConnectionTests.ConnectAsync(app, firstToken);
        await using var _1 = c1;
        var (c2, _, closed2) = await LiveConnectionTests.ConnectAsync(app, secondToken);
        await using var _2 = c2;

        await DisableAsync(first);
        Assert.True(await LiveConnectionTests.EventuallyAsync(() => closed1.Task.IsCompleted, 15000), "the disabled account's connection is still open");

        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var watcher = app.Services.GetRequiredService<LiveConnections>();
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested, "the failed group removal stopped the node");
        Assert.False(watcher.ExecuteTask?.IsCompleted ?? true, "the watcher stopped");

        // And it still watches: the next account disabled is closed too.
        Assert.False(closed2.Task.IsCompleted);
        await DisableAsync(second);
        Assert.True(await LiveConnectionTests.EventuallyAsync(() => closed2.Task.IsCompleted, 15000), "the watcher no longer closes connections");
    }
}
