using System.Net;
using System.Text.Json.Nodes;
using EpiGrid.Features.Imports;
using EpiGrid.Features.People;
using EpiGrid.Features.Tasks;
using EpiGrid.Platform.Audit;
using EpiGrid.Platform.Privacy;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace EpiGrid.Tests.Imports;

/// <summary>Helpers: an .xlsx built in memory, uploaded as multipart, and a wait for the background import to finish.</summary>
public static class ImportData
{
    public static byte[] Xlsx(IEnumerable<Dictionary<string, object?>> rows)
    {
        using var ms = new MemoryStream();
        ms.SaveAs(rows);
        return ms.ToArray();
    }

    public static MultipartFormDataContent Upload(byte[] xlsx, Guid? templateId = null, string name = "名单.xlsx")
    {
        var content = new MultipartFormDataContent { { new ByteArrayContent(xlsx), "file", name } };
        if (templateId is { } t) content.Add(new StringContent(t.ToString()), "templateId");
        return content;
    }

    public static Dictionary<string, object?> Returnee(string name, string gender, string id, string phone, string address,
        string from = "湖北武汉", object? arrived = null, string transport = "火车", string trip = "G818") => new()
    {
        ["姓名"] = name, ["性别"] = gender, ["身份证号码"] = id, ["联系电话"] = phone, ["现住址"] = address,
        ["从何地返回"] = from, ["返回日期"] = arrived ?? "2020-01-25", ["交通方式"] = transport, ["车次/航班号"] = trip,
    };

    public static async Task<JsonNode> WaitAsync(HttpClient client, Guid id, int seconds = 60)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var s = await client.GetJsonAsync($"/api/imports/{id}");
            var status = s["status"]!.GetValue<string>();
            if (status is "Completed" or "Failed") return s;
            Assert.True(DateTime.UtcNow < until, $"import {id} still {status} after {seconds} s");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// For out-of-scope probes: an import made by stats (at 西关街道, completed, with one difference and one unplaced row)
    /// and statsx, a statistician of 西关社区 only, who must not see it.
    /// </summary>
    public static async Task<Guid> OtherImportAsync(AppFactory app)
    {
        var admin = await app.As("admin");
        var xiguan = await Demo.AreaAsync(app, "西关社区");
        var exists = await app.WithDbAsync(db => db.Users.AnyAsync(u => u.UserName == "statsx"));
        if (!exists)
        {
            var r = await admin.PostJsonAsync("/api/users", new { userName = "statsx", displayName = "西关社区统计员", roles = new[] { EpiGrid.Platform.Auth.Roles.Statistician },
                areaIds = new[] { xiguan.Id }, password = AppFactory.NewPassword });
            await r.ExpectAsync(HttpStatusCode.Created);
        }
        var stats = await app.As("stats");
        var id = await UploadAsync(stats, Xlsx([Returnee("越界", "男", RegisterPersonTests.NewIdNumber(), "13700000099", "外地某处")]));
        await WaitAsync(stats, id);
        return id;
    }

    public static async Task<Guid> UploadAsync(HttpClient client, byte[] xlsx, Guid? templateId = null)
    {
        var r = await client.PostAsync("/api/imports", Upload(xlsx, templateId));
        var body = await r.ExpectAsync(HttpStatusCode.Accepted);
        Assert.Contains("/api/imports/", r.Headers.Location!.OriginalString, StringComparison.Ordinal);
        return Guid.Parse(JsonNode.Parse(body)!["id"]!.GetValue<string>());
    }
}

public sealed class ImportTests(AppFactory app) : IClassFixture<AppFactory>
{
    private Task<Guid?> PersonIdAsync(string idNumber) => app.WithDbAsync(async db =>
    {
        var hash = app.Services.GetRequiredService<PrivacyKit>().LookupHash(ProtectedKind.IdNumber, idNumber);
        return await db.Set<Person>().IgnoreQueryFilters().Where(p => p.IdNumberHash == hash).Select(p => (Guid?)p.Id).FirstOrDefaultAsync();
    });

    [Fact]
    public async Task PagesOutOfRange_AreA400_NotA500()
    {
        var stats = await app.As("stats");
        foreach (var page in new[] { "0", "2000000", "2147483647" })
        {
            Assert.Contains("page", await (await stats.GetAsync($"/api/imports?page={page}")).ExpectAsync(HttpStatusCode.BadRequest));
        }
        await (await stats.GetAsync("/api/imports?page=1")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ReturneeList_GoodBadAndDuplicateRows_CountsReasonsTasksPlacementDifferencesAndFeedbackSheet()
    {
        var stats = await app.As("stats");
        var grid1 = await app.As("grid1");
        var spring = await Demo.AreaAsync(app, "春天大道");
        var forklift = await Demo.AreaAsync(app, "叉车厂小区");
        var grid1Id = await Demo.UserIdAsync(app, "grid1");
        var grid2Id = await Demo.UserIdAsync(app, "grid2");

        // A person already registered by the grid worker: the list names them with another phone.
        var known = RegisterPersonTests.NewIdNumber();
        var reg = await grid1.PostJsonAsync("/api/people", new
        {
            name = "刘已登", gender = "Male", idNumber = known, phone = "13611112222", compoundId = spring.Id,
            address = "春天大道2号楼1单元101", categories = new[] { "Returnee" },
        });
        await reg.ExpectAsync(HttpStatusCode.Created);
        var auditBefore = await app.WithDbAsync(db => db.Set<AuditEntry>().CountAsync());

        var good = RegisterPersonTests.NewIdNumber();
        var unplaced = RegisterPersonTests.NewIdNumber(male: false);
        var badCheck = RegisterPersonTests.NewIdNumber();
        badCheck = badCheck[..17] + (badCheck[17] == '0' ? '1' : '0');
        var feb30 = RegisterPersonTests.NewIdNumber();
        var noName = RegisterPersonTests.NewIdNumber();
        var other = RegisterPersonTests.NewIdNumber(male: false);
        var file = ImportData.Xlsx(
        [
            ImportData.Returnee("王好人", "男", good, "13700000001", "金台区西关街道春天大道3号楼2单元501"),        // row 2: new, placed
            ImportData.Returnee("李无址", "女", unplaced, "13700000002", "西安市雁塔区某小区"),                       // row 3: valid, no compound
            ImportData.Returnee("赵校验", "男", badCheck, "13700000003", "春天大道1号楼"),                             // row 4: check character
            ImportData.Returnee("钱二月", "男", feb30, "13700000004", "春天大道1号楼", arrived: "2020-02-30"),         // row 5: 30 February
            ImportData.Returnee("", "男", noName, "13700000005", "春天大道1号楼"),                                      // row 6: empty name
            ImportData.Returnee("王好人", "男", good, "13700000001", "金台区西关街道春天大道3号楼2单元501"),        // row 7: duplicate of row 2
            ImportData.Returnee("刘已登", "男", known, "13799998888", "春天大道2号楼1单元101"),                        // row 8: registered, new phone
            ImportData.Returnee("孙叉车", "女", other, "0917-3211234", "叉车厂小区5号楼", transport: "飞机", trip: "mu2104"), // row 9: new
        ]);
        var id = await ImportData.UploadAsync(stats, file);
        var s = await ImportData.WaitAsync(stats, id);
        // The bulk path writes one audit entry for the import (and the job's own rows), not one per person, task or row:
        // per-row entries would be at least one per stored row (8 rows, 4 people and tasks with their categories).
        Assert.InRange(await app.WithDbAsync(db => db.Set<AuditEntry>().CountAsync()) - auditBefore, 1, 7);

        Assert.Equal("Completed", s["status"]!.GetValue<string>());
        Assert.Equal(8, s["total"]!.GetValue<int>());
        Assert.Equal(2, s["imported"]!.GetValue<int>());
        Assert.Equal(2, s["matched"]!.GetValue<int>());
        Assert.Equal(3, s["rejected"]!.GetValue<int>());
        Assert.Equal(1, s["unplaced"]!.GetValue<int>());
        var errors = s["errors"]!.AsArray().Select(e => (Row: e!["row"]!.GetValue<int>(), Field: e["field"]!.GetValue<string>(), Message: e["message"]!.GetValue<string>())).ToList();
        Assert.Equal([4, 5, 6], errors.Select(e => e.Row).Distinct().Order());
        Assert.Contains(errors, e => e is { Row: 4, Field: "身份证号码" } && e.Message.Contains("校验位", StringComparison.Ordinal));
        Assert.Contains(errors, e => e is { Row: 5, Field: "返回日期" } && e.Message.Contains("日期不存在", StringComparison.Ordinal));
        Assert.Contains(errors, e => e is { Row: 6, Field: "姓名" } && e.Message.Contains("为空", StringComparison.Ordinal));

        // Bad rows are not stored anywhere; good rows are, once.
        foreach (var bad in new[] { feb30, noName })
        {
            Assert.Null(await PersonIdAsync(bad));
            var hash = app.Services.GetRequiredService<PrivacyKit>().LookupHash(ProtectedKind.IdNumber, bad);
            Assert.False(await app.WithDbAsync(db => db.Set<ImportRow>().AnyAsync(r => r.IdNumberHash == hash)));
        }
        var goodId = (await PersonIdAsync(good))!.Value;
        var otherId = (await PersonIdAsync(other))!.Value;
        var knownId = (await PersonIdAsync(known))!.Value;
        Assert.Null(await PersonIdAsync(unplaced));
        var person = await stats.GetJsonAsync($"/api/people/{goodId}");
        Assert.Equal(spring.Id.ToString(), person["compoundId"]!.GetValue<string>());
        Assert.Equal("137****0001", person["phoneMasked"]!.GetValue<string>());
        Assert.Contains("Returnee", person["categories"]!.AsArray().Select(c => c!.GetValue<string>()));
        // The bulk path stores the new person with the category's bit (the guarded trigger then leaves the row alone): the
        // report and the dashboard, which count by the bits, count them.
        Assert.Equal(PersonCategoryFlags.Bit(PersonCategory.Returnee),
            await app.WithDbAsync(db => db.Set<Person>().IgnoreQueryFilters().Where(p => p.Id == goodId).Select(p => p.CategoryFlags).SingleAsync()));

        // A verification task for every valid row, for the grid worker of the person's compound; the duplicate row is the same task.
        var rows = await stats.GetJsonAsync($"/api/imports/{id}/rows?which=All");
        var byRow = rows["items"]!.AsArray().ToDictionary(r => r!["row"]!.GetValue<int>());
        Assert.Equal([2, 3, 7, 8, 9], byRow.Keys.Order());
        Assert.Equal(byRow[2]!["taskId"]!.GetValue<string>(), byRow[7]!["taskId"]!.GetValue<string>());
        Assert.Equal(2, byRow[7]!["duplicateOfRow"]!.GetValue<int>());
        var tasks = await app.WithDbAsync(db => db.Set<WorkTask>().IgnoreQueryFilters().Where(t => t.DedupeKey!.StartsWith($"import:{id:N}:")).ToListAsync());
        Assert.Equal(3, tasks.Count);
        Assert.All(tasks, t => Assert.Equal(TaskKind.Verification, t.Kind));
        Assert.Equal(grid1Id, tasks.Single(t => t.PersonId == goodId).AssigneeId);
        Assert.Equal(grid1Id, tasks.Single(t => t.PersonId == knownId).AssigneeId);
        Assert.Equal(grid2Id, tasks.Single(t => t.PersonId == otherId).AssigneeId);

        // The registered person is linked, not overwritten: the new phone waits for the statistician.
        var known1 = await stats.GetJsonAsync($"/api/people/{knownId}");
        Assert.Equal("136****2222", known1["phoneMasked"]!.GetValue<string>());
        var diffs = await stats.GetJsonAsync($"/api/imports/{id}/rows?which=Differences");
        var diff = Assert.Single(diffs["items"]!.AsArray());
        Assert.Equal(8, diff!["row"]!.GetValue<int>());
        Assert.Contains(diff["differences"]!.AsArray(), d => d!["field"]!.GetValue<string>() == "phone" && d["incoming"]!.GetValue<string>() == "137****8888");
        await (await stats.PostJsonAsync($"/api/imports/{id}/rows/8/accept", new { accept = true })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("137****8888", (await stats.GetJsonAsync($"/api/people/{knownId}"))["phoneMasked"]!.GetValue<string>());
        await (await stats.PostJsonAsync($"/api/imports/{id}/rows/8/accept", new { accept = true })).ExpectAsync(HttpStatusCode.Conflict);

        // The unplaced person is placed by the statistician: registered there, with a task.
        await (await stats.PostJsonAsync($"/api/imports/{id}/rows/3/place", new { compoundId = forklift.Id })).ExpectAsync(HttpStatusCode.OK);
        var placedId = (await PersonIdAsync(unplaced))!.Value;
        Assert.True(await app.WithDbAsync(db => db.Set<WorkTask>().IgnoreQueryFilters().AnyAsync(t => t.PersonId == placedId && t.AssigneeId == grid2Id)));
        s = await stats.GetJsonAsync($"/api/imports/{id}");
        Assert.Equal(3, s["imported"]!.GetValue<int>());
        Assert.Equal(0, s["unplaced"]!.GetValue<int>());

        // The import wrote one audit entry with its counts (plus the few page-level changes), not one per row.
        var audit = await app.WithDbAsync(db => db.Set<AuditEntry>().Where(a => a.Action == "Import" && a.EntityId == id.ToString()).ToListAsync());
        var entry = Assert.Single(audit);
        Assert.Contains("\"rejected\":3", entry.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(good, entry.Details, StringComparison.Ordinal);

        // The grid worker reaches the first person; the feedback sheet carries it back up.
        var task = tasks.Single(t => t.PersonId == goodId);
        await (await grid1.PostJsonAsync($"/api/tasks/{task.Id}/attempts", new { method = "Visit", outcome = "Reached", note = "已上门核实" })).ExpectAsync(HttpStatusCode.Created);
        var feedback = await stats.GetAsync($"/api/imports/{id}/feedback.xlsx");
        Assert.Equal(HttpStatusCode.OK, feedback.StatusCode);
        using var ms = new MemoryStream(await feedback.Content.ReadAsByteArrayAsync());
        var sheet = ms.Query(useHeaderRow: false).Cast<IDictionary<string, object?>>().Select(r => r.Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToArray()).ToList();
        Assert.Contains("导出", sheet[0][0], StringComparison.Ordinal); // the watermark
        Assert.Equal([.. ImportFields.ReturneeHeadings, "导入结果", "核查结果", "核查日期", "原表行号"], sheet[1].Take(13));
        var lines = sheet.Skip(2).ToDictionary(r => int.Parse(r[12], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(8, lines.Count);
        Assert.Equal("王好人", lines[2][0]);
        Assert.Equal(good, lines[2][2]); // the statistician may reveal: in full
        Assert.Equal("新增登记", lines[2][9]);
        Assert.Equal("已联系核实", lines[2][10]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", lines[2][11]);
        Assert.StartsWith("未导入：身份证号码", lines[4][9], StringComparison.Ordinal);
        Assert.StartsWith("未导入：返回日期", lines[5][9], StringComparison.Ordinal);
        Assert.StartsWith("未导入：姓名", lines[6][9], StringComparison.Ordinal);
        Assert.Equal("与第 2 行为同一人", lines[7][9]);
        Assert.Equal("已联系核实", lines[7][10]);
        Assert.Equal("已登记（已关联）", lines[8][9]);
        Assert.Equal("待核查", lines[8][10]);
        Assert.True(await app.WithDbAsync(db => db.Set<AuditEntry>().AnyAsync(a => a.Action == "Export" && a.Entity == "反馈表")));
    }

    [Fact]
    public async Task OtherHeadings_Need_A_SavedMapping_WhichIsReusedForTheNextFileOfThatLayout()
    {
        var stats = await app.As("stats");
        Dictionary<string, object?> Row(string name, string id, string phone, string address) => new()
        {
            ["序号"] = 1, ["乘车人"] = name, ["证件号"] = id, ["手机"] = phone, ["目的地址"] = address, ["乘车日期"] = new DateTime(2020, 1, 23), ["车次"] = "K1363",
        };
        var first = ImportData.Xlsx([Row("周一", RegisterPersonTests.NewIdNumber(), "13700000011", "西关小区1号楼")]);
        var r = await stats.PostAsync("/api/imports", ImportData.Upload(first));
        var problem = await r.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("templateId", problem, StringComparison.Ordinal);

        r = await stats.PostJsonAsync("/api/imports/templates", new
        {
            name = "铁路旅客名单" + Guid.NewGuid().ToString("N")[..6],
            mapping = new Dictionary<string, string> { ["name"] = "乘车人", ["idNumber"] = "证件号", ["phone"] = "手机", ["address"] = "目的地址", ["arrivedAt"] = "乘车日期", ["tripNumber"] = "车次" },
        });
        var template = Guid.Parse((await r.JsonAsync())["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);

        var id = await ImportData.UploadAsync(stats, first, template);
        var s = await ImportData.WaitAsync(stats, id);
        Assert.Equal(1, s["imported"]!.GetValue<int>());
        Assert.Equal(template.ToString(), s["templateId"]!.GetValue<string>());

        // The next list of the same layout (columns in another order) maps itself with the saved template.
        var idNumber = RegisterPersonTests.NewIdNumber(male: false);
        var second = ImportData.Xlsx([new Dictionary<string, object?>
        {
            ["车次"] = "D1234", ["证件号"] = idNumber, ["乘车人"] = "吴二", ["目的地址"] = "技师学院家属院2号楼", ["手机"] = "13700000012", ["乘车日期"] = "2020/1/24",
        }]);
        id = await ImportData.UploadAsync(stats, second);
        s = await ImportData.WaitAsync(stats, id);
        Assert.Equal(template.ToString(), s["templateId"]!.GetValue<string>());
        Assert.Equal(1, s["imported"]!.GetValue<int>());
        Assert.Equal(0, s["rejected"]!.GetValue<int>());
        var personId = (await PersonIdAsync(idNumber))!.Value;
        var p = await stats.GetJsonAsync($"/api/people/{personId}");
        Assert.Equal("吴二", p["name"]!.GetValue<string>());

        // A template whose headings the file lacks is a clear 400, not a silent mis-mapping.
        var third = ImportData.Xlsx([new Dictionary<string, object?> { ["姓名"] = "郑三", ["证件号"] = RegisterPersonTests.NewIdNumber() }]);
        r = await stats.PostAsync("/api/imports", ImportData.Upload(third, template));
        Assert.Contains("乘车人", await r.ExpectAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Draft_IsMappedOnScreen_ThenQueued_AndAnOutOfScopeStatisticianSeesNothing()
    {
        var stats = await app.As("stats");
        var file = ImportData.Xlsx([new Dictionary<string, object?> { ["名字"] = "冯四", ["身份号"] = RegisterPersonTests.NewIdNumber(), ["住"] = "百翠园3号楼" }]);
        ImportJob job;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // The page's upload (a Draft); made here without a request, so it is put at the statistician's node by hand.
            job = await scope.ServiceProvider.GetRequiredService<StartImport>().UploadAsync(new StartImport.Upload("x.xlsx", file.Length, () => new MemoryStream(file)), null, allowDraft: true);
        }
        var subdistrict = await Demo.AreaAsync(app, "西关街道");
        await app.WithDbAsync(db => db.Set<ImportJob>().Where(i => i.Id == job.Id).ExecuteUpdateAsync(u => u.SetProperty(i => i.AreaId, subdistrict.Id)));
        Assert.Equal(ImportStatus.Draft, job.Status);
        var preview = await stats.GetJsonAsync($"/api/imports/{job.Id}/preview");
        Assert.Equal(["名字", "身份号", "住"], preview["headings"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Contains("*", preview["rows"]![0]![1]!.GetValue<string>(), StringComparison.Ordinal); // the ID number is masked in the preview
        var r = await stats.PostJsonAsync($"/api/imports/{job.Id}/start", new { mapping = new Dictionary<string, string> { ["name"] = "名字" } });
        Assert.Contains("mapping.idNumber", await r.ExpectAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        r = await stats.PostJsonAsync($"/api/imports/{job.Id}/start", new { mapping = new Dictionary<string, string> { ["name"] = "名字", ["idNumber"] = "身份号", ["address"] = "住" } });
        await r.ExpectAsync(HttpStatusCode.Accepted);
        var s = await ImportData.WaitAsync(stats, job.Id);
        Assert.Equal(1, s["imported"]!.GetValue<int>());
        r = await stats.PostJsonAsync($"/api/imports/{job.Id}/start", new { mapping = new Dictionary<string, string> { ["name"] = "名字", ["idNumber"] = "身份号" } });
        await r.ExpectAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task AnImportInterruptedMidway_IsResumedAfterItsLastCommittedRow_AndCompletes()
    {
        var stats = await app.As("stats");
        var ids = Enumerable.Range(0, 4).Select(_ => RegisterPersonTests.NewIdNumber()).ToArray();
        var file = ImportData.Xlsx([.. ids.Select((id, i) => new Dictionary<string, object?> { ["名字"] = $"续{i}", ["身份号"] = id, ["住址"] = "西关小区1号楼" })]);
        ImportJob job;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            job = await scope.ServiceProvider.GetRequiredService<StartImport>().UploadAsync(new StartImport.Upload("续传.xlsx", file.Length, () => new MemoryStream(file)), null, allowDraft: true);
        }
        Assert.Equal(ImportStatus.Draft, job.Status); // the worker leaves drafts alone
        // As if it had been mapped, claimed by a process that committed rows 2–3 (made nothing, for the test) and died
        // 5 minutes ago: the worker resumes it after row 3.
        var subdistrict = await Demo.AreaAsync(app, "西关街道");
        await app.WithDbAsync(db => db.Set<ImportJob>().Where(i => i.Id == job.Id).ExecuteUpdateAsync(u => u
            .SetProperty(i => i.Status, ImportStatus.Running).SetProperty(i => i.Mapping, "{\"name\":\"名字\",\"idNumber\":\"身份号\",\"address\":\"住址\"}").SetProperty(i => i.LastRow, 3).SetProperty(i => i.Total, 2).SetProperty(i => i.Imported, 2)
            .SetProperty(i => i.HeartbeatAt, DateTime.UtcNow.AddMinutes(-5)).SetProperty(i => i.AreaId, subdistrict.Id)));
        app.Services.GetRequiredService<ImportQueue>().Wake(job.Id);
        var s = await ImportData.WaitAsync(stats, job.Id);
        Assert.Equal("Completed", s["status"]!.GetValue<string>());
        Assert.Equal(4, s["total"]!.GetValue<int>());
        Assert.Equal(4, s["imported"]!.GetValue<int>());
        Assert.Null(await PersonIdAsync(ids[0]));
        Assert.Null(await PersonIdAsync(ids[1]));
        Assert.NotNull(await PersonIdAsync(ids[2]));
        Assert.NotNull(await PersonIdAsync(ids[3]));
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<ImportJob>().Where(i => i.Id == job.Id).Select(i => i.Resumes).SingleAsync()));
    }
}
