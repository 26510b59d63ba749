using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EpiGrid.Data;
using EpiGrid.Platform.Audit;
using EpiGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Privacy;

/// <summary>
/// T3: the audit log holds no personal text in clear (masked, default-deny: ADR-019), and its chain is keyed (HMAC under a
/// key derived from the key file) with a head kept outside the database.
/// </summary>
public sealed class AuditPrivacyTests(AppFactory app) : IClassFixture<AppFactory>
{
    /// <summary>Every stored audit row as text, read with plain SQL (what a database dump holds).</summary>
    internal static async Task<List<string>> RawAuditRowsAsync(AppDbContext db)
    {
        var conn = db.Database.GetDbConnection();
        await conn.OpenAsync();
        try
        {
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = """SELECT "UserName", "Action", "Entity", "EntityId", "Details" FROM "AuditLog" ORDER BY "Seq" """;
            var rows = new List<string>();
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) rows.Add(string.Join(" | ", Enumerable.Range(0, 5).Select(r.GetString)));
            return rows;
        }
        finally
        {
            await conn.CloseAsync();
        }
    }

    private static void AssertNoneIn(IEnumerable<string> texts, IEnumerable<string> secrets, string where)
    {
        var all = string.Join("\n", texts);
        foreach (var s in secrets)
        {
            Assert.False(all.Contains(s, StringComparison.Ordinal), $"{where} holds \"{s}\" in clear");
            // Nor its rest, nor its first character: the mask keeps neither.
            Assert.False(all.Contains(s[1..], StringComparison.Ordinal), $"{where} holds \"{s[1..]}\" (of \"{s}\") in clear");
            Assert.False(all.Contains(s[..1] + "**", StringComparison.Ordinal), $"{where} holds the first character of \"{s}\"");
        }
    }

    [Fact]
    public async Task Registrations_LeaveNoPersonalTextInTheStoredAuditLog_AndTheAuditorSeesThemMasked()
    {
        var tag = Guid.NewGuid().ToString("N")[..4];
        // Distinctive values, none of which the demo data holds.
        var name = "龚秘藏" + tag;
        var address = "密档路七十七号" + tag;
        var companions = "同行秘友乙" + tag;
        var note = "备注秘闻甲" + tag;
        var complainant = "诉者秘丙" + tag;
        var content = "投诉内容秘丁：楼下邻居秘戌夜里吵闹" + tag;
        var complaintAddress = "投诉地址秘巷" + tag;
        var publicComplainant = "公众秘己" + tag;
        var publicContent = "公众投诉秘庚" + tag;
        var resident = "住户秘辛" + tag;
        var householdNote = "户内秘注" + tag;
        var selfName = "自登秘壬" + tag;
        var selfAddress = "自登秘址" + tag;
        var selfCompanions = "自登秘伴" + tag;
        var selfSymptoms = "自登秘症" + tag;
        var visitor = "访客秘癸" + tag;
        var revealReason = "为联系龚秘藏家属" + tag;
        var secrets = new[] { name, address, companions, note, complainant, content, complaintAddress, publicComplainant, publicContent,
            resident, householdNote, selfName, selfAddress, selfCompanions, selfSymptoms, visitor, revealReason };

        var grid1 = await app.As("grid1");
        var compound = (await Demo.AreaAsync(app, "春天大道")).Id;
        // A person under watch.
        var personIdNumber = People.RegisterPersonTests.NewIdNumber();
        var p = await grid1.PostJsonAsync("/api/people", new
        {
            name, gender = "Male", idNumber = personIdNumber, phone = "13612340000", compoundId = compound, address,
            categories = new[] { "Returnee" }, note,
            travel = new { from = "湖北武汉", arrivedAt = "2020-01-22T18:30:00+08:00", transport = "Rail", tripNumber = "G818", companions },
        });
        await p.ExpectAsync(HttpStatusCode.Created);
        var personId = (await p.JsonAsync())["id"]!.GetValue<string>();
        // A reveal whose reason names someone; a search term naming them in an export.
        await (await (await app.As("leader")).PostJsonAsync($"/api/people/{personId}/reveal", new { reason = revealReason })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await (await app.As("supervisor")).GetAsync("/api/people/export.xlsx?q=" + Uri.EscapeDataString(name))).StatusCode);
        // A hotline ticket and a public one.
        var hotline = await app.As("hotline");
        await (await hotline.PostJsonAsync("/api/complaints", new
        {
            channel = "Phone", category = "Help", urgency = "Normal", content, complainantName = complainant, complainantPhone = "13709170000",
            areaId = compound, address = complaintAddress, concerning = "邻居",
        })).ExpectAsync(HttpStatusCode.Created);
        await (await app.Anonymous().PostJsonAsync("/api/public/complaints", new
        {
            category = "Help", content = publicContent, complainantName = publicComplainant, complainantPhone = "13800001111", consent = true,
        })).ExpectAsync(HttpStatusCode.Created);
        // A household and its resident.
        var h = await grid1.PostJsonAsync("/api/households", new { compoundId = compound, unit = "7", room = "701", note = householdNote });
        await h.ExpectAsync(HttpStatusCode.Created);
        var hid = (await h.JsonAsync())["id"]!.GetValue<string>();
        await (await grid1.PostJsonAsync($"/api/households/{hid}/residents", new
        {
            name = resident, relation = "户主", gender = "Female", idNumber = People.RegisterPersonTests.NewIdNumber(male: false), phone = "13700002222", type = "Resident",
        })).ExpectAsync(HttpStatusCode.Created);
        // A self-registration from the public form.
        await (await app.Anonymous().PostJsonAsync("/api/public/registrations/610303002008", new
        {
            name = selfName, gender = "Male", idNumber = People.RegisterPersonTests.NewIdNumber(), phone = "13812340000", address = selfAddress,
            travelFrom = "湖北武汉", leftAt = "2020-01-21T09:00:00+08:00", arrivedAt = "2020-01-21T19:00:00+08:00", transport = "Rail",
            tripNumber = "K1234", companions = selfCompanions, symptoms = selfSymptoms, consent = true,
        })).ExpectAsync(HttpStatusCode.Created);
        // A feverish visitor at a gate: the pass is not audited, the alert naming the visitor is.
        var gate = (await Demo.GateAsync(app, "春天大道东门")).Id;
        await (await (await app.As("gate1")).PostJsonAsync($"/api/gates/{gate}/passes", new
        {
            clientId = Guid.NewGuid(), direction = "In", temperature = 38.2m,
            visitor = new { name = visitor, phone = "13800138000", idNumber = People.RegisterPersonTests.NewIdNumber(), from = "宝鸡市渭滨区", to = "春天大道 3 号楼" },
        })).ExpectAsync(HttpStatusCode.Created);

        // The stored table, as a dump would show it.
        var rows = await app.WithDbAsync(RawAuditRowsAsync);
        AssertNoneIn(rows, secrets, "the AuditLog table");
        // The changes are there, masked as a fixed "***": which column changed stays visible, not its length or first character.
        Assert.Contains(rows, r => r.Contains("Person", StringComparison.Ordinal) && r.Contains($"\"Name\":[null,\"***\"]", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("Complaint", StringComparison.Ordinal) && r.Contains($"\"ComplainantName\":[null,\"***\"]", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("supervisor | Export | 重点人员", StringComparison.Ordinal) && r.Contains("关键字=***", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("leader | Reveal | Person", StringComparison.Ordinal) && r.Contains("\"reason\":\"***\"", StringComparison.Ordinal));
        // The masks of protected fields are masked too (they keep 6 + 4 digits of an ID number, 7 of a phone number).
        Assert.Contains(rows, r => r.StartsWith("grid1 | Insert | Person", StringComparison.Ordinal) && r.Contains("\"PhoneMasked\":[null,\"***\"]", StringComparison.Ordinal)
            && r.Contains("\"IdNumberMasked\":[null,\"***\"]", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.Contains("136****0000", StringComparison.Ordinal) || r.Contains(personIdNumber[..6] + "********", StringComparison.Ordinal));

        // The auditor's API and page show the same, masked.
        var auditor = await app.As("auditor");
        var api = new List<string>();
        for (var page = 1; page <= 3; page++)
        {
            var list = await auditor.GetJsonAsync($"/api/audit?pageSize=200&page={page}");
            api.AddRange(list["items"]!.AsArray().Select(i => string.Join(" | ", new[] { "userName", "action", "entity", "entityId", "details" }.Select(k => i![k]!.GetValue<string>()))));
        }
        AssertNoneIn(api, secrets, "GET /api/audit");
        Assert.Contains(api, a => a.Contains("\"Name\":[null,\"***\"]", StringComparison.Ordinal));
        var html = await (await auditor.GetAsync("/AuditLog?entity=Person")).Content.ReadAsStringAsync();
        AssertNoneIn([html], secrets, "the /AuditLog page");
        Assert.Contains("Name&quot;:[null,&quot;***&quot;]", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExportKeywordShapedLikeAFilterTerm_IsMaskedWhole_AndTheAppsOwnTermsStay()
    {
        var smuggled = "张三丰" + Guid.NewGuid().ToString("N")[..4];
        var r = await (await app.As("supervisor")).GetAsync("/api/people/export.xlsx?category=Returnee&q=" + Uri.EscapeDataString("x 类别=" + smuggled));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var rows = await app.WithDbAsync(RawAuditRowsAsync);
        AssertNoneIn(rows, [smuggled], "the AuditLog table");
        Assert.Contains(rows, x => x.StartsWith("supervisor | Export | 重点人员", StringComparison.Ordinal) && x.Contains("\"filter\":\"关键字=***；类别=湖北返回\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APassCardsTokenHash_IsNotCopiedToTheStoredLog()
    {
        var (_, _, _, card, _) = await Gates.PassCardTests.HouseholdWithCardAsync(app, "证户甲", "证户乙");
        var rows = (await app.WithDbAsync(RawAuditRowsAsync)).Where(x => x.Contains($" | PassCard | {card} | ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(rows);
        Assert.DoesNotContain(rows, x => x.Contains("TokenHash", StringComparison.Ordinal));
    }

    /// <summary>The chain's rule before T3: plain SHA-256 over the entry's fields — what anyone can recompute.</summary>
    internal static string LegacyHash(long seq, string prevHash, DateTime at, Guid? userId, string userName, string action, string entity, string entityId, string details)
    {
        var text = string.Join('\u001f', seq.ToString(System.Globalization.CultureInfo.InvariantCulture), prevHash,
            at.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture),
            userId?.ToString("N") ?? "", userName, action, entity, entityId, details);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>An attacker with the database only: edits an entry, then recomputes every hash from it on with <paramref name="hash"/>.</summary>
    internal static async Task RehashFromAsync(AppDbContext db, long fromSeq, Func<AuditEntry, string> hash)
    {
        var entries = await db.Set<AuditEntry>().AsNoTracking().Where(a => a.Seq >= fromSeq - 1).OrderBy(a => a.Seq).ToListAsync();
        var prev = entries[0].Seq == fromSeq ? entries[0].PrevHash : entries[0].Hash;
        foreach (var e in entries.Where(e => e.Seq >= fromSeq))
        {
            e.PrevHash = prev;
            e.Hash = hash(e);
            prev = e.Hash;
            await db.Database.ExecuteSqlAsync($"""UPDATE "AuditLog" SET "PrevHash" = {e.PrevHash}, "Hash" = {e.Hash} WHERE "Id" = {e.Id}""");
        }
    }

    private static async Task ChangeDisplayNamesAsync(AppFactory f, params string[] names)
    {
        var admin = await f.As("admin");
        var grid2 = await Demo.UserIdAsync(f, "grid2");
        var community = await Demo.AreaAsync(f, "叉车厂社区");
        foreach (var n in names)
        {
            await (await admin.PutAsJsonAsync($"/api/users/{grid2}", new { displayName = n, roles = new[] { "GridWorker" }, areaIds = new[] { community.Id } }, Http.Json))
                .ExpectAsync(HttpStatusCode.OK);
        }
    }

    internal static Task<AuditHeadFile.WriteOutcome> WriteHeadAsync(AppFactory f) =>
        f.WithDbAsync(db => f.Services.GetRequiredService<AuditHeadFile>().WriteLatestAsync(db));

    private static async Task<JsonNode> VerifyAsync(AppFactory f) => await (await f.As("auditor")).GetJsonAsync("/api/audit/verify");

    [Fact]
    public async Task AnAttackerWhoEditsAnEntry_AndRecomputesTheChainWithPlainSha256_IsDetected()
    {
        using var own = new AppFactory(); // the chain is broken for good afterwards
        await ChangeDisplayNamesAsync(own, "李强");
        var grid2 = (await Demo.UserIdAsync(own, "grid2")).ToString();
        var victim = await own.WithDbAsync(db => db.Set<AuditEntry>().AsNoTracking().Where(a => a.Entity == "AppUser" && a.EntityId == grid2).OrderByDescending(a => a.Seq).FirstAsync());
        // Without the head file in the way: this is about the chain alone.
        File.Delete(own.Services.GetRequiredService<AuditHeadFile>().Path);

        await own.WithDbAsync(async db =>
        {
            await db.Database.ExecuteSqlAsync($"""UPDATE "AuditLog" SET "UserName" = {"system"} WHERE "Id" = {victim.Id}""");
            await RehashFromAsync(db, victim.Seq, e => LegacyHash(e.Seq, e.PrevHash, e.At, e.UserId, e.UserName, e.Action, e.Entity, e.EntityId, e.Details));
        });

        var check = await VerifyAsync(own);
        Assert.False(check["intact"]!.GetValue<bool>(), check.ToJsonString());
        Assert.Equal(victim.Id, check["brokenAtId"]!.GetValue<long>());
        Assert.Equal("Missing", check["head"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeletingTheNewestEntries_IsReportedAgainstTheHeadFile_WhichTheHourlyWriteThenLeavesAsEvidence()
    {
        using var own = new AppFactory();
        await ChangeDisplayNamesAsync(own, "李强一", "李强二", "李强三");
        var written = await WriteHeadAsync(own);
        Assert.True(written.Written);
        var last = await own.WithDbAsync(db => db.Set<AuditEntry>().MaxAsync(a => a.Seq));
        Assert.Equal(last, written.Head!.Seq);
        Assert.True((await VerifyAsync(own))["intact"]!.GetValue<bool>());

        // Someone with database access removes the newest two entries: what is left is a valid chain.
        await own.WithDbAsync(db => db.Database.ExecuteSqlAsync($"""DELETE FROM "AuditLog" WHERE "Seq" > {last - 2}"""));

        var check = await VerifyAsync(own);
        Assert.False(check["intact"]!.GetValue<bool>(), check.ToJsonString());
        Assert.Equal("EntriesMissing", check["head"]!["state"]!.GetValue<string>());
        Assert.Equal(last, check["head"]!["seq"]!.GetValue<long>());
        Assert.Equal(last - 2, check["lastSeq"]!.GetValue<long>());
        Assert.Contains("被删除", check["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        // The next hourly write does not replace the evidence with the shortened head; new entries do not hide the gap.
        await ChangeDisplayNamesAsync(own, "李强四", "李强五", "李强六");
        Assert.False((await WriteHeadAsync(own)).Written);
        check = await VerifyAsync(own);
        Assert.False(check["intact"]!.GetValue<bool>(), check.ToJsonString());
        Assert.Equal("Rewritten", check["head"]!["state"]!.GetValue<string>()); // the entry at the head's place is another one now

        // The auditor's page says so too.
        var html = await VerifyOnThePageAsync(own);
        Assert.Contains("alert-danger", html, StringComparison.Ordinal);
        Assert.Contains("被改写或删除后，链被重新计算或重新接续", html, StringComparison.Ordinal);
    }

    /// <summary>The auditor signs in on the page and presses 校验哈希链; the page's HTML.</summary>
    internal static async Task<string> VerifyOnThePageAsync(AppFactory f)
    {
        var client = f.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        static string Token(string html) => System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var login = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "auditor", ["Password"] = AppFactory.Password, ["__RequestVerificationToken"] = Token(await client.GetStringAsync("/Account/Login")),
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var r = await client.PostAsync("/AuditLog?handler=Verify", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token(await client.GetStringAsync("/AuditLog")),
        }));
        return System.Net.WebUtility.HtmlDecode(await r.ExpectAsync(HttpStatusCode.OK));
    }

    [Fact]
    public async Task RewritingTheLog_AndRehashingItWithTheChainKey_IsReportedAgainstTheHeadFile()
    {
        using var own = new AppFactory();
        await ChangeDisplayNamesAsync(own, "王五一", "王五二");
        var head = (await WriteHeadAsync(own)).Head!;
        await ChangeDisplayNamesAsync(own, "王五三");

        // An attacker who also holds the chain key (a stolen key file): the chain itself verifies after the rewrite...
        var key = own.Services.GetRequiredService<AuditChainKey>().Value;
        var victim = await own.WithDbAsync(db => db.Set<AuditEntry>().AsNoTracking().FirstAsync(a => a.Seq == head.Seq - 1));
        await own.WithDbAsync(async db =>
        {
            await db.Database.ExecuteSqlAsync($"""UPDATE "AuditLog" SET "Details" = {"{}"} WHERE "Id" = {victim.Id}""");
            await RehashFromAsync(db, victim.Seq, e => AuditChain.HashOf(e, key));
        });

        // ...but not against the head written before it.
        var check = await VerifyAsync(own);
        Assert.False(check["intact"]!.GetValue<bool>(), check.ToJsonString());
        Assert.Equal("Rewritten", check["head"]!["state"]!.GetValue<string>());
        var atHead = await own.WithDbAsync(db => db.Set<AuditEntry>().Where(a => a.Seq == head.Seq).Select(a => a.Id).FirstAsync());
        Assert.Equal(atHead, check["brokenAtId"]!.GetValue<long>());
        Assert.Contains("改写", check["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheHeadFile_IsOwnerOnlyAndSigned_AndWithoutOneTheCheckSaysSo()
    {
        var file = app.Services.GetRequiredService<AuditHeadFile>();
        // Written at start, right after the one-time step.
        Assert.True(File.Exists(file.Path));
        Assert.Equal(app.DataDirectory, Path.GetDirectoryName(file.Path));
        var written = await WriteHeadAsync(app);
        Assert.True(written.Written);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file.Path));
        var json = JsonNode.Parse(await File.ReadAllTextAsync(file.Path))!;
        Assert.Equal(written.Head!.Seq, json["seq"]!.GetValue<long>());
        Assert.Equal(written.Head.Hash, json["hash"]!.GetValue<string>());
        Assert.Equal(64, json["mac"]!.GetValue<string>().Length);
        Assert.Empty(Directory.GetFiles(app.DataDirectory, "*.tmp"));

        var check = await VerifyAsync(app);
        Assert.True(check["intact"]!.GetValue<bool>(), check.ToJsonString());
        Assert.Equal("Matches", check["head"]!["state"]!.GetValue<string>());

        // A head file edited by hand (a later seq, to hide a deletion the other way round) does not verify.
        json["seq"] = written.Head.Seq + 5;
        await File.WriteAllTextAsync(file.Path, json.ToJsonString());
        check = await VerifyAsync(app);
        Assert.False(check["intact"]!.GetValue<bool>(), check.ToJsonString());
        Assert.Equal("Invalid", check["head"]!["state"]!.GetValue<string>());
        Assert.False((await WriteHeadAsync(app)).Written); // nor is it overwritten

        // The head file deleted after the chain recorded a write to it: a failure, on the API and the page, and the hourly
        // write does not quietly make a new one (that would clear the failure within the hour).
        File.Delete(file.Path);
        check = await VerifyAsync(app);
        Assert.False(check["intact"]!.GetValue<bool>(), check.ToJsonString());
        Assert.Equal("Missing", check["head"]!["state"]!.GetValue<string>());
        Assert.Contains("链头文件不见了", check["head"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var html = await VerifyOnThePageAsync(app);
        Assert.DoesNotContain("alert-success", html, StringComparison.Ordinal);
        Assert.Contains("链头文件不见了", html, StringComparison.Ordinal);
        Assert.False((await WriteHeadAsync(app)).Written);
        Assert.False(File.Exists(file.Path));
        Assert.Equal("Missing", (await VerifyAsync(app))["head"]!["state"]!.GetValue<string>());
    }
}
