namespace EpiGrid.Platform.Web;

/// <summary>
/// Security headers on every response. The app's pages run no inline script (CSP script-src 'self'); only the
/// API reference at /api/docs, which is third-party code, gets inline script.
/// </summary>
public static class SecurityHeaders
{
    private const string AppPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self' ws: wss:; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; " +
        "form-action 'self'; frame-ancestors 'none'";

    private const string DocsPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(SetHeaders, http);
        return next(http); // no async frame of its own in every request's chain
    });

    private static Task SetHeaders(object state)
    {
        var http = (HttpContext)state;
        var h = http.Response.Headers;
        var docs = http.Request.Path.StartsWithSegments("/api/docs");
        h.ContentSecurityPolicy = docs ? DocsPolicy : AppPolicy;
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "same-origin";
        h["Permissions-Policy"] = "camera=(self), geolocation=(), microphone=()";
        return Task.CompletedTask;
    }
}
