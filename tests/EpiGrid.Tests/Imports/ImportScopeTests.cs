using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using EpiGrid.Features.Imports;
using EpiGrid.Features.People;
using EpiGrid.Features.Tasks;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Imports;

/// <summary>
/// An import runs in the background, but sees no more than the statistician who uploaded it: a listed person registered
/// outside their scope comes back as the duplicate rule answers a registration — the community's name (ownerArea), nothing
/// of the person.
/// </summary>
public sealed class ImportScopeTests(AppFactory app) : IClassFixture<AppFactory>
{
    private sealed record Registered(Guid Id, string Name, string Phone, string Address, string From, string Trip)
    {
        public string PhoneMasked => Phone[..3] + "****" + Phone[^4..];
    }

    private async Task<Registered> RegisterInForkliftAsync(HttpClient grid2, string idNumber, string name, string phone, string address, string from, string trip)
    {
        var forklift = await Demo.AreaAsync(app, "叉车厂小区");
        var r = await grid2.PostJsonAsync("/api/people", new
        {
            name, gender = "Male", idNumber, phone, compoundId = forklift.Id, address, categories = new[] { "Returnee" },
            travel = new { from, arrivedAt = new DateTimeOffset(2020, 1, 22, 10, 0, 0, TimeSpan.FromHours(8)), transport = "Rail", tripNumber = trip },
        });
        var body = await r.ExpectAsync(HttpStatusCode.Created);
        return new Registered(Guid.Parse(JsonNode.Parse(body)!["id"]!.GetValue<string>()), name, phone, address, from, trip);
    }

    [Fact]
    public async Task CommunityStatistician_ListsIdNumbersOfAnotherCommunitysPeople_LearnsOnlyTheirCommunity_InEveryRouteAndFile()
    {
        var admin = await app.As("admin");
        var xiguan = await Demo.AreaAsync(app, "西关社区");
        var spring = await Demo.AreaAsync(app, "春天大道");
        await (await admin.PostJsonAsync("/api/users", new
        {
            userName = "statsxg", displayName = "西关社区统计员", roles = new[] { Roles.Statistician }, areaIds = new[] { xiguan.Id }, password = AppFactory.NewPassword,
        })).ExpectAsync(HttpStatusCode.Created);
        var statsx = await app.As("statsxg");
        var grid2 = await app.As("grid2");

        // A returnee of 叉车厂社区, registered by its grid worker. The statistician of 西关社区 knows only the ID number.
        var idA = RegisterPersonTests.NewIdNumber();
        var a = await RegisterInForkliftAsync(grid2, idA, "秦密甲", "13912344321", "叉车厂小区7号楼2单元601", "湖北孝感", "Z9527");
        var idB = RegisterPersonTests.NewIdNumber();
        var idC = RegisterPersonTests.NewIdNumber(male: false);
        var file = ImportData.Xlsx(
        [
            ImportData.Returnee("张列甲", "男", idA, "13700000071", "春天大道3号楼1单元101"),  // row 2: registered in 叉车厂社区
            ImportData.Returnee("李列乙", "男", idB, "13700000072", "西安市雁塔区某小区"),     // row 3: nobody yet, no compound: unplaced
            ImportData.Returnee("张列甲", "男", idA, "13700000071", "春天大道3号楼1单元101"),  // row 4: row 2 again
            ImportData.Returnee("王本社", "女", idC, "13700000073", "春天大道5号楼2单元201"),  // row 5: new, in their own compound
        ]);
        var id = await ImportData.UploadAsync(statsx, file);
        var s = await ImportData.WaitAsync(statsx, id);
        Assert.Equal("Completed", s["status"]!.GetValue<string>());
        Assert.Equal(4, s["total"]!.GetValue<int>());

        // Meanwhile the unplaced person is registered in 叉车厂社区 too; the statistician then places their row in a compound of
        // 西关社区: that must not link them either.
        var b = await RegisterInForkliftAsync(grid2, idB, "秦密乙", "13912348765", "叉车厂小区8号楼1单元102", "湖北黄冈", "K8421");
        var place = await statsx.PostJsonAsync($"/api/imports/{id}/rows/3/place", new { compoundId = spring.Id });
        var placed = JsonNode.Parse(await place.ExpectAsync(HttpStatusCode.OK))!;

        // What the rows say: the community, and nothing of the person.
        var all = (await statsx.GetJsonAsync($"/api/imports/{id}/rows?which=All"))["items"]!.AsArray().ToDictionary(r => r!["row"]!.GetValue<int>());
        Assert.Equal([2, 3, 4, 5], all.Keys.Order());
        foreach (var row in new[] { all[2]!, all[3]!, all[4]!, placed })
        {
            Assert.Equal("Elsewhere", row["kind"]!.GetValue<string>());
            Assert.Equal("叉车厂社区", row["ownerArea"]!.GetValue<string>());
            Assert.Null(row["personId"]);
            Assert.Null(row["taskId"]);
            Assert.Empty(row["differences"]!.AsArray());
        }
        Assert.Equal(2, all[4]!["duplicateOfRow"]!.GetValue<int>());
        Assert.Equal("New", all[5]!["kind"]!.GetValue<string>()); // their own compound: as before
        Assert.NotNull(all[5]!["personId"]);
        Assert.Null(all[5]!["ownerArea"]);
        // Nor was work made for another community's grid worker: the one task of the import is for their own new person.
        var importTasks = await app.WithDbAsync(db => db.Set<WorkTask>().IgnoreQueryFilters().Where(t => t.DedupeKey!.StartsWith($"import:{id:N}:")).ToListAsync());
        var task = Assert.Single(importTasks);
        Assert.Equal(all[5]!["personId"]!.GetValue<string>(), task.PersonId.ToString());

        // The feedback sheet's result column says the same.
        var feedback = await statsx.GetAsync($"/api/imports/{id}/feedback.xlsx");
        Assert.Equal(HttpStatusCode.OK, feedback.StatusCode);
        var workbook = await feedback.Content.ReadAsByteArrayAsync();
        var sheet = Sheet(workbook);
        var lines = sheet.Skip(2).ToDictionary(r => int.Parse(r[12], System.Globalization.CultureInfo.InvariantCulture));
        foreach (var row in new[] { 2, 3, 4 })
        {
            Assert.Equal("此人已由叉车厂社区登记", lines[row][9]);
            Assert.Equal("", lines[row][10]);
        }

        // Everything the statistician can reach about this import: no name, phone, address, travel or record of theirs.
        var reached = new List<(string Where, string Text)>
        {
            ("detail", await (await statsx.GetAsync($"/api/imports/{id}")).Content.ReadAsStringAsync()),
            ("list", await (await statsx.GetAsync("/api/imports")).Content.ReadAsStringAsync()),
            ("errors", await (await statsx.GetAsync($"/api/imports/{id}/errors")).Content.ReadAsStringAsync()),
            ("place", placed.ToJsonString()),
            ("feedback cells", string.Join("\n", sheet.Select(r => string.Join("\t", r)))),
            ("feedback parts", WorkbookText(workbook)),
        };
        foreach (var which in new[] { "All", "Differences", "Unplaced" })
        {
            reached.Add(($"rows {which}", await (await statsx.GetAsync($"/api/imports/{id}/rows?which={which}")).Content.ReadAsStringAsync()));
        }
        var page = await statsx.GetAsync($"/Imports/{id}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        reached.Add(("page", await page.Content.ReadAsStringAsync()));

        var personIds = new[] { a.Id, b.Id };
        var taskIds = await app.WithDbAsync(db => db.Set<WorkTask>().IgnoreQueryFilters().Where(t => personIds.Contains(t.PersonId)).Select(t => t.Id).ToListAsync());
        var secrets = new List<string>();
        foreach (var p in new[] { a, b })
        {
            secrets.AddRange([p.Id.ToString(), p.Id.ToString("N"), p.Name, p.Phone, p.PhoneMasked, p.Address, p.From, p.Trip]);
        }
        secrets.AddRange(taskIds.Select(t => t.ToString()));
        foreach (var (where, text) in reached)
        {
            foreach (var secret in secrets) Assert.False(text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{where} shows “{secret}”");
        }

        // The registered people are as their grid worker left them.
        var hash = app.Services.GetRequiredService<PrivacyKit>().LookupHash(ProtectedKind.IdNumber, idB);
        var stillB = await app.WithDbAsync(db => db.Set<Person>().IgnoreQueryFilters().SingleAsync(p => p.IdNumberHash == hash));
        Assert.Equal((b.Id, "秦密乙"), (stillB.Id, stillB.Name));
    }

    /// <summary>A Draft of <paramref name="uploader"/>'s, stored at <paramref name="area"/> (the page's upload; made here
    /// without a request, so its uploader and node are set by hand).</summary>
    private async Task<Guid> DraftAsync(byte[] file, Guid uploader, Guid area)
    {
        ImportJob job;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            job = await scope.ServiceProvider.GetRequiredService<StartImport>().UploadAsync(new StartImport.Upload("名单.xlsx", file.Length, () => new MemoryStream(file)), null, allowDraft: true);
        }
        Assert.Equal(ImportStatus.Draft, job.Status);
        await app.WithDbAsync(db => db.Set<ImportJob>().Where(i => i.Id == job.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.AreaId, area).SetProperty(i => i.CreatedBy, uploader)));
        return job.Id;
    }

    /// <summary>A list row under headings no field knows, so the upload stays a Draft until it is mapped.</summary>
    private static Dictionary<string, object?> Listed(string name, string gender, string id, string phone, string address) =>
        new() { ["人名"] = name, ["男女"] = gender, ["证号"] = id, ["手机"] = phone, ["住处"] = address };

    private static readonly Dictionary<string, string> Mapping = new() { ["name"] = "人名", ["gender"] = "男女", ["idNumber"] = "证号", ["phone"] = "手机", ["address"] = "住处" };

    private async Task<Guid> CreateStatisticianAsync(string userName, params Guid[] areaIds)
    {
        var admin = await app.As("admin");
        var body = await (await admin.PostJsonAsync("/api/users", new
        {
            userName, displayName = userName, roles = new[] { Roles.Statistician }, areaIds, password = AppFactory.NewPassword,
        })).ExpectAsync(HttpStatusCode.Created);
        return Guid.Parse(JsonNode.Parse(body)!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task StatisticianOfTwoCommunities_ImportAtOne_ListsTheOthersPeople_ItsReadersLearnOnlyTheCommunity()
    {
        var xiguan = await Demo.AreaAsync(app, "西关社区");
        var forkliftCommunity = await Demo.AreaAsync(app, "叉车厂社区");
        var both = await CreateStatisticianAsync("statsboth", xiguan.Id, forkliftCommunity.Id);
        await CreateStatisticianAsync("statsxg2", xiguan.Id);
        var statsBoth = await app.As("statsboth");
        var statsXg = await app.As("statsxg2");
        var grid2 = await app.As("grid2");

        var idA = RegisterPersonTests.NewIdNumber();
        var a = await RegisterInForkliftAsync(grid2, idA, "秦密丙", "13912341122", "叉车厂小区9号楼1单元301", "湖北荆州", "G1234");
        var idB = RegisterPersonTests.NewIdNumber();
        var b = await RegisterInForkliftAsync(grid2, idB, "秦密丁", "13912343344", "叉车厂小区10号楼2单元402", "湖北宜昌", "D5678");
        var file = ImportData.Xlsx(
        [
            Listed("张列丙", "男", idA, "13700000081", "春天大道3号楼1单元101"),
            Listed("张列丁", "男", idB, "13700000082", "春天大道4号楼1单元101"),
            Listed("张列丙", "男", idA, "13700000081", "春天大道3号楼1单元101"),
        ]);
        // The import lies at 西关社区, one of its uploader's two communities; the uploader starts it.
        var id = await DraftAsync(file, both, xiguan.Id);
        var r = await statsBoth.PostJsonAsync($"/api/imports/{id}/start", new { mapping = Mapping });
        await r.ExpectAsync(HttpStatusCode.Accepted);
        var s = await ImportData.WaitAsync(statsXg, id);
        Assert.Equal("Completed", s["status"]!.GetValue<string>());
        Assert.Equal(3, s["total"]!.GetValue<int>());

        var all = (await statsXg.GetJsonAsync($"/api/imports/{id}/rows?which=All"))["items"]!.AsArray().ToDictionary(r => r!["row"]!.GetValue<int>());
        Assert.Equal([2, 3, 4], all.Keys.Order());
        foreach (var row in all.Values)
        {
            Assert.Equal("Elsewhere", row!["kind"]!.GetValue<string>());
            Assert.Equal("叉车厂社区", row["ownerArea"]!.GetValue<string>());
            Assert.Null(row["personId"]);
            Assert.Null(row["taskId"]);
            Assert.Empty(row["differences"]!.AsArray());
        }
        var importTasks = await app.WithDbAsync(db => db.Set<WorkTask>().IgnoreQueryFilters().CountAsync(t => t.DedupeKey!.StartsWith($"import:{id:N}:")));
        Assert.Equal(0, importTasks);

        var feedback = await statsXg.GetAsync($"/api/imports/{id}/feedback.xlsx");
        Assert.Equal(HttpStatusCode.OK, feedback.StatusCode);
        var workbook = await feedback.Content.ReadAsByteArrayAsync();
        var sheet = Sheet(workbook);
        var reached = new List<(string Where, string Text)>
        {
            ("detail", await (await statsXg.GetAsync($"/api/imports/{id}")).Content.ReadAsStringAsync()),
            ("list", await (await statsXg.GetAsync("/api/imports")).Content.ReadAsStringAsync()),
            ("errors", await (await statsXg.GetAsync($"/api/imports/{id}/errors")).Content.ReadAsStringAsync()),
            ("feedback cells", string.Join("\n", sheet.Select(r => string.Join("\t", r)))),
            ("feedback parts", WorkbookText(workbook)),
        };
        foreach (var which in new[] { "All", "Differences", "Unplaced" })
        {
            reached.Add(($"rows {which}", await (await statsXg.GetAsync($"/api/imports/{id}/rows?which={which}")).Content.ReadAsStringAsync()));
        }
        var page = await statsXg.GetAsync($"/Imports/{id}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        reached.Add(("page", await page.Content.ReadAsStringAsync()));

        var personIds = new[] { a.Id, b.Id };
        var taskIds = await app.WithDbAsync(db => db.Set<WorkTask>().IgnoreQueryFilters().Where(t => personIds.Contains(t.PersonId)).Select(t => t.Id).ToListAsync());
        var secrets = new List<string>();
        foreach (var p in new[] { a, b })
        {
            secrets.AddRange([p.Id.ToString(), p.Id.ToString("N"), p.Name, p.Phone, p.PhoneMasked, p.Address, p.From, p.Trip]);
        }
        secrets.AddRange(taskIds.Select(t => t.ToString()));
        foreach (var (where, text) in reached)
        {
            foreach (var secret in secrets) Assert.False(text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{where} shows “{secret}”");
        }
    }

    [Fact]
    public async Task AnImportWhoseUploaderWasDisabledBeforeItRan_EndsFailed_WithTheReason()
    {
        var xiguan = await Demo.AreaAsync(app, "西关社区");
        var gone = await CreateStatisticianAsync("statsgone", xiguan.Id);
        var file = ImportData.Xlsx([Listed("停用甲", "男", RegisterPersonTests.NewIdNumber(), "13700000091", "春天大道3号楼1单元101")]);
        var id = await DraftAsync(file, gone, xiguan.Id);
        var admin = await app.As("admin");
        await (await admin.PostAsync($"/api/users/{gone}/disable", null)).ExpectAsync(HttpStatusCode.NoContent);

        // Another statistician whose scope covers the import starts the disabled one's Draft.
        var stats = await app.As("stats");
        var r = await stats.PostJsonAsync($"/api/imports/{id}/start", new { mapping = Mapping });
        await r.ExpectAsync(HttpStatusCode.Accepted);
        var s = await ImportData.WaitAsync(stats, id);
        Assert.Equal("Failed", s["status"]!.GetValue<string>());
        Assert.Contains("停用", s["failureReason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, s["imported"]!.GetValue<int>());
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<ImportRow>().IgnoreQueryFilters().CountAsync(x => x.ImportId == id)));
    }

    /// <summary>The feedback sheet's cells as text, row by row.</summary>
    private static List<string[]> Sheet(byte[] xlsx)
    {
        using var ms = new MemoryStream(xlsx);
        return [.. MiniExcelLibs.MiniExcel.Query(ms, useHeaderRow: false).Cast<IDictionary<string, object?>>()
            .Select(r => r.Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToArray())];
    }

    /// <summary>Every part of the workbook as text (shared strings, sheets, properties): nothing hides outside the cells.</summary>
    private static string WorkbookText(byte[] xlsx)
    {
        using var zip = new ZipArchive(new MemoryStream(xlsx), ZipArchiveMode.Read);
        return string.Join("\n", zip.Entries.Select(e =>
        {
            using var reader = new StreamReader(e.Open());
            return reader.ReadToEnd();
        }));
    }
}
