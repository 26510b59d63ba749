using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EpiGrid.Features.SignIns;
using EpiGrid.Platform.Auth;
using EpiGrid.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EpiGrid.Tests.Platform;

/// <summary>The app with a password hasher that counts its verifications.</summary>
public sealed class CountingHasherApp : AppFactory
{
    public HashCounter Counter { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton(Counter);
            s.AddScoped<IPasswordHasher<AppUser>, CountingHasher>();
        });
    }

    public sealed class HashCounter
    {
        private int _count;
        public int Count => Volatile.Read(ref _count);
        public void Hit() => Interlocked.Increment(ref _count);
    }

    public sealed class CountingHasher(HashCounter counter, IOptions<PasswordHasherOptions> options) : PasswordHasher<AppUser>(options)
    {
        public override PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
        {
            counter.Hit();
            return base.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}

/// <summary>
/// Sign-in answers the one signing in the same for an unknown name, a wrong password, a disabled and a locked account
/// (page and API), and does the same password-hash work for each; the history keeps the real outcome.
/// </summary>
public sealed partial class UniformSignInTests(CountingHasherApp app) : IClassFixture<CountingHasherApp>
{
    private const string UserPassword = "Xiguan#Grid2020";

    private async Task<(Guid Id, string UserName)> NewAccountAsync()
    {
        var admin = await app.As("admin");
        var name = "s" + Guid.NewGuid().ToString("N")[..10];
        var office = await Demo.AreaAsync(app, "西关街道");
        var r = await admin.PostJsonAsync("/api/users", new { userName = name, displayName = "登录测试", roles = new[] { "Statistician" }, areaIds = new[] { office.Id }, password = UserPassword });
        await r.ExpectAsync(HttpStatusCode.Created);
        return (Guid.Parse((await r.JsonAsync())["id"]!.GetValue<string>()), name);
    }

    /// <summary>Four attempts that must look alike: (name, password) for unknown, wrong, disabled, locked.</summary>
    private async Task<(string Name, string Password, SignInOutcome Truth)[]> FourCasesAsync()
    {
        var admin = await app.As("admin");
        var (_, wrong) = await NewAccountAsync();
        var (disabledId, disabled) = await NewAccountAsync();
        await (await admin.PostAsync($"/api/users/{disabledId}/disable", null)).ExpectAsync(HttpStatusCode.NoContent);
        var (_, locked) = await NewAccountAsync();
        var anon = app.Anonymous();
        for (var i = 0; i < 5; i++)
        {
            await (await anon.PostJsonAsync("/api/auth/login", new { userName = locked, password = "Nope#" + i + "xyzw" })).ExpectAsync(HttpStatusCode.Unauthorized);
        }
        return
        [
            ("n" + Guid.NewGuid().ToString("N")[..10], UserPassword, SignInOutcome.UnknownUser),
            (wrong, "Wrong#Grid2020", SignInOutcome.WrongPassword),
            (disabled, UserPassword, SignInOutcome.Disabled),
            (locked, UserPassword, SignInOutcome.LockedOut),
        ];
    }

    [Fact]
    public async Task Api_UnknownWrongDisabledLocked_AnswerTheSame401_AndTheHistoryKeepsTheTruth()
    {
        var cases = await FourCasesAsync();
        var bodies = new List<string>();
        foreach (var (name, password, _) in cases)
        {
            var r = await app.Anonymous().PostJsonAsync("/api/auth/login", new { userName = name, password });
            var body = await r.ExpectAsync(HttpStatusCode.Unauthorized);
            Assert.False(r.Headers.Contains("Retry-After"));
            var json = JsonNode.Parse(body)!.AsObject();
            Assert.Equal(SignInAnswer, json["detail"]!.GetValue<string>());
            Assert.Equal(401, json["status"]!.GetValue<int>());
            bodies.Add(TraceId().Replace(body, ""));
        }
        Assert.All(bodies, b => Assert.Equal(bodies[0], b));

        foreach (var (name, _, truth) in cases)
        {
            var outcomes = await app.WithDbAsync(db => db.Set<SignInRecord>().AsNoTracking()
                .Where(s => s.UserName == name).Select(s => s.Outcome).ToListAsync());
            // The locked account: four wrong passwords, the fifth that locked it, and the attempt above.
            Assert.Equal(truth == SignInOutcome.LockedOut ? 2 : 1, outcomes.Count(o => o == truth));
        }
    }

    [Fact]
    public async Task Page_UnknownWrongDisabledLocked_ShowTheSameMessage()
    {
        var cases = await FourCasesAsync();
        var messages = new List<string>();
        foreach (var (name, password, _) in cases)
        {
            var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            var form = await client.GetStringAsync("/Account/Login");
            var token = Antiforgery().Match(form).Groups[1].Value;
            var r = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["UserName"] = name, ["Password"] = password, ["__RequestVerificationToken"] = token,
            }));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            var alert = Alert().Match(await r.Content.ReadAsStringAsync());
            Assert.True(alert.Success);
            messages.Add(WebUtility.HtmlDecode(alert.Groups[1].Value));
        }
        Assert.All(messages, m => Assert.Contains(SignInAnswer, m));
        Assert.All(messages, m => Assert.Equal(messages[0], m));
    }

    [Fact]
    public async Task EveryFailedCase_VerifiesOnePasswordHash_AnUnknownNameADummyOne()
    {
        var cases = await FourCasesAsync();
        foreach (var (name, password, truth) in cases)
        {
            var before = app.Counter.Count;
            await (await app.Anonymous().PostJsonAsync("/api/auth/login", new { userName = name, password })).ExpectAsync(HttpStatusCode.Unauthorized);
            Assert.True(app.Counter.Count - before == 1, $"{truth}: {app.Counter.Count - before} hash verifications, expected 1");
        }
    }

    private const string SignInAnswer = "用户名或密码错误，或账号已停用、已锁定。";

    [GeneratedRegex("\"traceId\":\"[^\"]*\"")]
    private static partial Regex TraceId();

    [GeneratedRegex("<div[^>]*class=\"[^\"]*alert-danger[^\"]*\"[^>]*>(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex Alert();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();
}
