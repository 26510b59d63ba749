using System.Text.Json.Nodes;
using EpiGrid.Data;
using EpiGrid.Platform.Audit;
using EpiGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Privacy;

/// <summary>
/// T3: a database whose audit log was written before T3 (personal text in clear, chained with plain SHA-256) is rewritten
/// once, at start: masked, rechained with the keyed hash, with an <c>AuditChainRewritten</c> event recording the old head.
/// </summary>
public sealed class AuditChainRewriteTests
{
    private static readonly DateTime T0 = new(2020, 2, 1, 2, 0, 0, DateTimeKind.Utc);

    private sealed record Old(string UserName, string Action, string Entity, string EntityId, string Details, Guid? UserId = null);

    /// <summary>The log as the app before T3 left it: rows written with plain SQL, chained with the old rule.</summary>
    private static async Task<List<(long Seq, string Hash)>> WriteOldLogAsync(AppDbContext db, IReadOnlyList<Old> rows, int? tamperSeq = null)
    {
        await db.Database.ExecuteSqlRawAsync("""DELETE FROM "AuditLog" """);
        var prev = "";
        var written = new List<(long, string)>();
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            long seq = i + 1;
            // Microseconds, as the old interceptor truncated them (PostgreSQL keeps no more).
            var at = T0.AddSeconds(i * 37).AddTicks(1234560);
            var hash = AuditPrivacyTests.LegacyHash(seq, prev, at, r.UserId, r.UserName, r.Action, r.Entity, r.EntityId, r.Details);
            // Tampering after the fact: the row is changed, its hash is not.
            var details = seq == tamperSeq ? r.Details.Replace("2", "3", StringComparison.Ordinal) : r.Details;
            // ChainVersion: the value the migration AuditChainVersion gave the rows it found (the old build did not name it).
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "AuditLog" ("Seq", "At", "UserId", "UserName", "Action", "Entity", "EntityId", "Details", "PrevHash", "Hash", "ChainVersion")
                VALUES ({seq}, {at}, {r.UserId}, {r.UserName}, {r.Action}, {r.Entity}, {r.EntityId}, {details}, {prev}, {hash}, {2})
                """);
            written.Add((seq, hash));
            prev = hash;
        }
        return written;
    }

    private static readonly string[] Secrets = ["龚旧秘", "旧址秘巷9号", "旧备注秘闻", "李旧秘", "李新秘", "为联系龚旧秘家属", "诉者旧秘", "旧投诉秘文", "统计员秘名", "旧实体秘文"];

    private static async Task<List<Old>> OldRowsAsync(AppFactory f)
    {
        var compound = (await Demo.AreaAsync(f, "春天大道")).Id;
        var person = Guid.NewGuid();
        var stats = await Demo.UserIdAsync(f, "stats");
        var grid2 = await Demo.UserIdAsync(f, "grid2");
        return
        [
            new("grid1", "Insert", "Person", person.ToString(),
                $$"""{"Address":[null,"旧址秘巷9号"],"CompoundId":[null,"{{compound}}"],"CreatedAt":[null,"2020-02-01T02:00:00Z"],"Gender":[null,1],"Id":[null,"{{person}}"],"Name":[null,"龚旧秘"],"Note":[null,"旧备注秘闻"],"PhoneMasked":[null,"136****0000"]}"""),
            new("admin", "Update", "AppUser", grid2.ToString(), """{"DisplayName":["李旧秘","李新秘"],"UserName":["grid2","grid2"]}"""),
            new("leader", "Reveal", "Person", person.ToString(), """{"fields":["idNumber"],"reason":"为联系龚旧秘家属"}"""),
            new("supervisor", "Export", "重点人员", "", """{"rows":2,"filter":"关键字=龚旧秘；类别=返乡人员","masked":true}"""),
            new("统计员秘名（stats）", "Import", "ImportJob", Guid.NewGuid().ToString(), """{"file":"龚旧秘等名单.xlsx","total":3,"tasks":"每个有效行一项核查任务"}""", stats),
            new("grid1", "Move", "Person", person.ToString(),
                $$"""{"From":"{{compound}}","FromName":"春天大道","To":"{{Guid.NewGuid()}}","ToName":"叉车厂小区","Reason":"核查不属本辖区","TaskId":null,"Moved":{"Person":1},"AddressChanged":false,"LinksRevoked":0}"""),
            new("hotline", "Insert", "Complaint", Guid.NewGuid().ToString(), """{"ComplainantName":[null,"诉者旧秘"],"Content":[null,"旧投诉秘文"],"Number":[null,"XG20200201-0001"],"Status":[null,0]}"""),
            // An entity the model no longer has: its text masked, its Guid and date kept.
            new("admin", "Insert", "RemovedThing", "1", $$"""{"Label":[null,"旧实体秘文"],"Ref":[null,"{{person}}"],"When":[null,"2020-02-01T02:00:00Z"]}"""),
        ];
    }

    private static async Task<List<AuditEntry>> EntriesAsync(AppFactory f) =>
        await f.WithDbAsync(db => db.Set<AuditEntry>().AsNoTracking().OrderBy(a => a.Seq).ToListAsync());

    [Fact]
    public async Task AnOldLog_IsMaskedAndRechainedOnce_AndTheEventRecordsTheOldHead_AndASecondStartRewritesNothing()
    {
        // The database an older version left: stopped, its store kept.
        List<(long Seq, string Hash)> old;
        List<long> ids;
        var before = new AppFactory { KeepStore = true };
        try
        {
            var rows = await OldRowsAsync(before);
            old = await before.WithDbAsync(db => WriteOldLogAsync(db, rows));
            ids = (await EntriesAsync(before)).Select(e => e.Id).ToList();
            File.Delete(before.Services.GetRequiredService<AuditHeadFile>().Path); // versions before T3 wrote none
        }
        finally
        {
            before.Dispose();
        }

        // Start on it.
        var after = new AppFactory { KeepStore = true }.OnStoreOf(before);
        List<AuditEntry> rewritten;
        try
        {
            rewritten = await EntriesAsync(after);
            Assert.Equal(old.Count + 2, rewritten.Count); // the marker, then the head write that follows it
            Assert.Equal(ids, rewritten.Take(old.Count).Select(e => e.Id)); // rewritten in place

            var raw = await after.WithDbAsync(AuditPrivacyTests.RawAuditRowsAsync);
            var all = string.Join("\n", raw);
            foreach (var s in Secrets) Assert.False(all.Contains(s, StringComparison.Ordinal), $"\"{s}\" still in clear after the rewrite");
            Assert.Contains("\"Name\":[null,\"***\"]", rewritten[0].Details, StringComparison.Ordinal);
            Assert.Contains("\"Address\":[null,\"***\"]", rewritten[0].Details, StringComparison.Ordinal);
            Assert.Contains("\"PhoneMasked\":[null,\"***\"]", rewritten[0].Details, StringComparison.Ordinal); // masked: it keeps digits
            Assert.Contains("\"Gender\":[null,1]", rewritten[0].Details, StringComparison.Ordinal);
            Assert.Contains("\"CreatedAt\":[null,\"2020-02-01T02:00:00Z\"]", rewritten[0].Details, StringComparison.Ordinal);
            Assert.Equal("""{"DisplayName":["***","***"],"UserName":["grid2","grid2"]}""", rewritten[1].Details);
            Assert.Equal("""{"fields":["idNumber"],"reason":"***"}""", rewritten[2].Details);
            Assert.Contains("\"filter\":\"***\"", rewritten[3].Details, StringComparison.Ordinal); // the user's text as typed then: masked whole
            Assert.Equal("stats", rewritten[4].UserName); // the account, not the person's name
            Assert.Contains("\"file\":\"***\"", rewritten[4].Details, StringComparison.Ordinal);
            Assert.Contains("\"ToName\":\"叉车厂小区\"", rewritten[5].Details, StringComparison.Ordinal);
            Assert.Contains("\"Number\":[null,\"XG20200201-0001\"]", rewritten[6].Details, StringComparison.Ordinal);
            Assert.Contains("\"ComplainantName\":[null,\"***\"]", rewritten[6].Details, StringComparison.Ordinal);
            Assert.Contains("\"Label\":[null,\"***\"]", rewritten[7].Details, StringComparison.Ordinal);
            Assert.Contains("\"When\":[null,\"2020-02-01T02:00:00Z\"]", rewritten[7].Details, StringComparison.Ordinal);
            Assert.Equal(T0.AddTicks(1234560), rewritten[0].At); // the times as they were

            // The event: the old head it replaced, how many, and that the old chain verified.
            var marker = rewritten[^2];
            Assert.Equal(AuditChainUpgrade.Action, marker.Action);
            Assert.Equal("AuditHeadWritten", rewritten[^1].Action);
            Assert.Equal(marker.Seq, JsonNode.Parse(rewritten[^1].Details)!["seq"]!.GetValue<long>());
            Assert.Equal("system", marker.UserName);
            var d = JsonNode.Parse(marker.Details)!;
            Assert.Equal(old[^1].Seq, d["oldLastSeq"]!.GetValue<long>());
            Assert.Equal(old[^1].Hash, d["oldLastHash"]!.GetValue<string>());
            Assert.Equal(old.Count, d["rewritten"]!.GetValue<long>());
            Assert.True(d["oldChainIntact"]!.GetValue<bool>());
            Assert.Equal("None", d["headFileState"]!.GetValue<string>());

            // The chain verifies under the key, and the head was written right after.
            var check = await (await after.As("auditor")).GetJsonAsync("/api/audit/verify");
            Assert.True(check["intact"]!.GetValue<bool>(), check.ToJsonString());
            Assert.Equal("Matches", check["head"]!["state"]!.GetValue<string>());
            Assert.Equal(rewritten[^1].Seq, check["head"]!["seq"]!.GetValue<long>()); // the file names the record of its own write
            var rewrite = Assert.Single(check["rewrites"]!.AsArray())!;
            Assert.Equal(old[^1].Hash, rewrite["oldLastHash"]!.GetValue<string>());
            Assert.True(rewrite["oldChainIntact"]!.GetValue<bool>());
            // None of the old hashes is left.
            Assert.DoesNotContain(rewritten, e => old.Any(o => o.Hash == e.Hash || o.Hash == e.PrevHash));
        }
        finally
        {
            after.Dispose();
        }

        // A second start (or a second node) rewrites nothing.
        using var again = new AppFactory().OnStoreOf(after);
        var now = await EntriesAsync(again);
        Assert.Equal(rewritten.Select(e => (e.Id, e.Seq, e.Details, e.Hash)), now.Select(e => (e.Id, e.Seq, e.Details, e.Hash)));
        Assert.Single(now, e => e.Action == AuditChainUpgrade.Action);
        var second = await (await again.As("auditor")).GetJsonAsync("/api/audit/verify");
        Assert.True(second["intact"]!.GetValue<bool>(), second.ToJsonString());
    }

    [Fact]
    public async Task AnOldLogThatWasTampered_IsStillRewritten_ButTheCheckKeepsReportingWhereTheOldChainBroke()
    {
        var before = new AppFactory { KeepStore = true };
        long tamperedId;
        try
        {
            var rows = await OldRowsAsync(before);
            await before.WithDbAsync(db => WriteOldLogAsync(db, rows, tamperSeq: 4)); // the export's row count changed after the fact
            tamperedId = await before.WithDbAsync(db => db.Set<AuditEntry>().Where(a => a.Seq == 4).Select(a => a.Id).FirstAsync());
            File.Delete(before.Services.GetRequiredService<AuditHeadFile>().Path);
        }
        finally
        {
            before.Dispose();
        }

        using var after = new AppFactory().OnStoreOf(before);
        var marker = await after.WithDbAsync(db => db.Set<AuditEntry>().AsNoTracking().SingleAsync(a => a.Action == AuditChainUpgrade.Action));
        var d = JsonNode.Parse(marker.Details)!;
        Assert.False(d["oldChainIntact"]!.GetValue<bool>());
        Assert.Equal(tamperedId, d["oldBrokenAtId"]!.GetValue<long>());
        Assert.Equal(4, d["oldBrokenAtSeq"]!.GetValue<long>());
        Assert.Contains("记录被修改", d["oldChainReason"]!.GetValue<string>(), StringComparison.Ordinal);

        // The new chain itself verifies, but the check does not call the log intact: the rewrite laundered nothing.
        var check = await (await after.As("auditor")).GetJsonAsync("/api/audit/verify");
        Assert.False(check["intact"]!.GetValue<bool>(), check.ToJsonString());
        Assert.Equal(tamperedId, check["brokenAtId"]!.GetValue<long>());
        Assert.Contains("重写", check["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(check["rewrites"]![0]!["oldChainIntact"]!.GetValue<bool>());
        var html = await AuditPrivacyTests.VerifyOnThePageAsync(after);
        Assert.Contains("原链在重写前已不完整", html, StringComparison.Ordinal);
    }
    /// <summary>Review of T3: the rewrite must not run again for someone with database access alone. They delete the
    /// marker and rechain the log with the old, unkeyed rule; the head file (written only by a keyed chain) is there.</summary>
    [Fact]
    public async Task WithAHeadFile_ALogMadeToLookOldAgain_IsNotRewrittenASecondTime_AndTheCheckReportsIt()
    {
        var before = new AppFactory { KeepStore = true };
        try
        {
            Assert.True(File.Exists(before.Services.GetRequiredService<AuditHeadFile>().Path)); // the keyed chain's head
            var rows = await OldRowsAsync(before);
            await before.WithDbAsync(db => WriteOldLogAsync(db, rows)); // no marker, every hash plain SHA-256
        }
        finally
        {
            before.Dispose();
        }

        using var after = new AppFactory().OnStoreOf(before);
        var entries = await EntriesAsync(after);
        Assert.DoesNotContain(entries, e => e.Action == AuditChainUpgrade.Action);
        var check = await (await after.As("auditor")).GetJsonAsync("/api/audit/verify");
        Assert.False(check["intact"]!.GetValue<bool>(), check.ToJsonString());
    }

    /// <summary>Review of T3: without a head file too (deleted, or a new node with an empty data directory), a log that holds
    /// an event only the keyed build writes was made to look old: it is not rewritten (signed) either.</summary>
    [Fact]
    public async Task WithoutAHeadFile_ALogMadeToLookOldThatHoldsAHeadWrite_IsNotRewritten_AndTheCheckReportsIt()
    {
        var before = new AppFactory { KeepStore = true };
        try
        {
            var rows = await OldRowsAsync(before);
            rows.Add(new("system", AuditHeadFile.WrittenAction, AuditHeadFile.Entity, "node:/data/audit-head.json",
                """{"seq":8,"headFileHash":"00","by":"node"}"""));
            await before.WithDbAsync(db => WriteOldLogAsync(db, rows)); // no marker, every hash plain SHA-256
            File.Delete(before.Services.GetRequiredService<AuditHeadFile>().Path);
        }
        finally
        {
            before.Dispose();
        }

        using var after = new AppFactory().OnStoreOf(before);
        var entries = await EntriesAsync(after);
        Assert.DoesNotContain(entries, e => e.Action == AuditChainUpgrade.Action);
        Assert.Contains(entries, e => e.Details.Contains("龚旧秘", StringComparison.Ordinal)); // left as it was, not signed
        var check = await (await after.As("auditor")).GetJsonAsync("/api/audit/verify");
        Assert.False(check["intact"]!.GetValue<bool>(), check.ToJsonString());
    }
}
