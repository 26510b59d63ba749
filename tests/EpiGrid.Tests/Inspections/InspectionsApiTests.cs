using System.Net;
using EpiGrid.Features.Inspections;
using EpiGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Tests.Inspections;

public sealed class InspectionsApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static object Checklist(DateOnly date, string wild = "Pass", string fever = "NotApplicable", string masks = "Pass", string disinfection = "Pass",
        string? requirement = null, DateOnly? deadline = null, string? findings = null) => new
    {
        date = date.ToString("yyyy-MM-dd"), inspectors = "王芳、李强", wildAnimals = wild, feverMedicineRegister = fever, staffMasks = masks,
        disinfection, other = "NotApplicable", findings, rectificationRequirement = requirement,
        rectificationDeadline = deadline?.ToString("yyyy-MM-dd"),
    };

    private static async Task<System.Text.Json.Nodes.JsonNode> CreatedAsync(HttpResponseMessage r) =>
        System.Text.Json.Nodes.JsonNode.Parse(await r.ExpectAsync(HttpStatusCode.Created))!;

    private async Task<Guid> NewPremisesAsync(HttpClient client, string compound = "春天大道", string kind = "Market")
    {
        var area = await Demo.AreaAsync(app, compound);
        var r = await client.PostJsonAsync("/api/premises", new { kind, name = "西关综合市场" + Guid.NewGuid().ToString("N")[..6], address = "宝鸡市金台区西关街", licence = "92610303MA6X0001", compoundId = area.Id });
        var body = await r.ExpectAsync(HttpStatusCode.Created);
        return Guid.Parse(System.Text.Json.Nodes.JsonNode.Parse(body)!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task GridWorker_RegistersPremises_RecordsAFailedInspectionWithAnOrder_AndTheReinspectionClosesIt()
    {
        var grid1 = await app.As("grid1");
        var today = FieldWorkData.Today(app);
        var id = await NewPremisesAsync(grid1);

        var list = await grid1.GetJsonAsync("/api/premises?pageSize=200");
        Assert.Contains(list["items"]!.AsArray(), p => p!["id"]!.GetValue<string>() == id.ToString());
        Assert.True(list["total"]!.GetValue<int>() >= 1);

        // Wild animals found: failed, a rectification order with a deadline.
        var r = await grid1.PostJsonAsync($"/api/premises/{id}/inspections",
            Checklist(today, wild: "Fail", requirement: "立即停止活禽和野生动物交易，清理笼具并消毒", deadline: today.AddDays(3), findings: "东区摊位发现待售野兔两只"));
        var first = await CreatedAsync(r);
        Assert.False(first["passed"]!.GetValue<bool>());
        Assert.Equal("Fail", first["wildAnimals"]!.GetValue<string>());
        Assert.Equal(["wildAnimals"], first["failedItems"]!.AsArray().Select(x => x!.GetValue<string>()));
        var order = first["rectification"]!;
        Assert.Equal("Open", order["status"]!.GetValue<string>());
        Assert.Equal(today.AddDays(3).ToString("yyyy-MM-dd"), order["deadline"]!.GetValue<string>());
        var orderId = order["id"]!.GetValue<string>();

        var premises = await grid1.GetJsonAsync($"/api/premises/{id}");
        Assert.Equal(orderId, premises["openRectificationId"]!.GetValue<string>());
        Assert.Equal(1, premises["failedInspections"]!.GetValue<int>());
        Assert.False(premises["flagged"]!.GetValue<bool>());
        var open = await grid1.GetJsonAsync($"/api/rectifications?status=Open&premisesId={id}");
        Assert.Equal(1, open["total"]!.GetValue<int>());

        // The re-inspection passes and closes the order.
        r = await grid1.PostJsonAsync($"/api/premises/{id}/inspections", Checklist(today));
        var second = await CreatedAsync(r);
        Assert.True(second["passed"]!.GetValue<bool>());
        Assert.Equal(orderId, second["reinspectionOfId"]!.GetValue<string>());
        var closed = await grid1.GetJsonAsync($"/api/rectifications/{orderId}");
        Assert.Equal("Rectified", closed["status"]!.GetValue<string>());
        Assert.Equal(second["id"]!.GetValue<string>(), closed["closedByInspectionId"]!.GetValue<string>());
        premises = await grid1.GetJsonAsync($"/api/premises/{id}");
        Assert.Null(premises["openRectificationId"]);
        Assert.Equal(2, premises["inspections"]!.GetValue<int>());
        var history = await grid1.GetJsonAsync($"/api/premises/{id}/inspections");
        Assert.Equal(2, history["total"]!.GetValue<int>());
        // Audited automatically.
        Assert.True(await app.WithDbAsync(db => db.Set<EpiGrid.Platform.Audit.AuditEntry>().AnyAsync(a => a.EntityId == id.ToString())));
    }

    [Fact]
    public async Task InvalidInput_Is400WithTheFields_AndNothingIsStored()
    {
        var grid1 = await app.As("grid1");
        var today = FieldWorkData.Today(app);
        async Task<(int, int, int)> CountAsync() => await app.WithDbAsync(async db =>
            (await db.Set<Premises>().CountAsync(), await db.Set<Inspection>().CountAsync(), await db.Set<Rectification>().CountAsync()));
        var id = await NewPremisesAsync(grid1);
        var before = await CountAsync();

        var body = await (await grid1.PostJsonAsync("/api/premises", new { name = "", licence = "a\u0007b" })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("\"kind\"", body);
        Assert.Contains("\"name\"", body);
        Assert.Contains("\"compoundId\"", body);
        Assert.Contains("\"licence\"", body);
        // A compound of another community is not one grid1 can register in.
        var other = await Demo.AreaAsync(app, "叉车厂小区");
        body = await (await grid1.PostJsonAsync("/api/premises", new { kind = "Pharmacy", name = "百姓大药房", compoundId = other.Id })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("\"compoundId\"", body);

        // A failed item without an order; a date in the future; a missing answer.
        body = await (await grid1.PostJsonAsync($"/api/premises/{id}/inspections", Checklist(today, masks: "Fail"))).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("\"rectificationDeadline\"", body);
        Assert.Contains("\"rectificationRequirement\"", body);
        body = await (await grid1.PostJsonAsync($"/api/premises/{id}/inspections", Checklist(today.AddDays(1)))).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("\"date\"", body);
        body = await (await grid1.PostJsonAsync($"/api/premises/{id}/inspections", new { date = today.ToString("yyyy-MM-dd"), inspectors = "王芳" })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("\"wildAnimals\"", body);
        body = await (await grid1.PostJsonAsync($"/api/premises/{id}/inspections",
            Checklist(today, masks: "Fail", requirement: "佩戴口罩", deadline: today.AddDays(-1), findings: "店员未戴口罩"))).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("\"rectificationDeadline\"", body);
        // An order on a clean inspection is refused too.
        body = await (await grid1.PostJsonAsync($"/api/premises/{id}/inspections", Checklist(today, requirement: "无", deadline: today))).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("\"rectificationDeadline\"", body);
        // An unknown enum value is a 400, not a binding crash.
        await (await grid1.PostJsonAsync($"/api/premises/{id}/inspections", new { date = today.ToString("yyyy-MM-dd"), wildAnimals = "Maybe" })).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task AnotherCommunitysGridWorker_Gets404_AndDoesNotSeeItInLists()
    {
        var grid1 = await app.As("grid1");
        var grid2 = await app.As("grid2");
        var today = FieldWorkData.Today(app);
        var id = await NewPremisesAsync(grid1);
        var r = await grid1.PostJsonAsync($"/api/premises/{id}/inspections",
            Checklist(today, disinfection: "Fail", requirement: "每日两次消毒并登记", deadline: today.AddDays(2), findings: "无消毒记录"));
        var inspection = await CreatedAsync(r);
        var inspectionId = inspection["id"]!.GetValue<string>();
        var orderId = inspection["rectification"]!["id"]!.GetValue<string>();

        await (await grid2.GetAsync($"/api/premises/{id}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await grid2.GetAsync($"/api/premises/{id}/inspections")).ExpectAsync(HttpStatusCode.NotFound);
        await (await grid2.PostJsonAsync($"/api/premises/{id}/inspections", Checklist(today))).ExpectAsync(HttpStatusCode.NotFound);
        await (await grid2.PutAsync($"/api/premises/{id}", System.Net.Http.Json.JsonContent.Create(new { kind = "Market", name = "改名", compoundId = Guid.NewGuid() }))).ExpectAsync(HttpStatusCode.NotFound);
        await (await grid2.GetAsync($"/api/inspections/{inspectionId}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await grid2.GetAsync($"/api/rectifications/{orderId}")).ExpectAsync(HttpStatusCode.NotFound);
        var lists = new[] { "/api/premises?pageSize=200", "/api/inspections?pageSize=200", "/api/rectifications?pageSize=200" };
        foreach (var url in lists)
        {
            var items = (await grid2.GetJsonAsync(url))["items"]!.AsArray();
            Assert.DoesNotContain(items, x => x!["id"]!.GetValue<string>() is var v && (v == id.ToString() || v == inspectionId || v == orderId));
        }
        // The leader of the subdistrict sees it.
        var leader = await app.As("leader");
        await (await leader.GetAsync($"/api/inspections/{inspectionId}")).ExpectAsync(HttpStatusCode.OK);
        // Roles without field work: 403.
        await (await (await app.As("hotline")).GetAsync("/api/premises")).ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task PremisesThatFailsTwice_IsFlagged_InTheRecordAndTheList()
    {
        var grid1 = await app.As("grid1");
        var today = FieldWorkData.Today(app);
        var id = await NewPremisesAsync(grid1, kind: "Pharmacy");
        var fail = Checklist(today, fever: "Fail", requirement: "建立退烧止咳药品购药人实名登记", deadline: today.AddDays(1), findings: "售出退烧药未登记");
        await (await grid1.PostJsonAsync($"/api/premises/{id}/inspections", fail)).ExpectAsync(HttpStatusCode.Created);
        Assert.False((await grid1.GetJsonAsync($"/api/premises/{id}"))["flagged"]!.GetValue<bool>());
        // The re-inspection fails again: the first order is superseded by a new one, and the premises is flagged.
        var r = await grid1.PostJsonAsync($"/api/premises/{id}/inspections", fail);
        var second = await CreatedAsync(r);
        Assert.NotNull(second["reinspectionOfId"]);
        var old = await grid1.GetJsonAsync($"/api/rectifications/{second["reinspectionOfId"]!.GetValue<string>()}");
        Assert.Equal("Superseded", old["status"]!.GetValue<string>());
        Assert.Equal("Open", second["rectification"]!["status"]!.GetValue<string>());

        var p = await grid1.GetJsonAsync($"/api/premises/{id}");
        Assert.True(p["flagged"]!.GetValue<bool>());
        Assert.Equal(2, p["failedInspections"]!.GetValue<int>());
        var flagged = (await grid1.GetJsonAsync("/api/premises?flagged=true&pageSize=200"))["items"]!.AsArray();
        Assert.Contains(flagged, x => x!["id"]!.GetValue<string>() == id.ToString());
        Assert.All(flagged, x => Assert.True(x!["flagged"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task TheOpenApiDocument_DescribesFieldWork_IncludingThePhotoUpload()
    {
        var doc = await (await app.Anonymous().GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();
        foreach (var route in new[] { "/api/premises", "/api/premises/{id}/inspections", "/api/inspections/{id}/photos", "/api/inspections/{id}/photos/{photoId}",
            "/api/rectifications", "/api/disinfection/plans", "/api/disinfection/records", "/api/disinfection/today" })
        {
            Assert.Contains($"\"{route}\"", doc);
        }
        Assert.Contains("multipart/form-data", doc);
    }

    [Fact]
    public async Task Exports_AreSpreadsheets_ThroughTheExporter()
    {
        var leader = await app.As("leader");
        foreach (var url in new[] { "/api/premises/export.xlsx", "/api/inspections/export.xlsx" })
        {
            var r = await leader.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal(EpiGrid.Platform.Privacy.Exporter.ContentType, r.Content.Headers.ContentType?.MediaType);
            var bytes = await r.Content.ReadAsByteArrayAsync();
            Assert.Equal((byte)'P', bytes[0]); // a zip: PK
        }
        Assert.True(await app.WithDbAsync(db => db.Set<EpiGrid.Platform.Audit.AuditEntry>().AnyAsync(a => a.Action == "Export" && a.Entity == "检查场所")));
    }
}
