using System.Security.Claims;
using EpiGrid.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EpiGrid.Platform.Auth;

/// <summary>
/// On every authenticated request, cookie or bearer: the account must still exist, be enabled and carry the
/// same security stamp as when it signed in. Disabling an account or changing its password (or roles, or scope)
/// changes the stamp, so its cookies and tokens stop working at once, on every node.
/// </summary>
public sealed class ActiveAccountCheck(AppDbContext db, IOptions<IdentityOptions> identity) : IClaimsTransformation
{
    private const string CheckedType = "EpiGrid:Checked";

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true || principal.HasClaim(c => c.Type == CheckedType)) return principal;
        var stampType = identity.Value.ClaimsIdentity.SecurityStampClaimType;
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id)) return Anonymous;
        var stamp = principal.FindFirstValue(stampType);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new { u.SecurityStamp, u.IsDisabled }).FirstOrDefaultAsync();
        if (user is null || user.IsDisabled || stamp is null || user.SecurityStamp != stamp) return Anonymous;
        var checkedPrincipal = principal.Clone();
        ((ClaimsIdentity)checkedPrincipal.Identity!).AddClaim(new Claim(CheckedType, "1"));
        return checkedPrincipal;
    }

    private static ClaimsPrincipal Anonymous => new(new ClaimsIdentity());
}
