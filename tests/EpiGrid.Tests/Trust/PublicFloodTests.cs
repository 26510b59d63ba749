using System.Diagnostics;
using System.Net;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Trust;

/// <summary>All public requests share a small concurrency budget here (2 at once, 4 waiting; defaults 16 and 200).</summary>
public sealed class PublicFloodFactory : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
        [new("EpiGrid:RateLimits:PublicConcurrent", "2"), new("EpiGrid:RateLimits:PublicQueue", "4")];
}

public sealed class PublicFloodTests(PublicFloodFactory app) : IClassFixture<PublicFloodFactory>
{
    [Fact]
    public async Task A_public_form_flood_is_bounded_and_the_staff_pages_answer_meanwhile()
    {
        var leader = await app.As("leader");
        await leader.GetJsonAsync("/api/people?pageSize=5"); // warm
        using var flood = new CancellationTokenSource();
        var codes = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        var flooders = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            var anon = app.Anonymous();
            while (!flood.IsCancellationRequested)
            {
                var r = await anon.PostJsonAsync("/api/public/complaints", new
                {
                    category = "Help", content = "洪水测试 " + i, complainantName = "测试", complainantPhone = "13800005678", consent = true,
                });
                codes.Add(r.StatusCode);
            }
        })).ToArray();
        await Task.Delay(500);

        // Meanwhile, staff requests: every one answered, none turned away.
        var staff = new List<(HttpStatusCode Code, double Ms)>();
        for (var i = 0; i < 10; i++)
        {
            var sw = Stopwatch.StartNew();
            var r = await leader.GetAsync("/api/people?pageSize=20");
            staff.Add((r.StatusCode, sw.Elapsed.TotalMilliseconds));
        }
        flood.Cancel();
        await Task.WhenAll(flooders);

        Assert.All(staff, s => Assert.Equal(HttpStatusCode.OK, s.Code));
        // The flood was held to its budget: beyond 2 at once and 4 waiting, public requests were refused with 429.
        Assert.Contains(HttpStatusCode.TooManyRequests, codes);
        Assert.Contains(HttpStatusCode.Created, codes);
        Assert.All(codes, c => Assert.True(c is HttpStatusCode.Created or HttpStatusCode.TooManyRequests, c.ToString()));
    }
}
