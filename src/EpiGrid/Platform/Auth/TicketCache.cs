using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EpiGrid.Platform.Auth;

/// <summary>
/// Remembers the tickets of bearer tokens already opened on this node, so that a gate phone posting passes all day does
/// not pay Data Protection's decryption and MAC of its token on every request (G1's profile: the largest single cost of
/// an authenticated API call). Nothing about trust changes: the token was verified when it was first seen, the bearer
/// handler still refuses an expired ticket, and <see cref="ActiveAccountCheck"/> still checks the account and its
/// security stamp on every request. Each request gets its own copy of the principal.
/// </summary>
public sealed class CachingTicketFormat(ISecureDataFormat<AuthenticationTicket> inner, int capacity = 10_000) : ISecureDataFormat<AuthenticationTicket>
{
    private readonly ConcurrentDictionary<string, AuthenticationTicket> _opened = new(StringComparer.Ordinal);

    /// <summary>The remembered token equal to these characters, if any (no string made to look it up).</summary>
    public string? Known(ReadOnlySpan<char> token) =>
        _opened.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(token, out var known, out _) ? known : null;

    public string Protect(AuthenticationTicket data) => inner.Protect(data);
    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);
    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (protectedText is null || purpose is not null) return inner.Unprotect(protectedText, purpose);
        if (!_opened.TryGetValue(protectedText, out var ticket))
        {
            ticket = inner.Unprotect(protectedText);
            if (ticket is null) return null; // forged or damaged tokens are not remembered
            // Bounded: when full (many devices, or tokens of a past day), start again rather than grow.
            if (_opened.Count >= capacity) _opened.Clear();
            _opened[protectedText] = ticket;
        }
        return new AuthenticationTicket(ticket.Principal.Clone(), ticket.Properties.Clone(), ticket.AuthenticationScheme);
    }
}

/// <summary>Wraps the bearer scheme's token format (set by ASP.NET Core's own post-configuration) in <see cref="CachingTicketFormat"/>.</summary>
internal sealed class CacheBearerTickets : IPostConfigureOptions<BearerTokenOptions>
{
    public void PostConfigure(string? name, BearerTokenOptions options)
    {
        if (name == IdentityConstants.BearerScheme && options.BearerTokenProtector is not CachingTicketFormat)
        {
            options.BearerTokenProtector = new CachingTicketFormat(options.BearerTokenProtector);
        }
    }
}
