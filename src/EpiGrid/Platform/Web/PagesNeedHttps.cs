using System.Net;

namespace EpiGrid.Platform.Web;

/// <summary>
/// With secure cookies (the default outside Development) the browser never sends the sign-in and antiforgery cookies back
/// over plain HTTP, and ASP.NET Core refuses to issue an antiforgery token on such a request: every page with a form
/// would answer 500. That happens on a first trial on an office LAN, or behind a proxy that terminates TLS but is not yet
/// named in <c>EpiGrid:TrustedProxies</c>. The pages then answer 400 with a page that says which setting to change; the
/// API (bearer tokens, no cookies), the hub, the health check and static files are unaffected. At start the app logs the
/// same advice when it listens on plain HTTP only.
/// </summary>
public static class PagesNeedHttps
{
    public static IApplicationBuilder UsePagesNeedHttps(this WebApplication app, bool secureCookies)
    {
        if (!secureCookies) return app;
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Urls.ToList();
            var proxies = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EpiGridOptions>>().Value.TrustedProxies;
            if (addresses.Count > 0 && addresses.All(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) && proxies.Length == 0)
            {
                app.Logger.LogWarning("EpiGrid listens on plain HTTP ({Addresses}) with secure cookies: the pages work only over HTTPS. " +
                    "Behind a TLS proxy name it in EpiGrid__TrustedProxies__0; for a trial on a trusted LAN set EpiGrid__SecureCookies=false.",
                    string.Join(", ", addresses));
            }
        });
        app.Use((http, next) => http.Request.IsHttps || !IsPage(http.Request.Path) ? next(http) : ExplainAsync(http));
        return app;
    }

    private static bool IsPage(PathString path) =>
        !(path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs") || path.StartsWithSegments("/health")
          || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/culture"));

    private static Task ExplainAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        http.Response.ContentType = "text/html; charset=utf-8";
        var host = WebUtility.HtmlEncode(http.Request.Host.Value ?? "");
        return http.Response.WriteAsync($$"""
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>请通过 HTTPS 访问 · HTTPS required</title>
            <style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.6}code{background:#f3f3f3;padding:0 .25rem}</style>
            </head><body>
            <h1>请通过 HTTPS 访问本系统</h1>
            <p>本系统的登录和表单使用安全 Cookie，只能通过 HTTPS 使用。您正以 HTTP 访问 <code>{{host}}</code>。</p>
            <ul>
              <li>若前面有 nginx 等反向代理（已配置 HTTPS）：请在本系统设置中信任该代理，<code>EpiGrid__TrustedProxies__0=代理的地址</code>，并确认代理转发 <code>X-Forwarded-Proto</code>。</li>
              <li>若只是在可信的局域网内试用：可设置 <code>EpiGrid__SecureCookies=false</code> 后重启（正式使用前请改回并启用 HTTPS）。</li>
            </ul>
            <p>接口（<code>/api</code>，Bearer 令牌）不受影响。</p>
            <hr>
            <h2 lang="en">HTTPS required</h2>
            <p lang="en">The pages use secure cookies and work only over HTTPS. Behind a TLS proxy, trust it with
            <code>EpiGrid__TrustedProxies__0</code> (and forward <code>X-Forwarded-Proto</code>); for a trial on a trusted LAN, set
            <code>EpiGrid__SecureCookies=false</code> and restart. The API (bearer tokens) is unaffected.</p>
            </body></html>
            """);
    }
}
