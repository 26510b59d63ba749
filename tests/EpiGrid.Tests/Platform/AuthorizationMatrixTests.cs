using System.Net;
using EpiGrid.Platform.Auth;
using EpiGrid.Tests.Infrastructure;
using Xunit.Abstractions;

namespace EpiGrid.Tests.Platform;

/// <summary>
/// The authorization matrix: every endpoint the app maps — /api and pages — is called anonymously (401, or the
/// sign-in page), by every role without the right (403), by every role with it (never 401/403; pages open), and,
/// for routes that name a record, by a user whose scope does not cover it (404). A new endpoint is covered by
/// existing; a new route with a parameter must say how to find a record outside a scope (<see cref="OutOfScope"/>).
/// </summary>
public sealed class AuthorizationMatrixTests(AppFactory app, ITestOutputHelper output) : IClassFixture<AppFactory>
{
    /// <summary>Open to everyone (docs/api.md, "Conventions"), and the sign-in pages.</summary>
    private static readonly HashSet<string> Public = ["/api/auth/login", "/api/docs", "/api/docs/{**rest}", "/api/docs/{documentName}", "/Account/Login", "/Account/Logout", "/Account/AccessDenied", "/Error",
        "/api/public/complaints", "/api/public/complaints/{number}", "/Public/Complaint"];

    private sealed record Probe(string User, string Url);

    /// <summary>
    /// For each route with a parameter: who calls it, and with what record outside their scope (→ 404). Admin-only
    /// routes have no scope (admins see everything): say so with <c>null</c>.
    /// </summary>
    private async Task<Probe?> OutOfScope(Endpoints.Info e)
    {
        var otherCompound = await Demo.AreaAsync(app, "叉车厂小区");
        var otherGate = await Demo.GateAsync(app, "叉车厂小区正门");
        var grid2 = await Demo.UserIdAsync(app, "grid2");
        var field = e.Pattern.StartsWith("/api/premises", StringComparison.Ordinal) || e.Pattern.StartsWith("/api/inspections", StringComparison.Ordinal)
            || e.Pattern.StartsWith("/api/rectifications", StringComparison.Ordinal) || e.Pattern.StartsWith("/api/disinfection", StringComparison.Ordinal)
            ? await EpiGrid.Tests.Inspections.FieldWorkData.InCompoundAsync(app, "叉车厂小区") : null;
        var w2 = e.Pattern.StartsWith("/api/supplies", StringComparison.Ordinal) || e.Pattern.StartsWith("/api/publicity", StringComparison.Ordinal)
            || e.Pattern.StartsWith("/api/duty", StringComparison.Ordinal)
            ? _w2 ??= await EpiGrid.Tests.FieldWork2.FieldWork2Data.InCompoundAsync(app, "叉车厂小区") : null;
        if (e.Pattern.StartsWith("/api/imports/", StringComparison.Ordinal)) _import ??= await EpiGrid.Tests.Imports.ImportData.OtherImportAsync(app);
        return (e.Method, e.Pattern) switch
        {
            // Field work II (W2): supplies by the household's compound; a volunteer sees only the deliveries assigned to them.
            ("GET", "/api/supplies/{id:guid}") => new("grid1", $"/api/supplies/{w2!.RequestId}"),
            ("POST", "/api/supplies/{id:guid}/assign") => new("grid1", $"/api/supplies/{w2!.RequestId}/assign"),
            ("POST", "/api/supplies/{id:guid}/delivered") => new("grid1", $"/api/supplies/{w2!.RequestId}/delivered"),
            ("POST", "/api/supplies/{id:guid}/cancel") => new("grid1", $"/api/supplies/{w2!.RequestId}/cancel"),
            ("POST", "/api/supplies/mine/{id:guid}/delivered") => new("volunteer1", $"/api/supplies/mine/{w2!.RequestId}/delivered"),
            // Publicity and rosters: leaderx (西关社区) and records of 叉车厂社区.
            ("GET", "/api/publicity/vehicles/{id:guid}") or ("PUT", "/api/publicity/vehicles/{id:guid}") => new("leaderx", $"/api/publicity/vehicles/{w2!.VehicleId}"),
            ("GET", "/api/publicity/runs/{id:guid}") => new("leaderx", $"/api/publicity/runs/{w2!.RunId}"),
            ("GET", "/api/publicity/points/{id:guid}") or ("PUT", "/api/publicity/points/{id:guid}") => new("leaderx", $"/api/publicity/points/{w2!.PointId}"),
            ("GET", "/api/publicity/postings/{id:guid}") => new("leaderx", $"/api/publicity/postings/{w2!.PostingId}"),
            ("GET", "/api/duty/members/{id:guid}") or ("PUT", "/api/duty/members/{id:guid}") => new("leaderx", $"/api/duty/members/{w2!.MemberId}"),
            ("GET", "/api/duty/posts/{id:guid}") or ("PUT", "/api/duty/posts/{id:guid}") => new("leaderx", $"/api/duty/posts/{w2!.PostId}"),
            ("GET", "/api/duty/teams/{id:guid}") or ("PUT", "/api/duty/teams/{id:guid}") => new("leaderx", $"/api/duty/teams/{w2!.TeamId}"),
            ("GET", "/api/duty/shifts/{id:guid}") or ("DELETE", "/api/duty/shifts/{id:guid}") => new("leaderx", $"/api/duty/shifts/{w2!.ShiftId}"),
            ("GET", "/api/premises/{id:guid}") or ("PUT", "/api/premises/{id:guid}") => new("grid1", $"/api/premises/{field!.PremisesId}"),
            ("GET", "/api/premises/{id:guid}/inspections") or ("POST", "/api/premises/{id:guid}/inspections") => new("grid1", $"/api/premises/{field!.PremisesId}/inspections"),
            ("GET", "/api/inspections/{id:guid}") => new("grid1", $"/api/inspections/{field!.InspectionId}"),
            ("POST", "/api/inspections/{id:guid}/photos") => new("grid1", $"/api/inspections/{field!.InspectionId}/photos"),
            ("GET", "/api/inspections/{id:guid}/photos/{photoId:guid}") => new("grid1", $"/api/inspections/{field!.InspectionId}/photos/{field.PhotoId}"),
            ("GET", "/api/rectifications/{id:guid}") => new("grid1", $"/api/rectifications/{field!.RectificationId}"),
            ("GET", "/api/disinfection/plans/{id:guid}") or ("PUT", "/api/disinfection/plans/{id:guid}") => new("grid1", $"/api/disinfection/plans/{field!.PlanId}"),
            ("GET", "/api/disinfection/records/{id:guid}") => new("grid1", $"/api/disinfection/records/{field!.RecordId}"),
            ("POST", "/api/gates/{gateId:guid}/passes") => new("gate1", $"/api/gates/{otherGate.Id}/passes"),
            ("GET", "/api/gates/{gateId:guid}/residents") => new("gate1", $"/api/gates/{otherGate.Id}/residents?q=101"),
            ("GET", "/api/gates/{gateId:guid}/passes") => new("grid1", $"/api/gates/{otherGate.Id}/passes"),
            ("GET", "/api/gates/{gateId:guid}/passes/export.xlsx") => new("grid1", $"/api/gates/{otherGate.Id}/passes/export.xlsx"),
            // G2: pass cards and the shared gate phone.
            ("POST", "/api/gates/{gateId:guid}/card-scans") => new("gate1", $"/api/gates/{otherGate.Id}/card-scans"),
            ("POST", "/api/gates/{gateId:guid}/unlock") => new("gate1", $"/api/gates/{otherGate.Id}/unlock"),
            ("POST", "/api/pass-cards/{id:guid}/revoke") => new("grid1", $"/api/pass-cards/{await OtherPassCardAsync()}/revoke"),
            ("PUT", "/api/pass-cards/outing-limits/{compoundId:guid}") => new("leaderx", $"/api/pass-cards/outing-limits/{otherCompound.Id}"),
            ("GET", "/api/areas/{id:guid}") => new("grid1", $"/api/areas/{otherCompound.Id}"),
            ("GET", "/api/gates/{id:guid}") => new("gate1", $"/api/gates/{otherGate.Id}"),
            ("POST", "/api/users/{id:guid}/reveal") => new("grid1", $"/api/users/{grid2}/reveal"),
            ("POST", "/api/alerts/{id:guid}/acknowledge") => new("grid1", $"/api/alerts/{await OtherCommunityAlertAsync()}/acknowledge"),
            ("POST", "/api/alerts/{id:guid}/resolve") => new("grid1", $"/api/alerts/{await OtherCommunityAlertAsync()}/resolve"),
            ("POST", "/api/areas/{id:guid}/closed-management") => new("leaderx", $"/api/areas/{otherCompound.Id}/closed-management"),
            ("GET", "/api/people/{id:guid}") => new("grid1", $"/api/people/{await OtherPersonAsync()}"),
            ("POST", "/api/people/{id:guid}/reveal") => new("grid1", $"/api/people/{await OtherPersonAsync()}/reveal"),
            ("GET", "/api/people/{id:guid}/contacts") => new("grid1", $"/api/people/{await OtherPersonAsync()}/contacts"),
            ("POST", "/api/people/{id:guid}/contacts") => new("grid1", $"/api/people/{await OtherPersonAsync()}/contacts"),
            ("POST", "/api/people/{id:guid}/transfer") => new("grid1", $"/api/people/{await OtherPersonAsync()}/transfer"),
            ("POST", "/api/people/{id:guid}/trace-building") => new("grid1", $"/api/people/{await OtherPersonAsync()}/trace-building"),
            ("POST", "/api/people/{id:guid}/care") => new("grid1", $"/api/people/{await OtherPersonAsync()}/care"),
            ("POST", "/api/people/{id:guid}/quarantines") => new("grid1", $"/api/people/{await OtherPersonAsync()}/quarantines"),
            ("GET", "/api/people/{id:guid}/quarantines") => new("grid1", $"/api/people/{await OtherPersonAsync()}/quarantines"),
            ("POST", "/api/people/{id:guid}/health-checks") => new("grid1", $"/api/people/{await OtherPersonAsync()}/health-checks"),
            ("GET", "/api/people/{id:guid}/health-checks") => new("grid1", $"/api/people/{await OtherPersonAsync()}/health-checks"),
            ("GET", "/api/quarantines/{id:guid}") => new("grid1", $"/api/quarantines/{await OtherOrderAsync()}"),
            ("POST", "/api/quarantines/{id:guid}/extend") => new("grid1", $"/api/quarantines/{await OtherOrderAsync()}/extend"),
            ("POST", "/api/quarantines/{id:guid}/close") => new("grid1", $"/api/quarantines/{await OtherOrderAsync()}/close"),
            ("POST", "/api/health-checks/{id:guid}/clinic") => new("grid1", $"/api/health-checks/{await OtherCheckAsync()}/clinic"),
            ("POST", "/api/tasks/{id:guid}/attempts") => new("grid1", $"/api/tasks/{await OtherTaskAsync()}/attempts"),
            ("POST", "/api/tasks/{id:guid}/transfer") => new("grid1", $"/api/tasks/{await OtherTaskAsync()}/transfer"),
            ("GET", "/api/households/{id:guid}") => new("grid1", $"/api/households/{await OtherHouseholdAsync()}"),
            ("POST", "/api/households/{id:guid}/residents") => new("grid1", $"/api/households/{await OtherHouseholdAsync()}/residents"),
            ("POST", "/api/households/{id:guid}/visits") => new("grid1", $"/api/households/{await OtherHouseholdAsync()}/visits"),
            ("POST", "/api/households/{id:guid}/residents/{residentId:guid}/move-out") or ("DELETE", "/api/households/{id:guid}/residents/{residentId:guid}/move-out")
                => new("grid1", $"/api/households/{await OtherHouseholdAsync()}/residents/{await OtherResidentAsync()}/move-out"),
            ("POST", "/api/households/{id:guid}/deregistration") or ("DELETE", "/api/households/{id:guid}/deregistration")
                => new("grid1", $"/api/households/{await OtherHouseholdAsync()}/deregistration"),
            ("POST", "/api/registrations/{id:guid}/confirm") => new("grid1", $"/api/registrations/{await OtherRegistrationAsync()}/confirm"),
            ("POST", "/api/registrations/{id:guid}/reject") => new("grid1", $"/api/registrations/{await OtherRegistrationAsync()}/reject"),
            ("GET", "/api/complaints/{id:guid}") => new("leader", $"/api/complaints/{await OtherDistrictComplaintAsync()}"),
            ("POST", "/api/complaints/{id:guid}/acknowledge") => new("leader", $"/api/complaints/{await OtherDistrictComplaintAsync()}/acknowledge"),
            ("POST", "/api/complaints/{id:guid}/dispatch") => new("hotline", $"/api/complaints/{await OtherDistrictComplaintAsync()}/dispatch"),
            ("POST", "/api/complaints/{id:guid}/actions") => new("grid1", $"/api/complaints/{await OtherDistrictComplaintAsync()}/actions"),
            ("POST", "/api/complaints/{id:guid}/reply") => new("hotline", $"/api/complaints/{await OtherDistrictComplaintAsync()}/reply"),
            ("POST", "/api/complaints/{id:guid}/follow-up") => new("hotline", $"/api/complaints/{await OtherDistrictComplaintAsync()}/follow-up"),
            ("POST", "/api/complaints/{id:guid}/merge") => new("hotline", $"/api/complaints/{await OtherDistrictComplaintAsync()}/merge"),
            ("POST", "/api/complaints/{id:guid}/reminders") => new("supervisor", $"/api/complaints/{await OtherDistrictComplaintAsync()}/reminders"),
            ("POST", "/api/complaints/{id:guid}/reveal") => new("leader", $"/api/complaints/{await OtherDistrictComplaintAsync()}/reveal"),
            ("GET", "/api/complaints/{id:guid}/receipt.xlsx") => new("hotline", $"/api/complaints/{await OtherDistrictComplaintAsync()}/receipt.xlsx"),
            // Imports (R1): an import by stats (西关街道) and statsx, a statistician of 西关社区 only.
            ("GET", "/api/imports/{id:guid}") or ("GET", "/api/imports/{id:guid}/errors") or ("GET", "/api/imports/{id:guid}/rows")
                or ("GET", "/api/imports/{id:guid}/preview") or ("POST", "/api/imports/{id:guid}/start") or ("GET", "/api/imports/{id:guid}/feedback.xlsx")
                => new("statsx", e.Url(n => n == "id" ? _import!.Value.ToString() : "2")),
            ("POST", "/api/imports/{id:guid}/rows/{row}/accept") or ("POST", "/api/imports/{id:guid}/rows/{row}/place")
                => new("statsx", e.Url(n => n == "id" ? _import!.Value.ToString() : "2")),
            ("PUT", "/api/calendar/{date}") or ("DELETE", "/api/calendar/{date}") => null, // admin only
            ("PUT", "/api/areas/{id:guid}") or ("PUT", "/api/gates/{id:guid}") or ("PUT", "/api/grids/{id:guid}")
                or ("GET", "/api/users/{id:guid}") or ("PUT", "/api/users/{id:guid}") or ("POST", "/api/users/{id:guid}/password")
                or ("POST", "/api/users/{id:guid}/disable") or ("POST", "/api/users/{id:guid}/enable")
                or ("DELETE", "/api/command/matrix/{id:guid}") => null, // admin only: admins are not limited to a scope
            _ => throw new Xunit.Sdk.XunitException($"{e}: no out-of-scope probe. Add one to AuthorizationMatrixTests.OutOfScope."),
        };
    }

    private Guid? _otherPerson, _otherHousehold, _otherRegistration, _import;
    private EpiGrid.Tests.FieldWork2.FieldWork2Data.Set? _w2;

    /// <summary>A person registered by grid2 in 叉车厂小区 (outside grid1's scope).</summary>
    private async Task<Guid> OtherPersonAsync()
    {
        if (_otherPerson is { } id) return id;
        var compound = await Demo.AreaAsync(app, "叉车厂小区");
        var grid2 = await app.As("grid2");
        var r = await grid2.PostJsonAsync("/api/people", new { name = "叉车厂测试", gender = "Male", idNumber = "321083197812162119", phone = "13700001111",
            compoundId = compound.Id, address = "叉车厂小区1号楼", categories = new[] { "Confirmed" } });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return (_otherPerson = Guid.Parse((await r.JsonAsync())["id"]!.GetValue<string>())).Value;
    }

    private async Task<Guid> OtherOrderAsync()
    {
        var person = await OtherPersonAsync();
        var existing = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(
            db.Set<EpiGrid.Features.Observation.QuarantineOrder>().Where(o => o.PersonId == person).Select(o => (Guid?)o.Id)));
        if (existing is { } id) return id;
        var r = await (await app.As("grid2")).PostJsonAsync($"/api/people/{person}/quarantines", new { kind = "Home" });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return Guid.Parse((await r.JsonAsync())["id"]!.GetValue<string>());
    }

    private async Task<Guid> OtherCheckAsync()
    {
        var person = await OtherPersonAsync();
        var r = await (await app.As("grid2")).PostJsonAsync($"/api/people/{person}/health-checks", new { temperature = 38.1m, method = "Visit" });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return Guid.Parse((await r.JsonAsync())["id"]!.GetValue<string>());
    }

    private async Task<Guid> OtherTaskAsync()
    {
        var person = await OtherPersonAsync();
        return await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(
            db.Set<EpiGrid.Features.Tasks.WorkTask>().Where(t => t.PersonId == person).Select(t => t.Id)));
    }

    private async Task<Guid> OtherHouseholdAsync()
    {
        if (_otherHousehold is { } id) return id;
        var compound = await Demo.AreaAsync(app, "叉车厂小区");
        var r = await (await app.As("grid2")).PostJsonAsync("/api/households", new { compoundId = compound.Id, unit = "1", room = "101" });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return (_otherHousehold = Guid.Parse((await r.JsonAsync())["id"]!.GetValue<string>())).Value;
    }

    /// <summary>A resident of that household of 叉车厂小区.</summary>
    private async Task<Guid> OtherResidentAsync()
    {
        if (_otherResident is { } id) return id;
        var household = await OtherHouseholdAsync();
        var r = await (await app.As("grid2")).PostJsonAsync($"/api/households/{household}/residents", new { name = "叉车厂迁出测试", relation = "户主", gender = "Male", type = "Resident" });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return (_otherResident = Guid.Parse((await r.JsonAsync())["id"]!.GetValue<string>())).Value;
    }

    private Guid? _otherResident;

    /// <summary>A pass card of a household of 叉车厂小区, issued by grid2.</summary>
    private async Task<Guid> OtherPassCardAsync()
    {
        if (_otherPassCard is { } id) return id;
        var household = await OtherHouseholdAsync();
        var grid2 = await app.As("grid2");
        await grid2.PostJsonAsync($"/api/households/{household}/residents", new { name = "叉车厂住户", relation = "户主", gender = "Male", idNumber = EpiGrid.Tests.People.RegisterPersonTests.NewIdNumber(), phone = "13700002222", type = "Resident" });
        var r = await grid2.PostJsonAsync("/api/pass-cards", new { householdId = household });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return (_otherPassCard = Guid.Parse((await r.JsonAsync())["id"]!.GetValue<string>())).Value;
    }

    private Guid? _otherPassCard;

    private async Task<Guid> OtherRegistrationAsync()
    {
        if (_otherRegistration is { } id) return id;
        var r = await app.Anonymous().PostJsonAsync("/api/public/registrations/610303002003", new { name = "返乡者", gender = "Female", idNumber = "11010519491231002X",
            phone = "13800002222", address = "叉车厂家属院", travelFrom = "湖北武汉", arrivedAt = "2020-01-30T10:00:00+08:00", consent = true });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        var reference = (await r.JsonAsync())["reference"]!.GetValue<string>();
        return (_otherRegistration = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(
            db.Set<EpiGrid.Features.SelfRegistration.PendingRegistration>().Where(x => x.Reference == reference).Select(x => x.Id)))).Value;
    }

    /// <summary>An alert lying in 叉车厂社区 (outside grid1's scope).</summary>
    private async Task<Guid> OtherCommunityAlertAsync()
    {
        var area = await Demo.AreaAsync(app, "叉车厂小区");
        return await app.WithDbAsync(async db =>
        {
            var a = await EpiGrid.Features.Alerts.RaiseAlert.AddAsync(db, TimeProvider.System, EpiGrid.Features.Alerts.AlertKind.Fever, "测试：叉车厂小区发热", area.Id);
            await db.SaveChangesAsync();
            return a!.Id;
        });
    }

    private static bool IsPublic(Endpoints.Info e) => Public.Contains(e.Pattern) || e.Pattern.StartsWith("/api/docs", StringComparison.Ordinal)
        || e.Pattern.StartsWith("/api/public/", StringComparison.Ordinal) || e.Pattern.StartsWith("/Public/", StringComparison.Ordinal);
    private Guid? _otherDistrictComplaint;

    /// <summary>
    /// A 12345 ticket lying at 金台区 (the district, above 西关街道): outside every demo account's scope, dispatched to no one.
    /// </summary>
    private async Task<Guid> OtherDistrictComplaintAsync()
    {
        if (_otherDistrictComplaint is { } id) return id;
        var district = await Demo.AreaAsync(app, "金台区");
        _otherDistrictComplaint = await app.WithDbAsync(async db =>
        {
            var c = new EpiGrid.Features.Complaints.Complaint
            {
                Number = "ZZ19990101-0001", NumberDate = new DateOnly(1999, 1, 1), NumberSeq = 1, Channel = EpiGrid.Features.Complaints.ComplaintChannel.Hotline12345,
                UpstreamNumber = "QT-1", Category = EpiGrid.Features.Complaints.ComplaintCategory.Help, Content = "区级工单", ComplainantName = "某人",
                AreaId = district.Id, ReceivedAt = DateTime.UtcNow, DueAt = DateTime.UtcNow.AddDays(3), Status = EpiGrid.Features.Complaints.ComplaintStatus.Replied, Reply = "已答复",
            };
            db.Add(c);
            await db.SaveChangesAsync();
            return c.Id;
        });
        return _otherDistrictComplaint.Value;
    }


    private static HttpRequestMessage Request(Endpoints.Info e, string url)
    {
        var req = new HttpRequestMessage(new HttpMethod(e.Method), url);
        if (e.Method is "POST" or "PUT" or "PATCH")
        {
            var accepts = e.Endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes ?? [];
            req.Content = accepts.Any(t => t.StartsWith("multipart/", StringComparison.Ordinal))
                ? new MultipartFormDataContent { { new StringContent(""), "note" } }
                : new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }
        return req;
    }

    [Fact]
    public async Task EveryEndpoint_AnswersEachRoleAsTheRightsTableSays()
    {
        await Endpoints.EnsureVolunteerAsync(app);
        var endpoints = Endpoints.All(app);
        Assert.Contains(endpoints, e => e.Pattern == "/api/areas");
        Assert.Contains(endpoints, e => e.IsPage && e.Pattern == "/");
        var failures = new List<string>();
        var cases = 0;
        var clients = new Dictionary<string, HttpClient>();
        foreach (var (role, user) in Endpoints.UserOf) clients[role] = await app.As(user);
        var anon = app.Anonymous();

        foreach (var e in endpoints)
        {
            if (IsPublic(e)) continue;
            if (!e.Anonymous && e.Policies.Length == 0) failures.Add($"{e}: no right required (name one from Rights)");

            // Anonymous.
            cases++;
            var r = await anon.SendAsync(Request(e, e.Url()));
            if (e.IsApi && r.StatusCode != HttpStatusCode.Unauthorized) failures.Add($"{e} anonymous → {(int)r.StatusCode}, expected 401");
            if (e.IsPage && !(r.StatusCode == HttpStatusCode.Redirect && r.Headers.Location!.OriginalString.Contains("/Account/Login", StringComparison.Ordinal)))
                failures.Add($"{e} anonymous → {(int)r.StatusCode}, expected a redirect to sign-in");

            foreach (var role in Roles.All)
            {
                cases++;
                var allowed = e.AllowedRoles.Contains(role);
                r = await clients[role].SendAsync(Request(e, e.Url()));
                var code = (int)r.StatusCode;
                if (!allowed && r.StatusCode != HttpStatusCode.Forbidden)
                    failures.Add($"{e} as {role} → {code}, expected 403");
                if (allowed && r.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
                    failures.Add($"{e} as {role} → {code}, but the role has the right");
                if (allowed && e.IsPage && !e.HasParameters && r.StatusCode != HttpStatusCode.OK)
                    failures.Add($"page {e.Pattern} as {role} → {code}, expected it to open: {Trim(await r.Content.ReadAsStringAsync())}");
                if (allowed && code >= 500) failures.Add($"{e} as {role} → {code}");
            }

            if (e.IsApi && e.HasParameters)
            {
                var probe = await OutOfScope(e);
                if (probe is not null)
                {
                    cases++;
                    var client = await app.As(probe.User);
                    var req = Request(e, probe.Url);
                    if (e.Pattern.EndsWith("/reveal", StringComparison.Ordinal)) req.Content = new StringContent("{\"reason\":\"核查\"}", System.Text.Encoding.UTF8, "application/json");
                    r = await client.SendAsync(req);
                    if (r.StatusCode != HttpStatusCode.NotFound) failures.Add($"{e} as {probe.User} out of scope ({probe.Url}) → {(int)r.StatusCode}, expected 404");
                }
            }
        }
        output.WriteLine($"Authorization matrix: {endpoints.Count} endpoints, {cases} cases, {failures.Count} failures.");
        Console.WriteLine($"Authorization matrix: {endpoints.Count} endpoints ({endpoints.Count(e => e.IsApi)} API, {endpoints.Count(e => e.IsPage)} pages), {cases} cases.");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string Trim(string s) => s.Length > 300 ? s[..300] : s;
}
