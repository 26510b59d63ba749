using System.Net;
using System.Net.Http.Headers;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Platform;

public sealed class TicketCacheFactory : AppFactory { protected override bool UseFakeClock => true; }

/// <summary>Bearer tickets are remembered per node once opened (ADR-009): that must not keep an expired token alive, nor let
/// an altered token through.</summary>
public sealed class TicketCacheTests(TicketCacheFactory app) : IClassFixture<TicketCacheFactory>
{
    [Fact]
    public async Task A_remembered_token_still_expires_and_an_altered_one_is_refused()
    {
        var token = await app.TokenAsync("cadre1");
        using var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        // Opened, then served from memory.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me")).StatusCode);

        // One character changed: not the remembered token, and its protection fails.
        using var altered = app.Anonymous();
        var c = token[token.Length / 2];
        altered.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            token[..(token.Length / 2)] + (c == 'A' ? 'B' : 'A') + token[(token.Length / 2 + 1)..]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await altered.GetAsync("/api/auth/me")).StatusCode);

        // Past the token's lifetime (12 h by default) the remembered ticket is refused like any other.
        app.Clock.Advance(TimeSpan.FromHours(12) + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);
        app.ForgetToken("cadre1");
    }
}
