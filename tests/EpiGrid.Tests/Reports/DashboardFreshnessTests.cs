using System.Net;
using Microsoft.Extensions.DependencyInjection;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using EpiGrid.Tests.Trust;

namespace EpiGrid.Tests.Reports;

/// <summary>The dashboard as served (cache on): after a change the last figures come back at once, marked stale, while
/// newer ones are computed in the background; asking again shortly gives the new figures.</summary>
public sealed class DashboardFreshnessTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task After_a_change_the_last_figures_are_answered_marked_stale_and_the_next_ask_has_the_new_ones()
    {
        var leader = await app.As("leader");
        var first = await leader.GetAsync("/api/dashboard");
        first.EnsureStatus(HttpStatusCode.OK);
        Assert.False(first.Headers.Contains("X-Dashboard-Stale"));
        var before = (await first.JsonAsync())["alerts"]!["feverToday"]!.GetValue<int>();
        // Unchanged data: the same figures from memory, fresh.
        var again = await leader.GetAsync("/api/dashboard");
        Assert.False(again.Headers.Contains("X-Dashboard-Stale"));

        // A feverish visitor at a gate: a fever alert today.
        var gate1 = await app.As("gate1");
        var gate = (await Demo.GateAsync(app, "春天大道东门")).Id;
        (await gate1.PostJsonAsync($"/api/gates/{gate}/passes", new
        {
            clientId = Guid.NewGuid(), direction = "In", temperature = 38.2m,
            visitor = new { name = "刘发热", phone = "13800138000", idNumber = RegisterPersonTests.NewIdNumber(), from = "宝鸡市渭滨区", to = "春天大道" },
        })).EnsureStatus(HttpStatusCode.Created);

        var stale = await leader.GetAsync("/api/dashboard");
        stale.EnsureStatus(HttpStatusCode.OK);
        Assert.Equal("true", stale.Headers.GetValues("X-Dashboard-Stale").Single());
        Assert.Equal(before, (await stale.JsonAsync())["alerts"]!["feverToday"]!.GetValue<int>());

        // The background computation lands: the next asks are fresh and count the fever.
        for (var i = 0; i < 100; i++)
        {
            var r = await leader.GetAsync("/api/dashboard");
            if (!r.Headers.Contains("X-Dashboard-Stale"))
            {
                Assert.Equal(before + 1, (await r.JsonAsync())["alerts"]!["feverToday"]!.GetValue<int>());
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail("the dashboard stayed stale for 10 s after one change");
    }

    [Fact]
    public async Task With_nothing_in_memory_leaders_asking_at_once_share_one_computation()
    {
        var leader = await app.As("leader");
        // An area no other test here asks for, so nothing of it is in memory yet.
        var area = (await Demo.AreaAsync(app, "叉车厂社区")).Id;
        var refresher = app.Services.GetRequiredService<EpiGrid.Features.Dashboard.DashboardRefresher>();
        var before = refresher.Computations;
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => leader.GetAsync($"/api/dashboard?areaId={area}")));
        foreach (var a in answers)
        {
            a.EnsureStatus(HttpStatusCode.OK);
            Assert.False(a.Headers.Contains("X-Dashboard-Stale"));
        }
        Assert.Equal(1, refresher.Computations - before);
        var bodies = await Task.WhenAll(answers.Select(a => a.Content.ReadAsStringAsync()));
        Assert.Single(bodies.Distinct());
    }
}
