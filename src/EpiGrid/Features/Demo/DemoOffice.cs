using EpiGrid.Data;
using EpiGrid.Features.Command;
using EpiGrid.Features.Disinfection;
using EpiGrid.Features.Inspections;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using Microsoft.AspNetCore.Identity;

namespace EpiGrid.Features.Demo;

/// <summary>
/// The Xiguan demo office (西关街道, 宝鸡市金台区): its twelve communities and villages with their statistical codes,
/// two or three compounds each with their gates, buildings for some, grids, the four work groups,
/// a responsibility matrix with one deliberate gap (新春村二组), and the demo accounts.
/// </summary>
public static class DemoOffice
{
    public const string Password = "Demo#2020";

    public sealed record Account(string UserName, string DisplayName, string[] Roles, string? Scope, string? Phone);

    /// <summary>Scope: a community's name, "gates" (gate1's compound), or null for the whole subdistrict (or none, for admin and auditor).</summary>
    public static readonly Account[] Accounts =
    [
        new("admin", "系统管理员", [Platform.Auth.Roles.Admin], null, null),
        new("leader", "张志强（党工委书记）", [Platform.Auth.Roles.Leader], null, "13909170001"),
        new("supervisor", "刘敏（督办组）", [Platform.Auth.Roles.Supervisor], null, "13909170002"),
        new("grid1", "王芳（西关社区网格员）", [Platform.Auth.Roles.GridWorker], "西关社区", "13609171234"),
        new("grid2", "李强（叉车厂社区网格员）", [Platform.Auth.Roles.GridWorker], "叉车厂社区", "13609175678"),
        new("stats", "赵丽（计生办统计员）", [Platform.Auth.Roles.Statistician], null, "13909170003"),
        new("gate1", "陈建国（春天大道卡口）", [Platform.Auth.Roles.GateKeeper], "gates", "13709170004"),
        new("hotline", "孙燕（投诉处置）", [Platform.Auth.Roles.ComplaintOfficer], null, "13909170005"),
        new("publicity", "周涛（宣传组）", [Platform.Auth.Roles.Publicity], null, "13909170006"),
        new("auditor", "吴静（安全审计员）", [Platform.Auth.Roles.Auditor], null, null),
        new("leader2", "李卫东（办事处主任）", [Platform.Auth.Roles.Leader], null, "13909170007"),
        new("cadre1", "马建华（包抓干部）", [Platform.Auth.Roles.GridWorker], "福临堡社区", "13909170011"),
        new("cadre2", "杨帆（包抓干部）", [Platform.Auth.Roles.GridWorker], "新福路东社区", "13909170012"),
        new("cadre3", "郭丽娟（包抓干部）", [Platform.Auth.Roles.GridWorker], "罗家塄村", "13909170013"),
        new("volunteer", "李娜（西关社区志愿者）", [Platform.Auth.Roles.Volunteer], "西关社区", "13709170021"),
    ];

    // code, name, kind, compounds (name, gates, buildings)
    private static readonly (string Code, string Name, AreaKind Kind, (string Name, string[] Gates, int Buildings)[] Compounds)[] Communities =
    [
        ("610303002002", "福临堡社区", AreaKind.Community, [("福临佳苑", ["东门", "北门"], 0), ("福临堡小区", ["南门"], 0)]),
        ("610303002003", "叉车厂社区", AreaKind.Community, [("叉车厂小区", ["正门", "西侧门"], 4), ("叉车厂家属院", ["大门"], 0)]),
        ("610303002004", "工程机械厂社区", AreaKind.Community, [("工程机械厂家属院", ["正门"], 0), ("宝机小区", ["东门"], 0)]),
        ("610303002006", "四总队社区", AreaKind.Community, [("四总队家属院", ["大门"], 0), ("金台花园", ["南门", "北门"], 0)]),
        ("610303002008", "西关社区", AreaKind.Community, [("春天大道", ["东门", "西门"], 6), ("西关小区", ["正门"], 3), ("技师学院家属院", ["大门"], 0)]),
        ("610303002012", "新福路东社区", AreaKind.Community, [("新福园", ["东门"], 0), ("东岭小区", ["北门"], 0)]),
        ("610303002013", "新福路西社区", AreaKind.Community, [("新福路西小区", ["正门"], 0), ("百翠园", ["东门", "南门"], 0)]),
        ("610303002200", "罗家塄村", AreaKind.Village, [("罗家塄一组", ["村口卡点"], 0), ("罗家塄二组", ["村口卡点"], 0)]),
        ("610303002201", "福临堡村", AreaKind.Village, [("福临堡村一组", ["村口卡点"], 0), ("福临堡村二组", ["村口卡点"], 0)]),
        ("610303002202", "太平堡村", AreaKind.Village, [("太平堡村东区", ["东卡点"], 0), ("太平堡村西区", ["西卡点"], 0)]),
        ("610303002203", "玉涧堡村", AreaKind.Village, [("玉涧堡村一组", ["村口卡点"], 0), ("玉涧堡村二组", ["村口卡点"], 0)]),
        ("610303002204", "新春村", AreaKind.Village, [("新春村一组", ["村口卡点"], 0), ("新春村二组", ["村口卡点"], 0)]),
    ];

    /// <summary>The compound the matrix deliberately leaves uncovered.</summary>
    public const string GapCompound = "新春村二组";

    public static async Task SeedAsync(IServiceProvider sp)
    {
        var db = sp.GetRequiredService<AppDbContext>();
        var users = sp.GetRequiredService<UserManager<AppUser>>();
        var kit = sp.GetRequiredService<PrivacyKit>();
        var now = sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

        var district = NewArea("610303", "金台区", AreaKind.District, null);
        var office = NewArea("610303002000", "西关街道", AreaKind.Subdistrict, district);
        office.Address = "宝鸡市金台区西关街道";
        var all = new List<Area> { district, office };
        var communities = new Dictionary<string, Area>();
        var compounds = new Dictionary<string, Area>();
        var gates = new List<Gate>();
        var column = 0;
        foreach (var (code, name, kind, list) in Communities)
        {
            var c = NewArea(code, name, kind, office);
            communities[name] = c;
            all.Add(c);
            var n = 0;
            foreach (var (compoundName, gateNames, buildings) in list)
            {
                n++;
                var compound = NewArea(code + n.ToString("000", System.Globalization.CultureInfo.InvariantCulture), compoundName, AreaKind.Compound, c);
                compound.Address = $"宝鸡市金台区{name}{compoundName}";
                compound.Outline = DemoOutline(column, n - 1);
                compounds[compoundName] = compound;
                all.Add(compound);
                for (var b = 1; b <= buildings; b++)
                {
                    all.Add(NewArea(compound.Code + b.ToString("00", System.Globalization.CultureInfo.InvariantCulture), $"{b}号楼", AreaKind.Building, compound));
                }
                gates.AddRange(gateNames.Select(g => new Gate { Name = $"{compoundName}{g}", CompoundId = compound.Id }));
            }
            column++;
        }
        db.Areas.AddRange(all);
        db.Gates.AddRange(gates);
        await db.SaveChangesAsync();

        var accounts = new Dictionary<string, AppUser>();
        foreach (var a in Accounts)
        {
            var user = new AppUser { UserName = a.UserName, DisplayName = a.DisplayName, CreatedAt = now };
            user.SetPhone(kit.Protect(ProtectedKind.Phone, a.Phone));
            // The demo's shared password predates the password rule (10+ characters, not common): set as a hash, so
            // Identity's validators, which guard every password a person chooses, are not run on it.
            user.PasswordHash = users.PasswordHasher.HashPassword(user, Password);
            var result = await users.CreateAsync(user);
            if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
            await users.AddToRolesAsync(user, a.Roles);
            accounts[a.UserName] = user;
            if (a.Scope == "gates")
            {
                var spring = compounds["春天大道"].Id;
                db.UserGates.AddRange(gates.Where(g => g.CompoundId == spring).Select(g => new UserGate { UserId = user.Id, GateId = g.Id }));
            }
            else if (a.Scope is not null)
            {
                db.UserScopes.Add(new UserScope { UserId = user.Id, AreaId = communities[a.Scope].Id });
            }
            else if (a.Roles.Any(r => r is not Platform.Auth.Roles.Admin and not Platform.Auth.Roles.Auditor))
            {
                db.UserScopes.Add(new UserScope { UserId = user.Id, AreaId = office.Id });
            }
        }

        // Grids: one per community (code: district 6 + street 3 + community 3 + grid 3), a second in 西关社区.
        var gridWorkers = new Dictionary<string, string>
        {
            ["西关社区"] = "grid1", ["叉车厂社区"] = "grid2", ["福临堡社区"] = "cadre1", ["新福路东社区"] = "cadre2", ["罗家塄村"] = "cadre3",
        };
        foreach (var (name, community) in communities)
        {
            var grid = new Grid
            {
                Code = "610303002" + community.Code[9..12] + "001",
                Name = $"{name}第一网格",
                CommunityId = community.Id,
                WorkerId = gridWorkers.TryGetValue(name, out var w) ? accounts[w].Id : null,
            };
            db.Grids.Add(grid);
            foreach (var compound in all.Where(a => a.ParentId == community.Id)) compound.GridId = grid.Id;
        }

        // The command's four work groups.
        var groups = new (string Name, string Leader, string Duties, (string Name, string Title, string? User)[] Members)[]
        {
            ("防控组", "leader", "负责辖区人员排查、居家医学观察、核查任务与健康监测的统筹，汇总疫情信息并按时上报日报。",
                [("王芳", "西关社区网格员", "grid1"), ("李强", "叉车厂社区网格员", "grid2"), ("赵丽", "计生办统计员", "stats")]),
            ("安保组", "leader2", "负责小区卡口值守的排班与督查、封闭管理小区的出入管控，配合公安做好治安维护。",
                [("陈建国", "卡口值守", "gate1"), ("马建华", "包抓干部", "cadre1")]),
            ("督办组", "supervisor", "负责对各组、各社区工作落实情况的督查督办，跟踪超时任务与投诉工单，按日通报。",
                [("刘敏", "督办组组长", "supervisor"), ("孙燕", "投诉处置", "hotline")]),
            ("宣传组", "publicity", "负责宣传车巡回播放、固定宣传点布置、张贴海报和防控指挥部令，发放《致共产党员的一封信》。",
                [("周涛", "宣传组", "publicity"), ("杨帆", "包抓干部", "cadre2")]),
        };
        var sort = 0;
        foreach (var (name, leader, duties, members) in groups)
        {
            var g = new WorkGroup { Name = name, LeaderId = accounts[leader].Id, Duties = duties, Sort = ++sort };
            db.Add(g);
            foreach (var (mName, title, user) in members)
            {
                db.Add(new WorkGroupMember { GroupId = g.Id, Name = mName, Title = title, UserId = user is null ? null : accounts[user].Id });
            }
        }

        // The responsibility matrix: a leader and a cadre per compound, with one gap left on purpose.
        var cadreOf = new Dictionary<string, string>
        {
            ["福临堡社区"] = "cadre1", ["叉车厂社区"] = "grid2", ["工程机械厂社区"] = "cadre1", ["四总队社区"] = "cadre2",
            ["西关社区"] = "grid1", ["新福路东社区"] = "cadre2", ["新福路西社区"] = "cadre2", ["罗家塄村"] = "cadre3",
            ["福临堡村"] = "cadre3", ["太平堡村"] = "cadre3", ["玉涧堡村"] = "cadre1", ["新春村"] = "cadre3",
        };
        var i = 0;
        foreach (var (name, community) in communities)
        {
            var leader = i++ % 2 == 0 ? "leader" : "leader2";
            foreach (var compound in all.Where(a => a.ParentId == community.Id))
            {
                if (compound.Name == GapCompound) continue;
                db.Add(new Responsibility { CompoundId = compound.Id, UserId = accounts[leader].Id, Role = ResponsibilityRole.Leader });
                db.Add(new Responsibility { CompoundId = compound.Id, UserId = accounts[cadreOf[name]].Id, Role = ResponsibilityRole.Cadre });
            }
        }
        // The working-day calendar of 2020 (holidays and make-up workdays), which the complaint time limits count on.
        db.AddRange(Calendar.WorkCalendar.China2020.Select(d => new Calendar.CalendarDay { Date = d.Date, Kind = d.Kind, Name = d.Name }));
        await db.SaveChangesAsync();

        await SeedFieldWorkAsync(db, sp.GetRequiredService<Platform.OfficeClock>(), communities, compounds, all);
        // The hotline's last fortnight (C2): calls falling from ~78 a day to ~5, for the statistics page.
        await DemoComplaints.SeedAsync(sp);
        await SeedFieldWork2Async(db, sp.GetRequiredService<Platform.OfficeClock>(), kit, office, communities, compounds, gates, accounts);
    }

    /// <summary>
    /// Field work II (W2): the seven fixed publicity points, two publicity vehicles (宝福路、新福路, 08:00–21:00) with
    /// yesterday's runs, the materials (posters, command orders 1–5, the letter to party members) and where they were
    /// posted — every compound of 西关社区 but 技师学院家属院 has the letter —, a few party members, cadres and
    /// volunteers, one model post, one shock team and today's shifts at 春天大道东门.
    /// </summary>
    private static async Task SeedFieldWork2Async(AppDbContext db, Platform.OfficeClock clock, PrivacyKit kit, Area office,
        Dictionary<string, Area> communities, Dictionary<string, Area> compounds, List<Gate> gates, Dictionary<string, AppUser> accounts)
    {
        var now = clock.UtcNow;
        var today = clock.Today;
        var publicity = accounts["publicity"].Id;
        DateTime Local(DateOnly d, int hour, int minute = 0) => clock.StartOfDayUtc(d).AddHours(hour).AddMinutes(minute);

        var points = new (string Name, Area Area, string Location, string Shows)[]
        {
            ("西关社区", communities["西关社区"], "西关社区服务中心门前", "防控知识展板、防控指挥部令、《致共产党员的一封信》"),
            ("宝鸡技师学院", compounds["技师学院家属院"], "宝鸡技师学院正门", "横幅、电子屏滚动播放防疫知识"),
            ("百翠园广场", compounds["百翠园"], "百翠园东门广场", "防控知识展板、宣传栏"),
            ("春天大道东门", compounds["春天大道"], "春天大道东门卡口旁宣传栏", "防控指挥部令、返乡人员登记二维码"),
            ("叉车厂文化广场", compounds["叉车厂小区"], "叉车厂小区中心广场", "展板、广播"),
            ("福临堡便民服务站", communities["福临堡社区"], "福临堡社区便民服务站", "明白纸、防控指挥部令"),
            ("新福园公告栏", compounds["新福园"], "新福园北门公告栏", "海报、防控指挥部令"),
        };
        var pointIds = new Dictionary<string, Guid>();
        foreach (var (name, area, location, shows) in points)
        {
            var p = new Publicity.PublicityPoint { Name = name, AreaId = area.Id, Location = location, Shows = shows, CreatedAt = now };
            pointIds[name] = p.Id;
            db.Add(p);
        }
        var vehicles = new[]
        {
            new Publicity.PublicityVehicle { Name = "宣传车 1 号", Plate = "陕C·A3721", Route = "宝福路、西关大街", AreaId = office.Id, CreatedAt = now },
            new Publicity.PublicityVehicle { Name = "宣传车 2 号", Plate = "陕C·B5286", Route = "新福路、金台大道", AreaId = office.Id, CreatedAt = now },
        };
        db.AddRange(vehicles);
        var yesterday = today.AddDays(-1);
        foreach (var v in vehicles)
        {
            foreach (var (from, to, content) in new[] { (8, 12, "防控指挥部3号令、防疫知识"), (14, 18, "《致居民朋友的一封信》、居家防护知识"), (19, 21, "防控指挥部4号令") })
            {
                db.Add(new Publicity.VehicleRun { VehicleId = v.Id, AreaId = v.AreaId, Date = yesterday, StartedAt = Local(yesterday, from), EndedAt = Local(yesterday, to),
                    Route = v.Route, Content = content, RecordedAt = Local(yesterday, to), RecordedById = publicity });
            }
        }
        var command = "金台区新型冠状病毒感染的肺炎疫情防控指挥部";
        var poster = new Publicity.PublicityMaterial { Kind = Publicity.MaterialKind.Poster, Title = "疫情防控知识海报", Issuer = "西关街道办事处", CreatedAt = now };
        var letter = new Publicity.PublicityMaterial { Kind = Publicity.MaterialKind.Letter, Title = "《致共产党员的一封信》", Issuer = "西关街道党工委", IssuedOn = new DateOnly(2020, 1, 28), CreatedAt = now };
        var orders = Enumerable.Range(1, 5).Select(n => new Publicity.PublicityMaterial
        {
            Kind = Publicity.MaterialKind.Order, Title = $"防控指挥部{n}号令", Issuer = command, IssuedOn = new DateOnly(2020, 1, 25).AddDays(n * 2), CreatedAt = now,
        }).ToList();
        db.Add(poster);
        db.Add(letter);
        db.AddRange(orders);
        var xiguanCompounds = new[] { "春天大道", "西关小区", "技师学院家属院" };
        foreach (var name in xiguanCompounds)
        {
            db.Add(new Publicity.MaterialPosting { MaterialId = poster.Id, AreaId = compounds[name].Id, Place = "各单元门", Method = Publicity.PostingMethod.Posted, Quantity = 12,
                Date = yesterday, DoneBy = "周涛", RecordedAt = now, RecordedById = publicity });
            foreach (var o in orders.Take(3))
            {
                db.Add(new Publicity.MaterialPosting { MaterialId = o.Id, AreaId = compounds[name].Id, Place = "小区公告栏", Method = Publicity.PostingMethod.Posted, Quantity = 2,
                    Date = yesterday, DoneBy = "周涛", RecordedAt = now, RecordedById = publicity });
            }
            // The letter reached every compound of 西关社区 but 技师学院家属院 (the coverage view shows the gap).
            if (name != "技师学院家属院")
            {
                db.Add(new Publicity.MaterialPosting { MaterialId = letter.Id, AreaId = compounds[name].Id, Method = Publicity.PostingMethod.HandedOut, Quantity = 40,
                    Date = yesterday, DoneBy = "王芳", Note = "发放到党员家中", RecordedAt = now, RecordedById = publicity });
            }
        }
        db.Add(new Publicity.MaterialPosting { MaterialId = letter.Id, AreaId = compounds["百翠园"].Id, PointId = pointIds["百翠园广场"], Method = Publicity.PostingMethod.Posted,
            Quantity = 2, Date = yesterday, DoneBy = "杨帆", RecordedAt = now, RecordedById = publicity });
        db.Add(new Publicity.MaterialPosting { MaterialId = orders[0].Id, AreaId = compounds["叉车厂小区"].Id, Place = "正门", Method = Publicity.PostingMethod.Posted,
            Quantity = 4, Date = yesterday, DoneBy = "李强", RecordedAt = now, RecordedById = publicity });

        var people = new (string Name, Duty.DutyMemberKind Kind, string Branch, string Phone, string Skills, Area Area, string? User)[]
        {
            ("张建军", Duty.DutyMemberKind.PartyMember, "西关社区党支部", "13991700101", "驾驶、卡口值守", communities["西关社区"], null),
            ("李秀兰", Duty.DutyMemberKind.PartyMember, "西关社区党支部", "13991700102", "医护（退休护士）", communities["西关社区"], null),
            ("王海涛", Duty.DutyMemberKind.PartyMember, "叉车厂社区党支部", "13991700103", "电工、搬运", communities["叉车厂社区"], null),
            ("杨帆", Duty.DutyMemberKind.Cadre, "西关街道办事处", "13909170012", "宣传、摄影", office, null),
            ("刘洋", Duty.DutyMemberKind.Volunteer, "西关社区志愿服务队", "13991700105", "物资配送", communities["西关社区"], null),
            ("李娜", Duty.DutyMemberKind.Volunteer, "西关社区志愿服务队", "13709170021", "物资配送、心理疏导", communities["西关社区"], "volunteer"),
        };
        var members = new Dictionary<string, Duty.DutyMember>();
        foreach (var (name, kind, branch, phone, skills, area, user) in people)
        {
            var m = new Duty.DutyMember { Name = name, Kind = kind, Branch = branch, Skills = skills, AreaId = area.Id, UserId = user is null ? null : accounts[user].Id, CreatedAt = now };
            m.SetPhone(kit.Protect(ProtectedKind.Phone, phone));
            members[name] = m;
            db.Add(m);
        }
        var eastGate = gates.First(g => g.Name == "春天大道东门");
        var post = new Duty.ModelPost { Name = "春天大道东门党员示范岗", AreaId = compounds["春天大道"].Id, Location = "春天大道东门卡口", GateId = eastGate.Id,
            Duties = "测温登记、劝返外来车辆、宣传防控指挥部令", CreatedAt = now };
        db.Add(post);
        db.Add(new Duty.ModelPostMember { PostId = post.Id, MemberId = members["张建军"].Id });
        db.Add(new Duty.ModelPostMember { PostId = post.Id, MemberId = members["李秀兰"].Id });
        var team = new Duty.ShockTeam { Name = "西关街道党员突击队", AreaId = office.Id, LeaderId = members["张建军"].Id, Task = "卡口增援、物资转运、入户排查", CreatedAt = now };
        db.Add(team);
        foreach (var name in new[] { "张建军", "王海涛", "刘洋", "杨帆" }) db.Add(new Duty.ShockTeamMember { TeamId = team.Id, MemberId = members[name].Id });
        var scheduler = accounts["publicity"].Id;
        db.Add(new Duty.DutyShift { MemberId = members["张建军"].Id, AreaId = eastGate.CompoundId, GateId = eastGate.Id, PostId = null, Place = eastGate.Name,
            StartsAt = Local(today, 8), EndsAt = Local(today, 16), CreatedAt = now, CreatedById = scheduler });
        db.Add(new Duty.DutyShift { MemberId = members["李秀兰"].Id, AreaId = eastGate.CompoundId, GateId = eastGate.Id, Place = eastGate.Name,
            StartsAt = Local(today, 16), EndsAt = Local(today, 22), CreatedAt = now, CreatedById = scheduler });
        db.Add(new Duty.DutyShift { MemberId = members["王海涛"].Id, AreaId = eastGate.CompoundId, GateId = eastGate.Id, Place = eastGate.Name,
            StartsAt = Local(today, 22), EndsAt = Local(today.AddDays(1), 8), CreatedAt = now, CreatedById = scheduler });
        await db.SaveChangesAsync();
    }

    /// <summary>Field work (W1): the premises the office inspects, and one disinfection plan per community (twice daily).</summary>
    private static async Task SeedFieldWorkAsync(AppDbContext db, Platform.OfficeClock clock, Dictionary<string, Area> communities, Dictionary<string, Area> compounds, List<Area> all)
    {
        var now = clock.UtcNow;
        var premises = new (PremisesKind Kind, string Name, string Compound, string Address, string Licence)[]
        {
            (PremisesKind.Market, "西关综合市场", "西关小区", "宝鸡市金台区西关街 88 号", "92610303MA6X8F0012"),
            (PremisesKind.Pharmacy, "百姓大药房西关店", "春天大道", "宝鸡市金台区春天大道 12 号商铺", "陕AA9170388"),
            (PremisesKind.FoodShop, "春天大道便民超市", "春天大道", "宝鸡市金台区春天大道 6 号楼底商", "JY16103030012345"),
            (PremisesKind.Market, "叉车厂惠民菜市场", "叉车厂小区", "宝鸡市金台区叉车厂小区南侧", "92610303MA6X8F0031"),
            (PremisesKind.Restaurant, "百翠园老马家面馆", "百翠园", "宝鸡市金台区百翠园东门", "JY26103030067890"),
        };
        foreach (var (kind, name, compound, address, licence) in premises)
        {
            db.Add(new Premises { Kind = kind, Name = name, CompoundId = compounds[compound].Id, Address = address, Licence = licence, CreatedAt = now });
        }
        foreach (var (name, community) in communities)
        {
            var places = all.Where(a => a.ParentId == community.Id && a.Kind == AreaKind.Compound).Select(a => a.Name).Concat(["垃圾站", "楼道", "电梯"]);
            db.Add(new DisinfectionPlan
            {
                Name = $"{name}公共区域消杀", AreaId = community.Id, CommunityId = community.Id, Places = string.Join(DisinfectionPlan.PlaceSeparator, places),
                Agent = "含氯消毒液（84消毒液 1:100）", TimesPerDay = 2, EveryDays = 1, StartDate = clock.Today, CreatedAt = now,
            });
        }
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// An approximate rectangle (GeoJSON Polygon) for a demo compound around Xiguan (宝鸡, ~34.36 N 107.13 E): one
    /// column per community or village, one row per compound. Real outlines are drawn by the office.
    /// </summary>
    public static string DemoOutline(int column, int row)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var west = 107.105 + column * 0.0042;
        var north = 34.372 - row * 0.0036;
        var (east, south) = (west + 0.0034, north - 0.0028);
        string P(double lng, double lat) => $"[{lng.ToString("0.0000", inv)},{lat.ToString("0.0000", inv)}]";
        return $"{{\"type\":\"Polygon\",\"coordinates\":[[{P(west, north)},{P(east, north)},{P(east, south)},{P(west, south)},{P(west, north)}]]}}";
    }

    private static Area NewArea(string code, string name, AreaKind kind, Area? parent)
    {
        var a = new Area { Code = code, Name = name, Kind = kind, ParentId = parent?.Id, Depth = parent is null ? 0 : parent.Depth + 1 };
        a.Path = (parent?.Path ?? "") + Area.PathSegment(a.Id);
        return a;
    }
}
