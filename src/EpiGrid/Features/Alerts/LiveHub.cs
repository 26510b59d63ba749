using System.Text;
using System.Text.Json;
using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Alerts;

/// <summary>
/// Live updates at <c>/hubs/live</c>. A connection of a user who may read alerts joins one group per node of their
/// scope ("node:{areaId}", or "all" for an unrestricted user); an alert is sent to the groups of its area and of every
/// ancestor, so it reaches exactly those whose scope covers it — on whichever node (groups cross nodes through the
/// Redis backplane, S1). The groups follow the account while the connection lives, and a disabled account, a reset
/// password, changed roles or an expired token end it (<see cref="LiveConnections"/>, T2).
/// </summary>
[Authorize(Policy = Rights.ReadPeople)]
public sealed class LiveHub(AppDbContext db, LiveConnections connections) : Hub
{
    public const string AllGroup = "all";
    public static string NodeGroup(Guid areaId) => "node:" + areaId.ToString("N");

    public override async Task OnConnectedAsync()
    {
        await connections.JoinAsync(Context, Groups, db);
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Leave(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}

/// <summary>An alert as it travels: the API's fields.</summary>
public sealed record AlertMessage(Guid Id, AlertKind Kind, string Subject, Guid AreaId, Guid? PersonId, Guid? GateId, DateTimeOffset CreatedAt, AlertStatus Status, bool Escalated);

/// <summary>Sends alert messages outward (a webhook; an SMS gateway would plug in behind the same interface). Called by
/// <see cref="AlertDeliveries"/> from the outbox, never on a request.</summary>
public interface IAlertNotifier
{
    /// <summary>False when not configured: nothing is queued for it.</summary>
    bool Enabled { get; }

    /// <summary>Sends one message (<see cref="AlertMessage"/> as JSON); throws <see cref="HttpRequestException"/> when the
    /// receiver did not take it, so that it is tried again.</summary>
    Task SendAsync(string json, CancellationToken ct);
}

public sealed class AlertOptions
{
    public const string Section = "EpiGrid:Alerts";
    /// <summary>An alert nobody acknowledges within this many minutes escalates to the leaders.</summary>
    public int AcknowledgeWithinMinutes { get; set; } = 10;
    /// <summary>Where alerts are POSTed as JSON; empty = no webhook.</summary>
    public string? WebhookUrl { get; set; }
}

/// <summary>POSTs each alert as JSON to <c>EpiGrid:Alerts:WebhookUrl</c>; anything but a 2xx answer is a failure, tried again.</summary>
public sealed class WebhookNotifier(IHttpClientFactory clients, IOptions<AlertOptions> options) : IAlertNotifier
{
    public bool Enabled => !string.IsNullOrWhiteSpace(options.Value.WebhookUrl);

    public async Task SendAsync(string json, CancellationToken ct)
    {
        using var client = clients.CreateClient(nameof(WebhookNotifier));
        client.Timeout = TimeSpan.FromSeconds(10);
        using var body = new StringContent(json, Encoding.UTF8, "application/json");
        using var r = await client.PostAsync(options.Value.WebhookUrl, body, ct);
        if (!r.IsSuccessStatusCode) throw new HttpRequestException($"the webhook answered {(int)r.StatusCode}", null, r.StatusCode);
    }

    public static readonly JsonSerializerOptions AlertJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };
}

/// <summary>After the alert is committed: pushes it to the live pages covering it, and has the outbox send its message
/// (queued in the same transaction by <see cref="AlertPublishInterceptor"/> or the escalation) without waiting for it.</summary>
public sealed class AlertPush(IHubContext<LiveHub> hub, AlertDeliveries deliveries, OfficeClock clock, ILogger<AlertPush> log)
{
    public AlertMessage MessageOf(Alert a, bool escalated) =>
        new(a.Id, a.Kind, a.Subject, a.AreaId, a.PersonId, a.GateId, clock.WithOffset(a.CreatedAt), a.Status, escalated);

    public async Task SendAsync(AppDbContext db, Alert a, bool escalated, CancellationToken ct)
    {
        // The alert and its outbox row are committed: the push is best effort. An exception here would turn a stored
        // health check or pass into a 500, and a client that retries would store it twice and raise a second alert
        // (T2). The alert is on the alerts list all the same, and the outbox still sends it outward.
        try
        {
            var path = await db.Areas.IgnoreQueryFilters().AsNoTracking().Where(x => x.Id == a.AreaId).Select(x => x.Path).FirstOrDefaultAsync(ct) ?? "";
            var groups = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => NodeGroupOf(s)).Append(LiveHub.AllGroup).ToList();
            await hub.Clients.Groups(groups).SendAsync("alert", MessageOf(a, escalated), ct);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log.LogWarning(e, "Live push of alert {AlertId} failed; it is stored and goes out through the outbox", a.Id);
        }
        deliveries.Kick();
    }

    private static string NodeGroupOf(string pathSegment) => "node:" + pathSegment;
}

/// <summary>Collects the alerts a save adds and pushes them once the save has committed: at once, or inside an explicit
/// transaction (a writer guarding against a move, ADR-018) at its commit — the outbox worker reads only committed rows.</summary>
public sealed class AlertPublishInterceptor(IServiceProvider services) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private List<Alert> _added = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    private void Collect(DbContext? db)
    {
        if (db is null) return;
        var added = db.ChangeTracker.Entries<Alert>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        // Inside an explicit transaction several saves may add alerts, all pushed at its commit: keep each save's. Outside
        // one, a save that failed must not leave its alerts to the next save's push.
        _added = db.Database.CurrentTransaction is null ? added : [.. _added, .. added.Where(a => !_added.Contains(a))];
        if (added.Count == 0) return;
        // Their messages go into the outbox in this same save: stored alert, queued message.
        var push = services.GetRequiredService<AlertPush>();
        var deliveries = services.GetRequiredService<AlertDeliveries>();
        var now = services.GetRequiredService<OfficeClock>().UtcNow;
        foreach (var a in added) deliveries.Enqueue(db, push.MessageOf(a, escalated: false), now);
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context?.Database.CurrentTransaction is null) await PublishAsync(eventData.Context, cancellationToken);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context?.Database.CurrentTransaction is null) PublishAsync(eventData.Context, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) =>
        PublishCommittedAsync(CancellationToken.None).GetAwaiter().GetResult();

    public Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        PublishCommittedAsync(cancellationToken);

    // During this event the committed transaction is still the context's current one (a query on it would fail): the
    // push reads the alert's area through a context of its own.
    private async Task PublishCommittedAsync(CancellationToken ct)
    {
        if (_added.Count == 0) return;
        await using var scope = services.CreateAsyncScope();
        await PublishAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), ct);
    }

    public void TransactionRolledBack(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => _added = [];

    public Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        _added = [];
        return Task.CompletedTask;
    }

    private async Task PublishAsync(DbContext? db, CancellationToken ct)
    {
        if (_added.Count == 0 || db is not AppDbContext app) return;
        var alerts = _added;
        _added = [];
        var push = services.GetRequiredService<AlertPush>();
        foreach (var a in alerts) await push.SendAsync(app, a, escalated: false, ct);
    }
}
