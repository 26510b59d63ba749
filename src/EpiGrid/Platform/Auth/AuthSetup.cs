using System.Security.Claims;
using EpiGrid.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EpiGrid.Platform.Auth;

public static class AuthSetup
{
    /// <summary>The scheme that picks the bearer token when the request has one, else the sign-in cookie.</summary>
    public const string Smart = "CookieOrBearer";
    public const string DisplayNameClaim = "display_name";

    public static IServiceCollection AddEpiGridAuth(this IServiceCollection services, EpiGridOptions options, bool development)
    {
        services.AddIdentityCore<AppUser>(o =>
            {
                o.Password.RequiredLength = 10; // and not a common password (CommonPasswordValidator)
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._";
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<EpiGridClaimsFactory>()
            .AddDefaultTokenProviders()
            .AddPasswordValidator<CommonPasswordValidator>()
            .AddErrorDescriber<ChineseIdentityErrors>();

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = Smart;
                o.DefaultChallengeScheme = Smart;
                o.DefaultForbidScheme = Smart;
                o.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(Smart, "Cookie or bearer", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                || (http.Request.Path.StartsWithSegments("/hubs") && http.Request.Query.ContainsKey("access_token"))
                    ? IdentityConstants.BearerScheme
                    : IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o =>
            {
                o.BearerTokenExpiration = options.TokenLifetime;
                o.Events.OnMessageReceived = ctx =>
                {
                    // SignalR clients send the token in the query string of the hub's URL.
                    if (ctx.Request.Path.StartsWithSegments("/hubs") && ctx.Request.Query.TryGetValue("access_token", out var t))
                    {
                        ctx.Token = t;
                    }
                    // A token opened before: the remembered copy, instead of a new string cut from the header on every request.
                    else if (ctx.Options.BearerTokenProtector is CachingTicketFormat cache && ctx.Request.Headers.Authorization.ToString() is { } header
                        && header.StartsWith("Bearer ", StringComparison.Ordinal) && cache.Known(header.AsSpan("Bearer ".Length)) is { } known)
                    {
                        ctx.Token = known;
                    }
                    return Task.CompletedTask;
                };
            })
            .AddIdentityCookies();
        // After ASP.NET Core's post-configuration has set the token format (registered by AddBearerToken above).
        services.AddSingleton<IPostConfigureOptions<Microsoft.AspNetCore.Authentication.BearerToken.BearerTokenOptions>, CacheBearerTickets>();

        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "EpiGrid.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = options.SecureCookies ?? !development ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/Account/Login";
            o.LogoutPath = "/Account/Logout";
            o.AccessDeniedPath = "/Account/AccessDenied";
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = true;
            // The stamp is checked on every request by ActiveAccountCheck; Identity's periodic check is not needed.
            o.Events.OnValidatePrincipal = _ => Task.CompletedTask;
            o.Events.OnRedirectToLogin = ctx => Api(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => Api(ctx, StatusCodes.Status403Forbidden);
        });

        services.AddAntiforgery(o =>
        {
            o.HeaderName = ApiAntiforgery.HeaderName;
            o.Cookie.Name = "EpiGrid.Csrf";
            o.Cookie.SecurePolicy = options.SecureCookies ?? !development ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        });

        services.AddAuthorization(Rights.AddPolicies);
        return services;
    }

    // /api never redirects: 401 or 403, as problem+json.
    private static Task Api(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (Problems.ProblemDetailsExceptionHandler.IsApi(ctx.Request))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : Guid.Empty;

    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue(DisplayNameClaim) ?? user.Identity?.Name ?? "";
}

/// <summary>Adds the display name to the principal (the top bar shows it).</summary>
public sealed class EpiGridClaimsFactory(UserManager<AppUser> users, RoleManager<IdentityRole<Guid>> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole<Guid>>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(AuthSetup.DisplayNameClaim, user.DisplayName));
        return identity;
    }
}

/// <summary>Identity's messages in Chinese.</summary>
public sealed class ChineseIdentityErrors : IdentityErrorDescriber
{
    public override IdentityError DuplicateUserName(string userName) => new() { Code = nameof(DuplicateUserName), Description = $"用户名 {userName} 已被使用" };
    public override IdentityError InvalidUserName(string? userName) => new() { Code = nameof(InvalidUserName), Description = "用户名只能包含字母、数字和 - . _" };
    public override IdentityError PasswordTooShort(int length) => new() { Code = nameof(PasswordTooShort), Description = $"密码至少 {length} 位" };
    public override IdentityError PasswordRequiresDigit() => new() { Code = nameof(PasswordRequiresDigit), Description = "密码须包含数字" };
    public override IdentityError PasswordRequiresLower() => new() { Code = nameof(PasswordRequiresLower), Description = "密码须包含小写字母" };
    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => new() { Code = nameof(PasswordRequiresUniqueChars), Description = $"密码须包含至少 {uniqueChars} 个不同字符" };
}
