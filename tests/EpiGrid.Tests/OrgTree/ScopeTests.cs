using System.Net;
using System.Net.Http.Json;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.OrgTree;

public sealed class ScopeTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task GridWorker_Areas_HoldsOwnCommunitySubtreeAndAncestors_AndNothingOfAnother()
    {
        var grid1 = await app.As("grid1");
        var items = (await grid1.GetJsonAsync("/api/areas"))["items"]!.AsArray();
        var names = items.Select(a => a!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("西关社区", names);
        Assert.Contains("春天大道", names);
        Assert.Contains("西关小区", names);
        Assert.Contains("西关街道", names); // ancestor, for context
        Assert.Contains("金台区", names);
        Assert.DoesNotContain("叉车厂社区", names);
        Assert.DoesNotContain("叉车厂小区", names);
        Assert.DoesNotContain("福临堡社区", names);
        var codes = items.Select(a => a!["code"]!.GetValue<string>()).ToList();
        Assert.All(codes.Where(c => c.Length > 12), c => Assert.StartsWith("610303002008", c));
    }

    [Fact]
    public async Task GridWorker_DirectGetOfAnotherCommunitysCompound_Is404AsIfItDidNotExist()
    {
        var grid1 = await app.As("grid1");
        var other = await Demo.AreaAsync(app, "叉车厂小区");
        var own = await Demo.AreaAsync(app, "春天大道");
        await (await grid1.GetAsync($"/api/areas/{other.Id}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await grid1.GetAsync($"/api/areas/{Guid.NewGuid()}")).ExpectAsync(HttpStatusCode.NotFound);
        var mine = await grid1.GetJsonAsync($"/api/areas/{own.Id}");
        Assert.Equal("Compound", mine["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task GateKeeper_SeesOnlyTheGatesTheyKeep()
    {
        var gate1 = await app.As("gate1");
        var gates = (await gate1.GetJsonAsync("/api/gates"))["items"]!.AsArray();
        var names = gates.Select(g => g!["name"]!.GetValue<string>()).OrderBy(n => n).ToList();
        Assert.Equal(["春天大道东门", "春天大道西门"], names);
        Assert.All(gates, g => Assert.Equal("Open", g!["status"]!.GetValue<string>()));
        var other = await Demo.GateAsync(app, "西关小区正门");
        await (await gate1.GetAsync($"/api/gates/{other.Id}")).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Leader_SeesTheWholeSubdistrict()
    {
        var leader = await app.As("leader");
        var gates = await leader.GetJsonAsync("/api/gates");
        Assert.True(gates["total"]!.GetValue<int>() >= 24);
        var areas = (await leader.GetJsonAsync("/api/areas"))["items"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("叉车厂小区", areas);
        Assert.Contains("新春村二组", areas);
    }

    [Fact]
    public async Task ClosedManagement_ShowsTheCompoundsGatesAsClosed()
    {
        var admin = await app.As("admin");
        var compound = await Demo.AreaAsync(app, "西关小区");
        var r = await admin.PutAsJsonAsync($"/api/areas/{compound.Id}", new { code = compound.Code, name = compound.Name, closedManagement = true, gridId = compound.GridId });
        await r.ExpectAsync(HttpStatusCode.OK);
        var leader = await app.As("leader");
        var gates = (await leader.GetJsonAsync($"/api/gates?compoundId={compound.Id}"))["items"]!.AsArray();
        Assert.NotEmpty(gates);
        Assert.All(gates, g => Assert.Equal("Closed", g!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Admin_CreatesACompoundUnderACommunity_AndABadKindIsRefusedWithNothingStored()
    {
        var admin = await app.As("admin");
        var community = await Demo.AreaAsync(app, "新春村");
        var r = await admin.PostJsonAsync("/api/areas", new { code = "610303002204009", name = "新春村三组", kind = "Compound", parentId = community.Id });
        await r.ExpectAsync(HttpStatusCode.Created);
        var bad = await admin.PostJsonAsync("/api/areas", new { code = "610303002204010", name = "错层", kind = "Subdistrict", parentId = community.Id });
        var body = await bad.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("kind", body);
        Assert.False(await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Areas, a => a.Code == "610303002204010")));
    }
}
