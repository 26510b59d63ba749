using EpiGrid.Features.Demo;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using EpiGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EpiGrid.Tests.OrgTree;

public sealed class DemoSeedTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static readonly string[] Codes =
    [
        "610303002000", "610303002002", "610303002003", "610303002004", "610303002006", "610303002008", "610303002012",
        "610303002013", "610303002200", "610303002201", "610303002202", "610303002203", "610303002204",
    ];

    [Fact]
    public async Task DemoOffice_HasTheThirteenDivisionCodes_TwoCompoundsAndAGateInEveryCommunity()
    {
        await app.WithDbAsync(async db =>
        {
            var areas = await db.Areas.AsNoTracking().ToListAsync();
            Assert.All(Codes, c => Assert.Contains(areas, a => a.Code == c));
            Assert.Equal("西关街道", areas.Single(a => a.Code == "610303002000").Name);
            Assert.Equal("西关社区", areas.Single(a => a.Code == "610303002008").Name);
            Assert.Equal(AreaKind.Village, areas.Single(a => a.Code == "610303002204").Kind);
            var gates = await db.Gates.AsNoTracking().ToListAsync();
            Assert.True(gates.Count >= 24, $"{gates.Count} gates");
            foreach (var community in areas.Where(a => Area.IsCommunityLevel(a.Kind)))
            {
                var compounds = areas.Where(a => a.ParentId == community.Id && a.Kind == AreaKind.Compound).ToList();
                Assert.True(compounds.Count >= 2, $"{community.Name} has {compounds.Count} compounds");
                Assert.All(compounds, c => Assert.Contains(gates, g => g.CompoundId == c.Id));
            }
            Assert.Contains(areas, a => a.Name == "叉车厂小区");
            Assert.Contains(areas, a => a.Name == "春天大道");
            Assert.Contains(areas, a => a.Kind == AreaKind.Building);
            Assert.Equal(["安保组", "宣传组", "督办组", "防控组"], (await db.Set<EpiGrid.Features.Command.WorkGroup>().Select(g => g.Name).ToListAsync()).Order());
        });
    }

    [Fact]
    public async Task Seed_RunAgainOnTheSameDatabase_ChangesNothing()
    {
        _ = app.Services;
        async Task<(int, int, int, int, int)> CountAsync() => await app.WithDbAsync(async db =>
            (await db.Areas.CountAsync(), await db.Gates.CountAsync(), await db.Users.CountAsync(), await db.Grids.CountAsync(),
             await db.Set<EpiGrid.Features.Command.Responsibility>().CountAsync()));
        var before = await CountAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await Seeding.RunAsync(scope.ServiceProvider, NullLogger.Instance);
        }
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Matrix_HasExactlyTheDeliberateGap_AndTheLeadersPageShowsIt()
    {
        var leader = await app.As("leader");
        var gaps = (await leader.GetJsonAsync("/api/command/gaps"))["items"]!.AsArray();
        Assert.Single(gaps);
        Assert.Equal(DemoOffice.GapCompound, gaps[0]!["compoundName"]!.GetValue<string>());
        var page = await (await leader.GetAsync("/")).Content.ReadAsStringAsync();
        Assert.Contains("1 个小区无人包抓", page);
        Assert.Contains(DemoOffice.GapCompound, page);
    }

    [Fact]
    public async Task DemoAccounts_AreScopedAsTheIssueSays()
    {
        await app.WithDbAsync(async db =>
        {
            async Task<List<string>> ScopeOf(string user) => await db.UserScopes.Where(s => db.Users.Any(u => u.Id == s.UserId && u.UserName == user))
                .Join(db.Areas, s => s.AreaId, a => a.Id, (s, a) => a.Name).ToListAsync();
            Assert.Equal(["西关社区"], await ScopeOf("grid1"));
            Assert.Equal(["叉车厂社区"], await ScopeOf("grid2"));
            foreach (var u in new[] { "leader", "supervisor", "stats", "hotline", "publicity" }) Assert.Equal(["西关街道"], await ScopeOf(u));
            var gate1Gates = await db.UserGates.Where(s => db.Users.Any(u => u.Id == s.UserId && u.UserName == "gate1"))
                .Join(db.Gates, s => s.GateId, g => g.Id, (s, g) => g.CompoundId).Distinct().ToListAsync();
            var spring = await db.Areas.Where(a => a.Name == "春天大道").Select(a => a.Id).SingleAsync();
            Assert.Equal([spring], gate1Gates);
            // grid1 is the grid worker of every compound of 西关社区.
            var grid1 = await db.Users.Where(u => u.UserName == "grid1").Select(u => u.Id).SingleAsync();
            var xiguan = await db.Areas.Where(a => a.Name == "西关社区").Select(a => a.Id).SingleAsync();
            var compounds = await db.Areas.Where(a => a.ParentId == xiguan && a.Kind == AreaKind.Compound).ToListAsync();
            Assert.All(compounds, c => Assert.True(db.Grids.Any(g => g.Id == c.GridId && g.WorkerId == grid1), c.Name));
        });
    }
}
