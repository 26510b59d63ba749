using System.Net;
using EpiGrid.Features.Households;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace EpiGrid.Tests.Households;

public sealed class RegisterAndCoverageTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static MultipartFormDataContent Upload(Guid compoundId, IEnumerable<Dictionary<string, object?>> rows)
    {
        var ms = new MemoryStream();
        ms.SaveAs(rows);
        ms.Position = 0;
        var content = new MultipartFormDataContent
        {
            { new StringContent(compoundId.ToString()), "compoundId" },
            { new StreamContent(ms), "file", "户籍登记表.xlsx" },
        };
        return content;
    }

    private static Dictionary<string, object?> Row(string building, string unit, string room, string name, string relation, string gender, string id, string phone, string type = "常住") => new()
    {
        ["楼栋"] = building, ["单元"] = unit, ["房号"] = room, ["姓名"] = name, ["与户主关系"] = relation, ["性别"] = gender,
        ["身份证号码"] = id, ["联系电话"] = phone, ["居住类型"] = type, ["是否出租"] = "",
    };

    [Fact]
    public async Task Import_GoodRowsAreStored_BadRowsListedByRowNumberAndFieldAndNotStored()
    {
        var compound = await Demo.AreaAsync(app, "西关小区");
        var rows = new[]
        {
            Row("1号楼", "1", "101", "王建军", "户主", "男", RegisterPersonTests.NewIdNumber(), "13600000001"),
            Row("1号楼", "1", "101", "李秀英", "配偶", "女", RegisterPersonTests.NewIdNumber(male: false), "13600000002"),
            Row("1号楼", "1", "102", "赵六", "户主", "男", "610303198001010013", "13600000003"),      // row 4: bad check digit
            Row("9号楼", "1", "103", "钱七", "户主", "男", RegisterPersonTests.NewIdNumber(), "13600000004"), // row 5: no such building
            Row("2号楼", "2", "201", "孙八", "租户", "男", "", "12345", "租住"),                        // row 6: bad phone
            Row("2号楼", "2", "202", "周九", "户主", "X", "", "", "常住"),                             // row 7: bad sex
            Row("2号楼", "2", "203", "吴十", "户主", "女", "", "0917-3211234", "流动"),
        };
        var grid1 = await app.As("grid1");
        var r = await grid1.PostAsync("/api/households/import", Upload(compound.Id, rows));
        await r.ExpectAsync(HttpStatusCode.OK);
        var result = await r.JsonAsync();
        Assert.Equal(7, result["rows"]!.GetValue<int>());
        Assert.Equal(3, result["residents"]!.GetValue<int>());
        Assert.Equal(2, result["households"]!.GetValue<int>());
        var errors = result["errors"]!.AsArray().Select(e => (e!["row"]!.GetValue<int>(), e["field"]!.GetValue<string>())).ToList();
        Assert.Contains((4, "身份证号码"), errors);
        Assert.Contains((5, "楼栋"), errors);
        Assert.Contains((6, "联系电话"), errors);
        Assert.Contains((7, "性别"), errors);
        Assert.DoesNotContain(errors, e => e.Item1 is 2 or 3 or 8);

        var names = await app.WithDbAsync(db => db.Set<Resident>().Where(x => x.CompoundId == compound.Id).Select(x => x.Name).ToListAsync());
        Assert.Contains("王建军", names);
        Assert.Contains("吴十", names);
        Assert.DoesNotContain("赵六", names);
        Assert.DoesNotContain("孙八", names);

        // Imported again: nobody twice.
        var again = await (await grid1.PostAsync("/api/households/import", Upload(compound.Id, rows.Take(2)))).JsonAsync();
        Assert.Equal(0, again["residents"]!.GetValue<int>());
    }

    [Fact]
    public async Task Import_IntoAnotherCommunitysCompound_Is404()
    {
        var other = await Demo.AreaAsync(app, "叉车厂小区");
        var r = await (await app.As("grid1")).PostAsync("/api/households/import", Upload(other.Id, [Row("", "", "1", "某某", "户主", "男", "", "")]));
        await r.ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Coverage_IsTheShareOfHouseholdsScreenedInTheLastSevenDays()
    {
        var compound = await Demo.AreaAsync(app, "技师学院家属院");
        var grid1 = await app.As("grid1");
        var ids = new List<string>();
        for (var i = 1; i <= 4; i++)
        {
            var r = await grid1.PostJsonAsync("/api/households", new { compoundId = compound.Id, unit = "1", room = $"30{i}" });
            await r.ExpectAsync(HttpStatusCode.Created);
            ids.Add((await r.JsonAsync())["id"]!.GetValue<string>());
        }
        // Three of four screened; one of them twice (counts once); an old visit does not count.
        await (await grid1.PostJsonAsync($"/api/households/{ids[0]}/visits", new { outcome = "AllWell", occupants = 3 })).ExpectAsync(HttpStatusCode.Created);
        await (await grid1.PostJsonAsync($"/api/households/{ids[0]}/visits", new { outcome = "AllWell", occupants = 3 })).ExpectAsync(HttpStatusCode.Created);
        await (await grid1.PostJsonAsync($"/api/households/{ids[1]}/visits", new { outcome = "NobodyHome" })).ExpectAsync(HttpStatusCode.Created);
        await (await grid1.PostJsonAsync($"/api/households/{ids[2]}/visits", new { outcome = "SomeoneReturned", occupants = 2, note = "儿子从武汉返回" })).ExpectAsync(HttpStatusCode.Created);
        await (await grid1.PostJsonAsync($"/api/households/{ids[3]}/visits", new { outcome = "AllWell", visitedAt = DateTimeOffset.UtcNow.AddDays(-10) })).ExpectAsync(HttpStatusCode.Created);

        var coverage = await grid1.GetJsonAsync("/api/coverage?days=7");
        var row = coverage["items"]!.AsArray().Single(x => x!["compound"]!.GetValue<string>() == "技师学院家属院")!;
        Assert.Equal(4, row["households"]!.GetValue<int>());
        Assert.Equal(3, row["screened"]!.GetValue<int>());
        Assert.Equal(0.75, row["rate"]!.GetValue<double>());
        // And the leader's page shows it.
        var page = await (await (await app.As("leader")).GetAsync("/")).Content.ReadAsStringAsync();
        Assert.Contains("技师学院家属院", page);
        Assert.Contains("75.0%", page);

        await (await grid1.PostJsonAsync($"/api/households/{ids[0]}/visits", new { outcome = "Maybe" })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await grid1.PostJsonAsync($"/api/households/{ids[0]}/visits", new { outcome = "AllWell", visitedAt = DateTimeOffset.UtcNow.AddDays(2) })).ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task TraceBuilding_TurnsTheCasesBuildingResidentsIntoCloseContacts()
    {
        var compound = await Demo.AreaAsync(app, "春天大道");
        var building = await app.WithDbAsync(db => db.Areas.FirstAsync(a => a.ParentId == compound.Id && a.Name == "5号楼"));
        var grid1 = await app.As("grid1");
        async Task<string> HouseholdAsync(string room)
        {
            var r = await grid1.PostJsonAsync("/api/households", new { compoundId = compound.Id, buildingId = building.Id, unit = "1", room });
            return (await r.JsonAsync())["id"]!.GetValue<string>();
        }
        var caseHome = await HouseholdAsync("501");
        var neighbour = await HouseholdAsync("502");
        var caseId = RegisterPersonTests.NewIdNumber();
        var n1 = RegisterPersonTests.NewIdNumber();
        var n2 = RegisterPersonTests.NewIdNumber(male: false);
        await grid1.PostJsonAsync($"/api/households/{caseHome}/residents", new { name = "病例甲", relation = "户主", gender = "Male", idNumber = caseId, type = "Resident" });
        await grid1.PostJsonAsync($"/api/households/{neighbour}/residents", new { name = "邻居乙", relation = "户主", gender = "Male", idNumber = n1, phone = "13711112222", type = "Resident" });
        await grid1.PostJsonAsync($"/api/households/{neighbour}/residents", new { name = "邻居丙", relation = "配偶", gender = "Female", idNumber = n2, type = "Resident" });
        await grid1.PostJsonAsync($"/api/households/{neighbour}/residents", new { name = "无证丁", relation = "子女", gender = "Male", type = "Resident" });

        var r = await grid1.PostJsonAsync("/api/people", new { name = "病例甲", gender = "Male", idNumber = caseId, phone = "13700009999", compoundId = compound.Id,
            householdId = caseHome, address = "春天大道5号楼1单元501", categories = new[] { "Confirmed" } });
        await r.ExpectAsync(HttpStatusCode.Created);
        var person = (await r.JsonAsync())["id"]!.GetValue<string>();

        var trace = await grid1.PostJsonAsync($"/api/people/{person}/trace-building", new { });
        await trace.ExpectAsync(HttpStatusCode.OK);
        var result = await trace.JsonAsync();
        Assert.Equal(2, result["created"]!.GetValue<int>());
        Assert.Equal(1, result["withoutIdNumber"]!.GetValue<int>());

        var graph = await grid1.GetJsonAsync($"/api/people/{person}/contacts");
        var names = graph["nodes"]!.AsArray().Select(n => n!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("邻居乙", names);
        Assert.Contains("邻居丙", names);
        Assert.Equal(2, graph["edges"]!.AsArray().Count);
        var contacts = await grid1.GetJsonAsync("/api/people?category=CloseContact&q=邻居");
        Assert.Equal(2, contacts["total"]!.GetValue<int>());

        // Transfer to hospital is recorded on the case.
        var t = await grid1.PostJsonAsync($"/api/people/{person}/transfer", new { to = "宝鸡市中心医院", by = "120 急救车" });
        await t.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Transferred", (await t.JsonAsync())["status"]!.GetValue<string>());
    }
}
