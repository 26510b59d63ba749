using System.Text.RegularExpressions;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Infrastructure;

/// <summary>Every endpoint the app maps, read from its endpoint data source: a new endpoint cannot escape the harnesses.</summary>
public static partial class Endpoints
{
    public sealed record Info(string Method, string Pattern, bool IsApi, bool IsPage, bool Anonymous, string[] Policies, Type? BodyType, RouteEndpoint Endpoint)
    {
        /// <summary>Roles that satisfy every policy on the endpoint.</summary>
        public IReadOnlyList<string> AllowedRoles => Policies.Length == 0
            ? Roles.All
            : [.. Roles.All.Where(r => Policies.All(p => Rights.RolesOf[p].Contains(r)))];

        public string Url(Func<string, string>? value = null) => Param().Replace("/" + Pattern.TrimStart('/'), m =>
        {
            var name = m.Groups[1].Value;
            var optional = m.Value.EndsWith("?}", StringComparison.Ordinal);
            if (value is null && optional) return "";
            return value?.Invoke(name) ?? (m.Value.Contains(":guid", StringComparison.Ordinal) || name.EndsWith("id", StringComparison.OrdinalIgnoreCase) ? Guid.NewGuid().ToString() : "x");
        }).Replace("//", "/", StringComparison.Ordinal);

        public bool HasParameters => Pattern.Contains('{', StringComparison.Ordinal);
        public override string ToString() => $"{Method} {Pattern}";
    }

    [GeneratedRegex(@"\{([A-Za-z_]+)[^}]*\}")]
    private static partial Regex Param();

    public static List<Info> All(AppFactory app)
    {
        var sources = app.Services.GetServices<EndpointDataSource>();
        var list = new List<Info>();
        foreach (var e in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            var pattern = "/" + (e.RoutePattern.RawText ?? "").Trim('/');
            var isApi = pattern.StartsWith("/api/", StringComparison.Ordinal) || pattern == "/api";
            var isPage = e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.CompiledPageActionDescriptor>() is not null
                || e.Metadata.Any(m => m.GetType().Name == "PageRouteMetadata");
            if (!isApi && !isPage) continue;
            var methods = e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var anonymous = e.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToArray();
            var body = e.Metadata.GetMetadata<IAcceptsMetadata>() is { } accepts && accepts.ContentTypes.Contains("application/json") ? accepts.RequestType : null;
            foreach (var m in methods.Distinct())
            {
                list.Add(new Info(m, pattern, isApi, isPage && !isApi, anonymous, policies, body, e));
            }
        }
        // A page is one endpoint per route; GET is what people open.
        return [.. list.Where(i => !i.IsPage || i.Method == "GET").DistinctBy(i => (i.Method, i.Pattern))];
    }

    /// <summary>A demo account for each role (the fixture creates the volunteer).</summary>
    public static readonly IReadOnlyDictionary<string, string> UserOf = new Dictionary<string, string>
    {
        [Roles.Admin] = "admin", [Roles.Leader] = "leader", [Roles.Supervisor] = "supervisor", [Roles.GridWorker] = "grid1",
        [Roles.Statistician] = "stats", [Roles.GateKeeper] = "gate1", [Roles.ComplaintOfficer] = "hotline",
        [Roles.Publicity] = "publicity", [Roles.Volunteer] = "volunteer1", [Roles.Auditor] = "auditor",
    };

    /// <summary>The volunteer (the demo has none) and a leader scoped to one community (for out-of-scope probes of leaders' routes).</summary>
    public static async Task EnsureVolunteerAsync(AppFactory app)
    {
        var admin = await app.As("admin");
        var exists = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Users, u => u.UserName == "volunteer1"));
        if (exists) return;
        var r = await admin.PostJsonAsync("/api/users", new { userName = "volunteer1", displayName = "志愿者小李", roles = new[] { Roles.Volunteer }, password = AppFactory.NewPassword });
        Assert.Equal(System.Net.HttpStatusCode.Created, r.StatusCode);
        var xiguan = await Demo.AreaAsync(app, "西关社区");
        r = await admin.PostJsonAsync("/api/users", new { userName = "leaderx", displayName = "西关社区书记", roles = new[] { Roles.Leader }, areaIds = new[] { xiguan.Id }, password = AppFactory.NewPassword });
        Assert.Equal(System.Net.HttpStatusCode.Created, r.StatusCode);
    }
}
