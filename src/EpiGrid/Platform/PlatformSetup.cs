using System.Globalization;
using System.Text.Json.Serialization;
using EpiGrid.Data;
using EpiGrid.Platform.Audit;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Cluster;
using EpiGrid.Platform.Jobs;
using EpiGrid.Platform.Problems;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace EpiGrid.Platform;

/// <summary>Composes the cross-cutting parts: settings, database, auth, errors, privacy, localization, API docs.</summary>
public static class PlatformSetup
{
    public static readonly CultureInfo[] Cultures = [new("zh-CN"), new("en")];

    public static WebApplicationBuilder AddEpiGridPlatform(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        var options = config.GetSection(EpiGridOptions.Section).Get<EpiGridOptions>() ?? new EpiGridOptions();
        var dataDir = Path.GetFullPath(options.DataDirectory, builder.Environment.ContentRootPath);
        Directory.CreateDirectory(dataDir);
        var publicBase = PublicLinks.Parse(options.PublicBaseUrl);
        if (publicBase is not null) UsePublicHostOnly(services, config, publicBase);
        else if (builder.Environment.IsDevelopment()) publicBase = DevelopmentUrl(config);
        services.AddOptions<EpiGridOptions>().BindConfiguration(EpiGridOptions.Section).PostConfigure(o =>
        {
            o.DataDirectory = dataDir;
            o.PublicBaseUrl = publicBase;
            o.Demo ??= builder.Environment.IsDevelopment();
            o.KeyFile = Path.GetFullPath(o.KeyFile ?? Path.Combine(dataDir, "epigrid.kek"), builder.Environment.ContentRootPath);
            o.Uploads.Directory = Path.GetFullPath(o.Uploads.Directory ?? Path.Combine(dataDir, "uploads"), builder.Environment.ContentRootPath);
            o.Audit.HeadFile = Path.GetFullPath(o.Audit.HeadFile ?? Path.Combine(dataDir, "audit-head.json"), builder.Environment.ContentRootPath);
            o.Backup.Directory = Path.GetFullPath(o.Backup.Directory ?? Path.Combine(dataDir, "backups"), builder.Environment.ContentRootPath);
        })
            // A period of 0 (or less) would remove every record of its kind at the next run: refused at start, not read as "off".
            .Validate(o => o.Retention.Days >= 1 && o.Retention.VisitorPassDays >= 1 && o.Retention.RegistrationDays >= 1
                    && o.Retention.ImportDays >= 1 && o.Retention.ClosedComplaintDays >= 1 && o.Retention.InspectionDays >= 1
                    && o.Retention.ResidentDays >= 1 && o.Retention.ResidentPassDays >= 1,
                "EpiGrid:Retention: Days, VisitorPassDays, RegistrationDays, ImportDays, ClosedComplaintDays, InspectionDays, ResidentDays and ResidentPassDays must each be at least 1 (days); 0 would remove those records at the next run")
            // Network logs (the sign-in records) are kept at least six months.
            .Validate(o => o.Retention.SignInDays >= 180, "EpiGrid:Retention:SignInDays must be at least 180 (days): sign-in records are network logs, kept six months or more")
            .Validate(o => o.Backup.KeepDays >= 1 && o.Backup.KeepLast >= 1 && o.Backup.BeforeRestoreDays >= 1,
                "EpiGrid:Backup: KeepDays, KeepLast and BeforeRestoreDays must each be at least 1; 0 would remove every backup (or copy) at the next run")
            .ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<OfficeClock>();
        services.AddSingleton(sp => new PublicLinks(sp.GetRequiredService<IOptions<EpiGridOptions>>().Value.PublicBaseUrl
            ?? throw new InvalidOperationException(PublicBaseUrlMissing)));
        services.AddHttpContextAccessor();
        services.AddEpiGridDatabase(config, dataDir);
        services.AddEpiGridAuth(options, builder.Environment.IsDevelopment());
        services.AddSingleton(sp => new KeyRing(sp.GetRequiredService<IOptions<EpiGridOptions>>().Value.KeyFile!));
        services.AddSingleton<PrivacyKit>();
        // The audit chain's key (derived from the key file) and its head outside the database, written hourly on every node (ADR-019).
        services.AddSingleton<AuditChainKey>();
        services.AddSingleton<AuditHeadFile>();
        services.AddPeriodicCheck<AuditHeadCheck>(TimeSpan.FromHours(1), everyNode: true);
        // The app's backups and the copies a restore moves aside, kept for their periods (EpiGrid:Backup).
        services.AddPeriodicCheck<Backup.BackupRetentionCheck>(TimeSpan.FromDays(1), everyNode: true);
        // Tokens and cookies survive a restart and open on every node: Data Protection keys in the database (S1).
        services.AddEpiGridCluster(config);
        services.AddScoped<Exporter>();
        services.AddScoped<Revealer>();

        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Extensions.Remove("exception");
            // Chinese titles where the framework would give its English reason phrase.
            var title = ctx.ProblemDetails.Title;
            if (title is null || title == ReasonPhrases.GetReasonPhrase(ctx.ProblemDetails.Status ?? 0))
            {
                ctx.ProblemDetails.Title = ctx.ProblemDetails.Status switch
                {
                    400 => "请求无效",
                    401 => "未登录或登录已失效",
                    403 => "无权执行此操作",
                    404 => "未找到（或不在您的辖区内）",
                    405 => "不支持该请求方法",
                    409 => "与现有数据冲突",
                    413 => "请求体过大",
                    415 => "不支持的内容类型，请以 application/json 提交",
                    429 => "请求过于频繁，请稍后再试",
                    _ => title ?? "服务器内部错误",
                };
            }
        });
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        // Bad request bodies throw, so the one exception handler answers them with a ProblemDetails naming the field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            // Chinese as text in the API's JSON, not \uXXXX escapes.
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        });

        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture("zh-CN");
            o.SupportedCultures = Cultures;
            o.SupportedUICultures = Cultures;
            // The choice made with the language switch (a cookie) wins; the browser's language does not: zh-CN first.
            o.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });
        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Features";
                o.Conventions.AuthorizeFolder("/", Rights.SignedIn);
                o.Conventions.AllowAnonymousToFolder("/Account");
                o.Conventions.AllowAnonymousToPage("/Error");
                o.Conventions.AllowAnonymousToFolder("/Public");
            })
            .AddViewLocalization()
            .AddDataAnnotationsLocalization(o => o.DataAnnotationLocalizerProvider = (_, f) => f.Create(typeof(SharedResource)));
        services.AddEpiGridRateLimits(config);
        services.AddOpenApi();
        // Chinese as it is in the HTML, not as &#x...; entities.
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        return builder;
    }

    private const string PublicBaseUrlMissing =
        "请设置本系统的公网访问地址：环境变量 EpiGrid__PublicBaseUrl（如 https://xg.example.gov.cn），登记链接和二维码由它生成。" +
        " Set EpiGrid__PublicBaseUrl to the office's public address (https://xg.example.gov.cn): public links and QR codes are built from it.";

    /// <summary>
    /// Host filtering from the public address, unless <c>AllowedHosts</c> names hosts itself: its host name, and the loopback
    /// names (localhost, 127.0.0.1, [::1]) so a health check or a tool on the node itself (curl http://127.0.0.1:5000/health)
    /// still gets an answer — a browser lured by DNS rebinding sends the attacker's name, never a loopback one. Any other
    /// Host → 400. Several nodes behind nginx: the proxy passes the public Host, or AllowedHosts lists the nodes' addresses too
    /// (docs/deploy.md).
    /// </summary>
    private static void UsePublicHostOnly(IServiceCollection services, IConfiguration config, string publicBase)
    {
        var allowed = config["AllowedHosts"];
        if (!string.IsNullOrWhiteSpace(allowed) && allowed.Trim() != "*") return;
        var host = new Uri(publicBase).IdnHost;
        if (host.Contains(':')) host = "[" + host + "]";
        services.PostConfigure<Microsoft.AspNetCore.HostFiltering.HostFilteringOptions>(o =>
            o.AllowedHosts = [.. new[] { host, "localhost", "127.0.0.1", "[::1]" }.Distinct(StringComparer.OrdinalIgnoreCase)]);
    }

    /// <summary>In Development without the setting: the address `dotnet run` listens on (launchSettings.json, --urls).</summary>
    private static string DevelopmentUrl(IConfiguration config)
    {
        var first = config["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is null) return "http://localhost:5000";
        first = first.Replace("://*", "://localhost").Replace("://+", "://localhost").Replace("://0.0.0.0", "://localhost").Replace("://[::]", "://localhost");
        return PublicLinks.Parse(first) ?? "http://localhost:5000";
    }

    /// <summary>Migrates, loads the keys and seeds, before the first request.</summary>
    public static async Task StartEpiGridAsync(this WebApplication app)
    {
        // Links and QR codes for the public need the public address: no start without it (outside Development).
        if (app.Services.GetRequiredService<IOptions<EpiGridOptions>>().Value.PublicBaseUrl is null)
            throw new InvalidOperationException(PublicBaseUrlMissing);
        await DatabaseSetup.MigrateAsync(app.Services);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await app.Services.GetRequiredService<KeyRing>().LoadAsync(db, app.Services.GetRequiredService<TimeProvider>());
        ClusterSetup.EnsureDataProtectionKey(app.Services);
        await Seeding.RunAsync(scope.ServiceProvider, app.Logger);
        // Migrations, the models and the demo seed leave a heap that server GC would otherwise keep committed for the
        // life of the process: give it back once, before serving (G1's memory target is for the whole process).
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    public static WebApplication UseEpiGridPlatform(this WebApplication app)
    {
        // Behind nginx the connection is the proxy's: take the client's address and scheme from the headers the named
        // proxies set (one hop), never from anyone else (EpiGrid:TrustedProxies).
        var proxies = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EpiGridOptions>>().Value.TrustedProxies;
        if (proxies.Length > 0)
        {
            var forwarded = new ForwardedHeadersOptions
            {
                ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
                ForwardLimit = 1,
            };
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var p in proxies)
            {
                if (System.Net.IPNetwork.TryParse(p, out var network)) forwarded.KnownIPNetworks.Add(network);
                else if (System.Net.IPAddress.TryParse(p, out var address)) forwarded.KnownProxies.Add(address);
                else throw new InvalidOperationException($"EpiGrid:TrustedProxies: \"{p}\" is neither an address nor a network (10.0.1.10, 10.0.1.0/24).");
            }
            app.UseForwardedHeaders(forwarded);
        }
        app.UseExceptionHandler("/Error");
        app.UseStatusCodePages(); // empty 4xx/5xx bodies on /api become ProblemDetails
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.UseStaticFiles();
        var secureCookies = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EpiGridOptions>>().Value.SecureCookies ?? !app.Environment.IsDevelopment();
        app.UsePagesNeedHttps(secureCookies);
        // The language (the switch's cookie) is for pages; the API answers the same whatever it is, in the office's
        // culture (zh-CN), set here without the localization middleware's async frame (bench/README.md, G1). Pages then
        // take the language the localization middleware picks.
        app.Use((http, next) =>
        {
            CultureInfo.CurrentCulture = Cultures[0];
            CultureInfo.CurrentUICulture = Cultures[0];
            return next(http);
        });
        app.UseWhen(http => !http.Request.Path.StartsWithSegments("/api"), pages => pages.UseRequestLocalization());
        app.UseRouting();
        app.UseBodyLimits();
        // Only public routes and routes with a limit of their own (sign-in) go through the limiter; the staff's
        // requests had no limit in it, only its cost.
        app.UseWhen(RateLimits.Applies, limited => limited.UseRateLimiter());
        app.UseAuthentication();
        app.UseActiveAccountCheck();
        app.UseAuthorization();
        app.UseDataScope();
        app.UseApiAntiforgery();

        app.MapGet("/health", async (AppDbContext db) =>
            await db.Database.CanConnectAsync() ? Results.Text("Healthy") : Results.Problem(title: "数据库无响应", statusCode: 503))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/api/docs", o => o.WithTitle("EpiGrid API").WithOpenApiRoutePattern("/openapi/{documentName}.json")).AllowAnonymous();
        app.MapRazorPages();
        app.MapGet("/culture/{culture}", (string culture, string? returnUrl, HttpContext http) =>
        {
            if (Cultures.All(c => c.Name != culture)) return Results.BadRequest();
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
            return Results.LocalRedirect(string.IsNullOrEmpty(returnUrl) || !returnUrl.StartsWith('/') || returnUrl.StartsWith("//", StringComparison.Ordinal) ? "/" : returnUrl);
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
