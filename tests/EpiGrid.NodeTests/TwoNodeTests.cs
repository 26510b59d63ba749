using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace EpiGrid.NodeTests;

/// <summary>
/// Two nodes, one PostgreSQL, one Redis (ADR-014): nothing a user relies on may live in one node's memory.
/// The steps run in order on one cluster; the last one kills node A.
/// </summary>
[TestCaseOrderer("EpiGrid.NodeTests.InNameOrder", "EpiGrid.NodeTests")]
public sealed class TwoNodeTests(Cluster cluster, ITestOutputHelper output) : IClassFixture<Cluster>
{
    [Fact]
    public async Task Step1_TokenIssuedByNodeA_IsAcceptedByNodeB()
    {
        var token = await cluster.A.TokenAsync("leader");
        using var onB = cluster.B.Client(token);
        var r = await onB.GetAsync("/api/alerts");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);

        using var noToken = cluster.B.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await noToken.GetAsync("/api/alerts")).StatusCode);
        using var forged = cluster.B.Client(token[..^6] + "AAAAAA");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/alerts")).StatusCode);
    }

    [Fact]
    public async Task Step2_FeverPassPostedToNodeA_ReachesTheLeadersPageOnNodeB()
    {
        var leader = await cluster.B.TokenAsync("leader");
        var received = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(cluster.B.Url + "/hubs/live", o => o.AccessTokenProvider = () => Task.FromResult<string?>(leader))
            .Build();
        hub.On<JsonElement>("alert", a => received.TrySetResult(a));
        await hub.StartAsync();

        var gateKeeper = await cluster.A.TokenAsync("gate1");
        using var onA = cluster.A.Client(gateKeeper);
        var gates = await onA.GetFromJsonAsync<JsonElement>("/api/gates");
        var gateId = (gates.ValueKind == JsonValueKind.Array ? gates : gates.GetProperty("items"))[0].GetProperty("id").GetGuid();
        var post = await onA.PostAsJsonAsync($"/api/gates/{gateId}/passes", new
        {
            clientId = Guid.NewGuid(),
            direction = "In",
            temperature = 38.5m,
            visitor = new { name = "测试访客", phone = "13800138000", idNumber = "610303198001011234", from = "宝鸡", to = "春天大道" },
        });
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);

        var alert = await received.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("Fever", alert.GetProperty("kind").GetString());
        Assert.Equal(gateId, alert.GetProperty("gateId").GetGuid());
        Assert.Equal(HubConnectionState.Connected, hub.State);
    }

    [Fact]
    public async Task Step3_EachIntervalOfAPeriodicCheck_RunsOnOneNodeOnly()
    {
        // Both nodes tick every second; wait for a good number of intervals to pass.
        await Task.Delay(TimeSpan.FromSeconds(8));
        var runs = await cluster.JobRunsAsync();
        var escalation = runs.Where(r => r.Name == "EscalationRule").ToList();
        output.WriteLine($"{runs.Count} runs recorded; EscalationRule: {escalation.Count}, by {string.Join(", ", escalation.GroupBy(r => r.Node).Select(g => $"{g.Key} {g.Count()}"))}");
        Assert.True(escalation.Count >= 5, $"the escalation rule ran only {escalation.Count} times in 8+ s at a 1-s interval");
        // The proof of "once": the run table has no uniqueness of its own, so two nodes running one interval would show.
        var twice = runs.GroupBy(r => (r.Name, r.Slot)).Where(g => g.Count() > 1).Select(g => $"{g.Key.Name}@{g.Key.Slot}: {string.Join("+", g.Select(r => r.Node))}").ToList();
        Assert.Empty(twice);
    }

    [Fact]
    public async Task Step3b_AuditEntriesWrittenOnEitherNode_VerifyOnBoth_WithTheKeyFromTheSharedKeyFile()
    {
        // Entries chained by A and by B: one chain, one HMAC key (derived from the key file each node was given, ADR-019).
        foreach (var (node, name) in new[] { (cluster.A, "李强甲"), (cluster.B, "李强乙"), (cluster.A, "李强丙") })
        {
            using var admin = node.Client(await node.TokenAsync("admin"));
            var users = await admin.GetFromJsonAsync<JsonElement>("/api/users?q=grid2");
            var id = users.GetProperty("items").EnumerateArray().First(u => u.GetProperty("userName").GetString() == "grid2").GetProperty("id").GetGuid();
            var account = await admin.GetFromJsonAsync<JsonElement>($"/api/users/{id}");
            var r = await admin.PutAsJsonAsync($"/api/users/{id}",
                new { displayName = name, roles = new[] { "GridWorker" }, areaIds = new[] { account.GetProperty("areaIds")[0].GetGuid() } });
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        foreach (var node in new[] { cluster.A, cluster.B })
        {
            using var auditor = node.Client(await node.TokenAsync("auditor"));
            var check = await auditor.GetFromJsonAsync<JsonElement>("/api/audit/verify");
            output.WriteLine($"node {node.Name}: {check}");
            Assert.True(check.GetProperty("intact").GetBoolean(), $"node {node.Name}: {check}");
            // Each node writes its own head file every interval (everyNode); it verifies under the shared key.
            Assert.Contains(check.GetProperty("head").GetProperty("state").GetString(), new[] { "Matches", "None" });
            // The one-time step ran once, on the node that started first.
            var rewrites = await auditor.GetFromJsonAsync<JsonElement>("/api/audit?action=AuditChainRewritten");
            Assert.Equal(1, rewrites.GetProperty("total").GetInt32());
        }
    }

    [Fact]
    public async Task Step4_WhenNodeADies_NodeBServesAndTakesOverTheScheduledWork()
    {
        var token = await cluster.A.TokenAsync("leader");
        var killedAt = DateTime.UtcNow;
        cluster.A.Kill();
        Assert.False(cluster.A.Running);

        using var onB = cluster.B.Client(token);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/alerts")).StatusCode);
        var newToken = await cluster.B.TokenAsync("stats");
        using var stats = cluster.B.Client(newToken);
        Assert.Equal(HttpStatusCode.OK, (await stats.GetAsync("/health")).StatusCode);

        // The lease (3 s) expires and node B runs the checks from then on.
        List<(string Name, string Node, long Slot, DateTime StartedAt)> byB = [];
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            byB = [.. (await cluster.JobRunsAsync()).Where(r => r.Node == "node-B" && r.Name == "EscalationRule")];
            if (byB.Count >= 2) break;
            await Task.Delay(500);
        }
        output.WriteLine($"node B ran the escalation rule {byB.Count} times; first {(byB.Count > 0 ? (byB[0].StartedAt - killedAt).TotalSeconds : double.NaN):0.0} s after the kill");
        Assert.True(byB.Count >= 2, "node B did not take over the escalation rule within 30 s of node A's death");
        var runs = await cluster.JobRunsAsync();
        Assert.DoesNotContain(runs.GroupBy(r => (r.Name, r.Slot)), g => g.Count() > 1);
    }
}

/// <summary>Runs a class's tests in the order of their names (Step1_, Step2_...).</summary>
public sealed class InNameOrder : ITestCaseOrderer
{
    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(t => t.TestMethod.Method.Name, StringComparer.Ordinal);
}
