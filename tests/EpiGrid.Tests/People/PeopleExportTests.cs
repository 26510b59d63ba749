using System.Net;
using EpiGrid.Features.People;
using EpiGrid.Platform.Audit;
using EpiGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace EpiGrid.Tests.People;

/// <summary>The people export (streamed through Exporter to a temporary file): what the sheet holds, masking, audit, categories.</summary>
public sealed class PeopleExportTests(AppFactory app) : IClassFixture<AppFactory>
{
    private async Task<(Guid Id, string IdNumber)> RegisterAsync(string name, string compound, params string[] categories)
    {
        var grid1 = await app.As("grid1");
        var idNumber = RegisterPersonTests.NewIdNumber();
        var r = await grid1.PostJsonAsync("/api/people", new
        {
            name, gender = "Male", idNumber, phone = "13612345678", compoundId = (await Demo.AreaAsync(app, compound)).Id,
            address = $"{compound}3号楼2单元501", categories,
        });
        await r.ExpectAsync(HttpStatusCode.Created);
        return (Guid.Parse((await r.JsonAsync())["id"]!.GetValue<string>()), idNumber);
    }

    private static async Task<List<string[]>> SheetAsync(HttpResponseMessage r)
    {
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", r.Content.Headers.ContentType?.MediaType);
        var bytes = await r.Content.ReadAsByteArrayAsync();
        return [.. MiniExcel.Query(new MemoryStream(bytes)).Cast<IDictionary<string, object?>>().Select(d => d.Values.Select(v => v?.ToString() ?? "").ToArray())];
    }

    [Fact]
    public async Task Export_ListsTheMatchingPeople_WithCategoriesMaskedNumbersWatermarkAndAudit()
    {
        var (_, idA) = await RegisterAsync("导出甲", "春天大道", "Returnee", "HomeObservation");
        var (_, idB) = await RegisterAsync("导出乙", "春天大道", "CloseContact");

        var supervisor = await app.As("supervisor");
        var rows = await SheetAsync(await supervisor.GetAsync("/api/people/export.xlsx?q=" + Uri.EscapeDataString("导出")));
        Assert.Contains("不得外传", rows[0][0]);
        Assert.Contains("关键字=导出", rows[0][0]);
        Assert.Equal(["姓名", "性别", "证件号码", "联系电话", "小区", "现住址", "人员类别", "从何地返回", "返回日期", "状态"], rows[1]);
        Assert.Equal(["导出乙", "导出甲"], rows.Skip(2).Select(x => x[0]).Order(StringComparer.Ordinal));
        var a = rows.Single(x => x[0] == "导出甲");
        Assert.Equal(idA[..6] + "********" + idA[^4..], a[2]);
        Assert.Equal("136****5678", a[3]);
        Assert.Equal("春天大道", a[4]);
        Assert.Equal("湖北返回、居家医学观察", a[6]);
        Assert.Equal("密切接触者", rows.Single(x => x[0] == "导出乙")[6]);
        Assert.DoesNotContain(rows.SelectMany(x => x), v => v.Contains(idA) || v.Contains(idB) || v.Contains("13612345678"));

        var audit = await app.WithDbAsync(db => db.Set<AuditEntry>().Where(e => e.Action == "Export" && e.UserName == "supervisor").ToListAsync());
        Assert.Contains(audit, e => e.Details.Contains("\"rows\":2"));

        // A role that may reveal gets the numbers in full.
        var leader = await app.As("leader");
        rows = await SheetAsync(await leader.GetAsync("/api/people/export.xlsx?q=" + Uri.EscapeDataString("导出甲")));
        Assert.Equal(idA, rows[2][2]);
        Assert.Equal("13612345678", rows[2][3]);
    }

    [Fact]
    public async Task Export_ByCategory_FollowsCategoriesAddedAndRemovedLater()
    {
        var (id, _) = await RegisterAsync("导类丙", "春天大道", "FloatingPopulation");
        var supervisor = await app.As("supervisor");
        var url = "/api/people/export.xlsx?q=" + Uri.EscapeDataString("导类") + "&category=Fever";
        Assert.Equal(2, (await SheetAsync(await supervisor.GetAsync(url))).Count); // watermark and headings only

        // Categories written later (as the gate and observation do) show in the sheet and its filter.
        await app.WithDbAsync(async db =>
        {
            db.Add(new PersonCategoryRow { PersonId = id, Category = PersonCategory.Fever });
            await db.SaveChangesAsync();
        });
        var rows = await SheetAsync(await supervisor.GetAsync(url));
        Assert.Equal("导类丙", rows[2][0]);
        Assert.Equal("发热、流动人口", rows[2][6]);

        await app.WithDbAsync(db => db.Set<PersonCategoryRow>().Where(c => c.PersonId == id && c.Category == PersonCategory.FloatingPopulation).ExecuteDeleteAsync());
        rows = await SheetAsync(await supervisor.GetAsync(url));
        Assert.Equal("发热", rows[2][6]);
        Assert.Equal(PersonCategoryFlags.Bit(PersonCategory.Fever),
            await app.WithDbAsync(db => db.Set<Person>().IgnoreQueryFilters().Where(p => p.Id == id).Select(p => p.CategoryFlags).SingleAsync()));
    }
}
