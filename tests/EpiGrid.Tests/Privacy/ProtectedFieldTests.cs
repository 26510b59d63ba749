using System.Net;
using System.Net.Http.Json;
using System.Text;
using EpiGrid.Data;
using EpiGrid.Platform.Audit;
using EpiGrid.Platform.Privacy;
using EpiGrid.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MiniExcelLibs;

namespace EpiGrid.Tests.Privacy;

/// <summary>A lower export limit, so the volume alert can be reached with the demo's accounts.</summary>
public sealed class LowExportLimitFactory : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("EpiGrid:ExportAlertRowsPerDay", "20")];
}

public sealed class ProtectedFieldTests(LowExportLimitFactory app) : IClassFixture<LowExportLimitFactory>
{
    private const string Grid1Phone = "13609171234";

    /// <summary>Every byte the database holds, as text: the SQLite file and its WAL, or every PostgreSQL table.</summary>
    private async Task<string> EverythingStoredAsync()
    {
        if (!AppFactory.OnPostgres)
        {
            SqliteConnection.ClearAllPools();
            var dir = app.DataDirectory;
            var sb = new StringBuilder();
            foreach (var f in Directory.GetFiles(dir, "epigrid.db*")) sb.Append(Encoding.UTF8.GetString(await File.ReadAllBytesAsync(f)));
            return sb.ToString();
        }
        return await app.WithDbAsync(async db =>
        {
            var conn = db.Database.GetDbConnection();
            await conn.OpenAsync();
            var tables = new List<string>();
            await using (var cmd = conn.CreateCommand())
            {
                cmd.CommandText = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'";
                await using var r = await cmd.ExecuteReaderAsync();
                while (await r.ReadAsync()) tables.Add(r.GetString(0));
            }
            var sb = new StringBuilder();
            foreach (var t in tables)
            {
                await using var cmd = conn.CreateCommand();
                cmd.CommandText = $"SELECT t::text FROM \"{t}\" t";
                await using var r = await cmd.ExecuteReaderAsync();
                while (await r.ReadAsync()) sb.Append(r.GetString(0));
            }
            return sb.ToString();
        });
    }

    [Fact]
    public async Task ProtectedPhone_IsNotStoredInPlainText_AndIsFoundByExactLookupAndByLast4()
    {
        var admin = await app.As("admin");
        var office = await Demo.AreaAsync(app, "西关街道");
        var phone = "13800" + Random.Shared.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var userName = "p" + Guid.NewGuid().ToString("N")[..8];
        var r = await admin.PostJsonAsync("/api/users", new { userName, displayName = "测试", phone, roles = new[] { "Leader" }, areaIds = new[] { office.Id }, password = "Test#2020a" });
        await r.ExpectAsync(HttpStatusCode.Created);
        Assert.DoesNotContain(phone, await r.Content.ReadAsStringAsync());

        var stored = await EverythingStoredAsync();
        Assert.DoesNotContain(phone, stored);
        Assert.DoesNotContain(Grid1Phone, stored);
        Assert.Contains(phone[..3] + "****" + phone[^4..], stored); // the masked form is what is kept readable

        var kit = app.Services.GetRequiredService<PrivacyKit>();
        var hash = kit.LookupHash(ProtectedKind.Phone, "+86 " + phone);
        var found = await app.WithDbAsync(db => db.Users.Where(u => u.PhoneHash == hash).Select(u => u.UserName).ToListAsync());
        Assert.Equal([userName], found);

        var byLast4 = await admin.GetJsonAsync($"/api/users?q={phone[^4..]}");
        Assert.Contains(byLast4["items"]!.AsArray(), u => u!["userName"]!.GetValue<string>() == userName);
    }

    [Fact]
    public async Task Reveal_WithoutTheRight403_WithoutAReason400_WithBoth_TheValueAndAnAuditEntry()
    {
        var grid1 = await Demo.UserIdAsync(app, "grid1");
        var publicity = await app.As("publicity");
        await (await publicity.PostJsonAsync($"/api/users/{grid1}/reveal", new { reason = "联系" })).ExpectAsync(HttpStatusCode.Forbidden);

        var leader = await app.As("leader");
        var missing = await (await leader.PostJsonAsync($"/api/users/{grid1}/reveal", new { })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("reason", missing);
        await (await leader.PostJsonAsync($"/api/users/{grid1}/reveal", new { reason = "  " })).ExpectAsync(HttpStatusCode.BadRequest);

        var ok = await leader.PostJsonAsync($"/api/users/{grid1}/reveal", new { reason = "夜间发热预警，需电话联系网格员" });
        await ok.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(Grid1Phone, (await ok.JsonAsync())["phone"]!.GetValue<string>());

        var entry = await app.WithDbAsync(db => db.Set<AuditEntry>().Where(a => a.Action == "Reveal" && a.EntityId == grid1.ToString()).OrderByDescending(a => a.Id).FirstAsync());
        Assert.Equal("leader", entry.UserName);
        // The reason is free text: recorded masked like any personal text (ADR-019).
        Assert.Contains("\"reason\":\"***\"", entry.Details);
        Assert.DoesNotContain("夜间发热预警", entry.Details);
        Assert.Contains("phone", entry.Details);
        Assert.DoesNotContain(Grid1Phone, entry.Details);
    }

    [Fact]
    public async Task AuditLog_RecordsChangesMasked_AndAnAlteredRowBreaksTheChainThere()
    {
        var admin = await app.As("admin");
        var grid2 = await Demo.UserIdAsync(app, "grid2");
        var community = await Demo.AreaAsync(app, "叉车厂社区");
        var r = await admin.PutAsJsonAsync($"/api/users/{grid2}", new { displayName = "李强（改）", phone = "13912345678", roles = new[] { "GridWorker" }, areaIds = new[] { community.Id } }, Http.Json);
        await r.ExpectAsync(HttpStatusCode.OK);

        var entries = await app.WithDbAsync(db => db.Set<AuditEntry>().AsNoTracking().ToListAsync());
        var update = entries.Last(e => e.Action == "Update" && e.Entity == "AppUser" && e.EntityId == grid2.ToString() && e.Details.Contains("PhoneMasked"));
        // The masked form too: it keeps seven of the phone's digits (ADR-019).
        Assert.Contains("\"PhoneMasked\":[\"***\",\"***\"]", update.Details);
        Assert.DoesNotContain("5678", update.Details);
        // The display name is a person's name: masked (ADR-019); the account name is not.
        Assert.Contains("\"DisplayName\":[\"***\",\"***\"]", update.Details);
        Assert.DoesNotContain(entries, e => e.Details.Contains("李强（改）"));
        Assert.DoesNotContain(entries, e => e.Details.Contains("13912345678") || e.Details.Contains(Grid1Phone));
        Assert.DoesNotContain(entries, e => e.Details.Contains("PhoneCipher") || e.Details.Contains("PasswordHash"));

        var auditor = await app.As("auditor");
        var first = await auditor.GetJsonAsync("/api/audit/verify");
        Assert.True(first["intact"]!.GetValue<bool>(), first.ToJsonString());

        // Someone with database access rewrites history.
        var victim = update.Id;
        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE \"AuditLog\" SET \"Details\" = {"{\"DisplayName\":\"别人\"}"} WHERE \"Id\" = {victim}"));
        var check = await auditor.GetJsonAsync("/api/audit/verify");
        Assert.False(check["intact"]!.GetValue<bool>());
        Assert.Equal(victim, check["brokenAtId"]!.GetValue<long>());

        // There is no route that changes or deletes audit entries, and the application refuses to.
        await app.WithDbAsync(async db =>
        {
            var e = await db.Set<AuditEntry>().FirstAsync();
            db.Remove(e);
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        });
    }

    [Fact]
    public async Task Export_ByARoleWithoutReveal_IsMaskedAndWatermarked_AndTheVolumeAlertFires()
    {
        var admin = await app.As("admin");
        var r = await admin.GetAsync("/api/users/export.xlsx");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var bytes = await r.Content.ReadAsByteArrayAsync();
        var rows = MiniExcel.Query(new MemoryStream(bytes)).Cast<IDictionary<string, object?>>().Select(d => d.Values.Select(v => v?.ToString() ?? "").ToArray()).ToList();
        Assert.Contains("导出：系统管理员（admin）", rows[0][0]);
        Assert.Contains("不得外传", rows[0][0]);
        Assert.Equal(["用户名", "姓名", "角色", "电话", "状态"], rows[1]);
        var grid1Row = rows.Single(x => x[0] == "grid1");
        Assert.Equal("136****1234", grid1Row[3]);
        Assert.DoesNotContain(rows.SelectMany(x => x), v => v.Contains(Grid1Phone));

        var exports = await app.WithDbAsync(db => db.Set<AuditEntry>().Where(a => a.Action == "Export" && a.UserName == "admin").ToListAsync());
        Assert.Contains(exports, e => e.Details.Contains($"\"rows\":{rows.Count - 2}"));

        // The limit is 20 rows a day here; the demo has 14+ accounts: the second export passes it.
        await admin.GetAsync("/api/users/export.xlsx");
        var alerts = await app.WithDbAsync(db => db.Set<EpiGrid.Features.Alerts.Alert>().Where(a => a.Kind == EpiGrid.Features.Alerts.AlertKind.ExportVolume).ToListAsync());
        Assert.Single(alerts);
        Assert.Contains("admin", alerts[0].Subject);
    }

    [Fact]
    public async Task KeyRotation_ReencryptsEverything_AndOldAndNewValuesStayReadable()
    {
        var keys = app.Services.GetRequiredService<KeyRing>();
        var keyFile = app.Services.GetRequiredService<IOptions<EpiGrid.Platform.EpiGridOptions>>().Value.KeyFile!;
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));

        var before = keys.ActiveKeyId;
        var (newId, rewrapped) = await app.WithDbAsync(db => KeyRotation.RotateAsync(db, keys, TimeProvider.System));
        Assert.Equal(before + 1, newId);
        Assert.True(rewrapped >= 10, $"{rewrapped} values re-encrypted");
        var ciphers = await app.WithDbAsync(db => db.Users.Where(u => u.PhoneCipher != null && u.PhoneCipher != "").Select(u => u.PhoneCipher!).ToListAsync());
        Assert.All(ciphers, c => Assert.Equal(newId, KeyRing.KeyIdOf(c)));

        var grid1 = await Demo.UserIdAsync(app, "grid1");
        var leader = await app.As("leader");
        var ok = await leader.PostJsonAsync($"/api/users/{grid1}/reveal", new { reason = "密钥轮换后核对" });
        Assert.Equal(Grid1Phone, (await ok.JsonAsync())["phone"]!.GetValue<string>());
    }
}
