using System.Net;
using System.Text.Json.Nodes;
using EpiGrid.Features.Publicity;
using EpiGrid.Tests.FieldWork2;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Publicity;

/// <summary>Publicity: vehicles and runs, fixed points, materials, postings and the coverage of compounds.</summary>
public sealed class PublicityApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static async Task<JsonNode> CreatedAsync(HttpResponseMessage r) => JsonNode.Parse(await r.ExpectAsync(HttpStatusCode.Created))!;
    private static string Id(JsonNode n) => n["id"]!.GetValue<string>();

    private DateTimeOffset TodayAt(int hour)
    {
        var today = Inspections.FieldWorkData.Today(app);
        return new DateTimeOffset(today.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.FromHours(8));
    }

    [Fact]
    public async Task EachIsCreatedThroughTheApi_AndReadsBack()
    {
        var pub = await app.As("publicity");
        var office = await Demo.AreaAsync(app, "西关街道");
        var vehicle = await CreatedAsync(await pub.PostJsonAsync("/api/publicity/vehicles", new { name = "宣传车 3 号", plate = "陕C·C1234", route = new[] { "宝福路、新福路" }, dailyFrom = "08:00", dailyTo = "21:00", areaId = office.Id }));
        Assert.Equal(["宝福路", "新福路"], vehicle["route"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal("08:00", vehicle["dailyFrom"]!.GetValue<string>());
        Assert.Equal("21:00", vehicle["dailyTo"]!.GetValue<string>());

        // A run in the past hours of today (the real clock): an hour within the vehicle's day.
        var now = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        var end = now.Hour >= 9 && now.Hour < 21 ? now.AddMinutes(-1) : now.Hour >= 21 ? new DateTimeOffset(now.Date.AddHours(20), now.Offset) : new DateTimeOffset(now.Date.AddDays(-1).AddHours(20), now.Offset);
        var run = await CreatedAsync(await pub.PostJsonAsync("/api/publicity/runs", new { vehicleId = Id(vehicle), startedAt = end.AddHours(-1), endedAt = end, content = "防控指挥部3号令" }));
        Assert.Equal(["宝福路", "新福路"], run["route"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Contains((await pub.GetJsonAsync($"/api/publicity/runs?vehicleId={Id(vehicle)}"))["items"]!.AsArray(), r => Id(r!) == Id(run));

        var compound = await Demo.AreaAsync(app, "西关小区");
        var point = await CreatedAsync(await pub.PostJsonAsync("/api/publicity/points", new { name = "西关小区北门宣传栏", areaId = compound.Id, location = "北门", shows = "展板、防控指挥部令" }));
        Assert.Equal("西关小区", point["areaName"]!.GetValue<string>());

        var material = await CreatedAsync(await pub.PostJsonAsync("/api/publicity/materials", new { kind = "Leaflet", title = "居家隔离明白纸", issuer = "西关街道办事处" }));
        Assert.Equal("Leaflet", material["kind"]!.GetValue<string>());
        var posting = await CreatedAsync(await pub.PostJsonAsync("/api/publicity/postings", new { materialId = Id(material), pointId = Id(point), method = "Posted", quantity = 5 }));
        Assert.Equal(compound.Id.ToString(), posting["areaId"]!.GetValue<string>());
        Assert.Equal("西关小区北门宣传栏", posting["pointName"]!.GetValue<string>());
        Assert.Contains("周涛", posting["doneBy"]!.GetValue<string>());
        var handed = await CreatedAsync(await pub.PostJsonAsync("/api/publicity/postings", new { materialId = Id(material), areaId = (await Demo.AreaAsync(app, "春天大道")).Id, method = "HandedOut", quantity = 120, place = "各单元" }));
        Assert.Equal("HandedOut", handed["method"]!.GetValue<string>());

        // Coverage: both compounds have the leaflet now, 技师学院家属院 does not.
        var coverage = await pub.GetJsonAsync($"/api/publicity/coverage?materialId={Id(material)}");
        JsonNode Row(string name) => coverage["rows"]!.AsArray().Single(r => r!["compoundName"]!.GetValue<string>() == name)!;
        Assert.Empty(Row("西关小区")["missing"]!.AsArray());
        Assert.Equal(5, Row("西关小区")["cells"]![0]!["quantity"]!.GetValue<int>());
        Assert.Equal(120, Row("春天大道")["cells"]![0]!["quantity"]!.GetValue<int>());
        Assert.Single(Row("技师学院家属院")["missing"]!.AsArray());

        var export = await pub.GetAsync("/api/publicity/postings/export.xlsx");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal(EpiGrid.Platform.Privacy.Exporter.ContentType, export.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TheDemoCoverage_ShowsACompoundWithoutTheLetterToPartyMembers()
    {
        var pub = await app.As("publicity");
        var materials = (await pub.GetJsonAsync("/api/publicity/materials"))["items"]!.AsArray();
        Assert.Equal(7, materials.Count(m => m!["title"]!.GetValue<string>() is "疫情防控知识海报" or "《致共产党员的一封信》" || m["title"]!.GetValue<string>().StartsWith("防控指挥部", StringComparison.Ordinal)));
        var letter = materials.Single(m => m!["title"]!.GetValue<string>() == "《致共产党员的一封信》")!;
        var coverage = await pub.GetJsonAsync($"/api/publicity/coverage?materialId={Id(letter)}&missingOnly=true");
        var missing = coverage["rows"]!.AsArray().Select(r => r!["compoundName"]!.GetValue<string>()).ToList();
        Assert.Contains("技师学院家属院", missing);
        Assert.DoesNotContain("春天大道", missing);
        Assert.Equal(7, (await pub.GetJsonAsync("/api/publicity/points"))["items"]!.AsArray().Count(p => p!["name"]!.GetValue<string>() is not "测试宣传点" && !p["name"]!.GetValue<string>().Contains("北门宣传栏")));
        var vehicles = (await pub.GetJsonAsync("/api/publicity/vehicles"))["items"]!.AsArray();
        Assert.Contains(vehicles, v => v!["route"]!.AsArray().Any(r => r!.GetValue<string>() == "宝福路") && v["dailyFrom"]!.GetValue<string>() == "08:00" && v["dailyTo"]!.GetValue<string>() == "21:00");
        Assert.Contains(vehicles, v => v!["route"]!.AsArray().Any(r => r!.GetValue<string>() == "新福路"));
    }

    [Fact]
    public async Task InvalidInput_Gives400_AndStoresNothing()
    {
        var pub = await app.As("publicity");
        var office = await Demo.AreaAsync(app, "西关街道");
        var vehicles = await FieldWork2Data.CountAsync<PublicityVehicle>(app);
        var runs = await FieldWork2Data.CountAsync<VehicleRun>(app);
        var postings = await FieldWork2Data.CountAsync<MaterialPosting>(app);
        var materials = await FieldWork2Data.CountAsync<PublicityMaterial>(app);
        await (await pub.PostJsonAsync("/api/publicity/vehicles", new { name = "无路线", areaId = office.Id })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await pub.PostJsonAsync("/api/publicity/vehicles", new { name = "错时间", route = new[] { "宝福路" }, dailyFrom = "21:00", dailyTo = "08:00", areaId = office.Id })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await pub.PostJsonAsync("/api/publicity/vehicles", new { name = "格式", route = new[] { "宝福路" }, dailyFrom = "8点", areaId = office.Id })).ExpectAsync(HttpStatusCode.BadRequest);
        var vehicle = (await pub.GetJsonAsync("/api/publicity/vehicles"))["items"]![0]!;
        // A run at midnight is outside the vehicle's 08:00–21:00.
        var yesterday = Inspections.FieldWorkData.Today(app).AddDays(-1);
        var midnight = new DateTimeOffset(yesterday.ToDateTime(new TimeOnly(23, 0)), TimeSpan.FromHours(8));
        var body = await (await pub.PostJsonAsync("/api/publicity/runs", new { vehicleId = Id(vehicle), startedAt = midnight, endedAt = midnight.AddMinutes(50) })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("08:00", body);
        await (await pub.PostJsonAsync("/api/publicity/materials", new { kind = "Poster" })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await pub.PostJsonAsync("/api/publicity/materials", new { kind = "Letter", title = "《致共产党员的一封信》" })).ExpectAsync(HttpStatusCode.BadRequest); // the same title again
        var material = (await pub.GetJsonAsync("/api/publicity/materials"))["items"]![0]!;
        var compound = await Demo.AreaAsync(app, "春天大道");
        await (await pub.PostJsonAsync("/api/publicity/postings", new { materialId = Id(material), areaId = compound.Id, method = "Posted", quantity = 0 })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await pub.PostJsonAsync("/api/publicity/postings", new { materialId = Id(material), areaId = compound.Id, quantity = 3 })).ExpectAsync(HttpStatusCode.BadRequest); // no method
        await (await pub.PostJsonAsync("/api/publicity/postings", new { materialId = Id(material), areaId = compound.Id, method = "Posted", quantity = 3, date = "2030-01-01" })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(vehicles, await FieldWork2Data.CountAsync<PublicityVehicle>(app));
        Assert.Equal(runs, await FieldWork2Data.CountAsync<VehicleRun>(app));
        Assert.Equal(postings, await FieldWork2Data.CountAsync<MaterialPosting>(app));
        Assert.Equal(materials, await FieldWork2Data.CountAsync<PublicityMaterial>(app));
    }

    [Fact]
    public async Task OutsideTheCallersScope_IsNotFound()
    {
        await Endpoints.EnsureVolunteerAsync(app); // creates leaderx, a leader of 西关社区
        var set = await FieldWork2Data.InCompoundAsync(app, "叉车厂小区");
        var leaderx = await app.As("leaderx");
        await (await leaderx.GetAsync($"/api/publicity/vehicles/{set.VehicleId}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await leaderx.GetAsync($"/api/publicity/runs/{set.RunId}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await leaderx.GetAsync($"/api/publicity/points/{set.PointId}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await leaderx.GetAsync($"/api/publicity/postings/{set.PostingId}")).ExpectAsync(HttpStatusCode.NotFound);
        var put = await leaderx.PutAsync($"/api/publicity/points/{set.PointId}", System.Net.Http.Json.JsonContent.Create(new { name = "改名", areaId = set.PointId, shows = "x" }));
        await put.ExpectAsync(HttpStatusCode.NotFound);
        // Nor can a posting be recorded at a point out of scope.
        var material = (await leaderx.GetJsonAsync("/api/publicity/materials"))["items"]![0]!;
        await (await leaderx.PostJsonAsync("/api/publicity/postings", new { materialId = Id(material), pointId = set.PointId, method = "Posted", quantity = 1 })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.DoesNotContain((await leaderx.GetJsonAsync("/api/publicity/coverage"))["rows"]!.AsArray(), r => r!["compoundName"]!.GetValue<string>() == "叉车厂小区");
        // The leader of the subdistrict sees them.
        Assert.Equal(HttpStatusCode.OK, (await (await app.As("leader")).GetAsync($"/api/publicity/points/{set.PointId}")).StatusCode);
    }
}
