using System.Net;
using System.Text.RegularExpressions;
using EpiGrid.Features.Alerts;
using EpiGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using static EpiGrid.Tests.Complaints.ComplaintTestKit;

namespace EpiGrid.Tests.Complaints;

/// <summary>The loop of docs/api.md through the API: 受理 → 报告 → 派单 → 办理 → 答复 → 回访 → 办结, and its rules.</summary>
public sealed partial class ComplaintLoopTests(ComplaintClockFactory app) : IClassFixture<ComplaintClockFactory>
{
    [GeneratedRegex(@"^XG\d{8}-\d{4}$")]
    private static partial Regex NumberFormat();

    [Fact]
    public async Task FullLoop_EachStepRecordedWithItsTime_StepsOutOfOrderAre409()
    {
        var hotline = await app.As("hotline");
        var leader = await app.As("leader");
        var grid1 = await app.As("grid1");
        var grid1Id = await Demo.UserIdAsync(app, "grid1");
        var leaderId = await Demo.UserIdAsync(app, "leader");
        var compound = await Demo.AreaAsync(app, "春天大道");
        var times = new List<DateTimeOffset>();

        times.Add(app.Clock.GetUtcNow());
        var t = await hotline.FileAsync(Ticket(compound.Id));
        var id = t["id"]!.GetValue<Guid>();
        var number = t["number"]!.GetValue<string>();
        Assert.Matches(NumberFormat(), number);
        Assert.Equal(times[0].ToOffset(TimeSpan.FromHours(8)).ToString("yyyyMMdd"), number[2..10]);
        Assert.Equal("Received", t["status"]!.GetValue<string>());
        Assert.Equal("137****1234", t["complainantPhone"]!.GetValue<string>());
        Assert.DoesNotContain("13709171234", t.ToJsonString(), StringComparison.Ordinal);

        // Out of order: no reply and no follow-up before dispatch.
        await hotline.StepAsync($"/api/complaints/{id}/reply", new { text = "已处理" }, HttpStatusCode.Conflict);
        await hotline.StepAsync($"/api/complaints/{id}/follow-up", new { satisfaction = "Satisfied" }, HttpStatusCode.Conflict);
        await grid1.StepAsync($"/api/complaints/{id}/actions", new { kind = "Visit", note = "上门" }, HttpStatusCode.NotFound);

        app.Clock.Advance(TimeSpan.FromMinutes(5)); times.Add(app.Clock.GetUtcNow());
        await leader.StepAsync($"/api/complaints/{id}/acknowledge", new { note = "请西关社区尽快落实" });
        await leader.StepAsync($"/api/complaints/{id}/acknowledge", new { }, HttpStatusCode.Conflict);

        app.Clock.Advance(TimeSpan.FromMinutes(7)); times.Add(app.Clock.GetUtcNow());
        var d = await hotline.StepAsync($"/api/complaints/{id}/dispatch", new { handlerId = grid1Id, responderId = leaderId });
        Assert.Equal("Dispatched", d["status"]!.GetValue<string>());
        Assert.Equal(grid1Id, d["handler"]!["id"]!.GetValue<Guid>());
        await hotline.StepAsync($"/api/complaints/{id}/dispatch", new { handlerId = grid1Id, responderId = leaderId }, HttpStatusCode.Conflict);

        app.Clock.Advance(TimeSpan.FromMinutes(40)); times.Add(app.Clock.GetUtcNow());
        await grid1.StepAsync($"/api/complaints/{id}/actions", new { kind = "Visit", note = "上门送去大米 10 斤、面粉 5 斤" }, HttpStatusCode.Created);
        await hotline.StepAsync($"/api/complaints/{id}/follow-up", new { satisfaction = "Satisfied" }, HttpStatusCode.Conflict);

        app.Clock.Advance(TimeSpan.FromMinutes(30)); times.Add(app.Clock.GetUtcNow());
        var replied = await hotline.StepAsync($"/api/complaints/{id}/reply", new { text = "网格员已上门代购米面，今后每周二代购一次。" });
        Assert.Equal("Replied", replied["status"]!.GetValue<string>());

        app.Clock.Advance(TimeSpan.FromHours(20)); times.Add(app.Clock.GetUtcNow());
        var closed = await hotline.StepAsync($"/api/complaints/{id}/follow-up", new { satisfaction = "Satisfied", note = "群众表示感谢" });
        Assert.Equal("Closed", closed["status"]!.GetValue<string>());
        await grid1.StepAsync($"/api/complaints/{id}/actions", new { kind = "Call", note = "再次回访" }, HttpStatusCode.Conflict);

        var view = await hotline.GetJsonAsync($"/api/complaints/{id}");
        var timeline = view["timeline"]!.AsArray();
        Assert.Equal(["Received", "Acknowledged", "Dispatched", "Action", "Replied", "FollowedUp", "Closed"],
            timeline.Select(e => e!["kind"]!.GetValue<string>()).ToArray());
        var at = timeline.Select(e => Time(e!["at"]).UtcDateTime).ToArray();
        Assert.Equal([times[0], times[1], times[2], times[3], times[4], times[5], times[5]], at.Select(x => new DateTimeOffset(x)).ToArray());
        Assert.Equal("Visit", timeline[3]!["actionKind"]!.GetValue<string>());
        Assert.Equal(times[1], Time(view["acknowledgedAt"]));
        Assert.Equal(times[2], Time(view["dispatchedAt"]));
        Assert.Equal(times[4], Time(view["repliedAt"]));
        Assert.Equal(times[5], Time(view["closedAt"]));
        Assert.Equal("Satisfied", view["satisfaction"]!.GetValue<string>());
        // Times carry the office's offset.
        Assert.EndsWith("+08:00", view["receivedAt"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsatisfied_Reopens_ThenItCanBeDispatchedAgain()
    {
        var hotline = await app.As("hotline");
        var grid1Id = await Demo.UserIdAsync(app, "grid1");
        var grid2Id = await Demo.UserIdAsync(app, "grid2");
        var t = await hotline.FileAsync(Ticket((await Demo.AreaAsync(app, "西关小区")).Id, category: "Complaint"));
        var id = t["id"]!.GetValue<Guid>();
        await hotline.StepAsync($"/api/complaints/{id}/dispatch", new { handlerId = grid1Id, responderId = grid1Id });
        await hotline.StepAsync($"/api/complaints/{id}/reply", new { text = "已协调物业" });
        var reopened = await hotline.StepAsync($"/api/complaints/{id}/follow-up", new { satisfaction = "Unsatisfied", note = "问题没有解决" });
        Assert.Equal("Reopened", reopened["status"]!.GetValue<string>());
        Assert.Equal(2, reopened["round"]!.GetValue<int>());

        // Reopened is not dispatched: no reply until it is dispatched again.
        await hotline.StepAsync($"/api/complaints/{id}/reply", new { text = "再次答复" }, HttpStatusCode.Conflict);
        var again = await hotline.StepAsync($"/api/complaints/{id}/dispatch", new { handlerId = grid2Id, responderId = grid1Id });
        Assert.Equal("Dispatched", again["status"]!.GetValue<string>());
        Assert.Equal(grid2Id, again["handler"]!["id"]!.GetValue<Guid>());
        await hotline.StepAsync($"/api/complaints/{id}/reply", new { text = "已更换处置人员，问题已解决" });
        var closed = await hotline.StepAsync($"/api/complaints/{id}/follow-up", new { satisfaction = "Basic" });
        Assert.Equal("Closed", closed["status"]!.GetValue<string>());
        var kinds = closed["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ToArray();
        Assert.Equal(["Received", "Dispatched", "Replied", "FollowedUp", "Reopened", "Dispatched", "Replied", "FollowedUp", "Closed"], kinds);
    }

    [Fact]
    public async Task TheDesk_CallsBack_RevealingTheComplainantsPhone_WithAReason_Audited_ButNoOnesIdNumber()
    {
        var hotline = await app.As("hotline");
        var t = await hotline.FileAsync(Ticket((await Demo.AreaAsync(app, "春天大道")).Id, phone: "13709179876"));
        var id = t["id"]!.GetValue<Guid>();
        Assert.DoesNotContain("13709179876", t.ToJsonString());
        await hotline.StepAsync($"/api/complaints/{id}/reveal", new { reason = "" }, HttpStatusCode.BadRequest);
        var revealed = await hotline.StepAsync($"/api/complaints/{id}/reveal", new { reason = "回访投诉人" });
        Assert.Equal("13709179876", revealed["complainantPhone"]!.GetValue<string>());
        var audit = await app.WithDbAsync(db => db.Set<EpiGrid.Platform.Audit.AuditEntry>()
            .Where(e => e.Action == "Reveal" && e.EntityId == id.ToString() && e.UserName == "hotline").ToListAsync());
        Assert.Single(audit);
        // The right is for the callback only: a person's ID number and phone stay closed to the desk.
        await hotline.StepAsync($"/api/people/{Guid.NewGuid()}/reveal", new { reason = "回访" }, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Scope_ATicketAbout叉车厂社区_IsInvisibleToGrid1_UnlessDispatchedToThem()
    {
        var hotline = await app.As("hotline");
        var grid1 = await app.As("grid1");
        var grid2 = await app.As("grid2");
        var grid1Id = await Demo.UserIdAsync(app, "grid1");
        var leaderId = await Demo.UserIdAsync(app, "leader");
        var t = await hotline.FileAsync(Ticket((await Demo.AreaAsync(app, "叉车厂小区")).Id));
        var id = t["id"]!.GetValue<Guid>();
        var own = await hotline.FileAsync(Ticket((await Demo.AreaAsync(app, "春天大道")).Id));

        // Not dispatched to grid1: not found, not listed — and a grid worker does not browse the tickets of their own community either.
        await (await grid1.GetAsync($"/api/complaints/{id}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await grid1.GetAsync($"/api/complaints/{own["id"]}")).ExpectAsync(HttpStatusCode.NotFound);
        var list = await grid1.GetJsonAsync("/api/complaints?pageSize=200");
        Assert.DoesNotContain(list["items"]!.AsArray(), i => i!["id"]!.GetValue<Guid>() == id);
        await grid1.StepAsync($"/api/complaints/{id}/actions", new { kind = "Visit", note = "上门" }, HttpStatusCode.NotFound);

        await hotline.StepAsync($"/api/complaints/{id}/dispatch", new { handlerId = grid1Id, responderId = leaderId });

        var seen = await grid1.GetJsonAsync($"/api/complaints/{id}");
        Assert.Equal("叉车厂小区", seen["areaName"]!.GetValue<string>());
        var mine = await grid1.GetJsonAsync("/api/complaints?mine=true");
        Assert.Contains(mine["items"]!.AsArray(), i => i!["id"]!.GetValue<Guid>() == id);
        await grid1.StepAsync($"/api/complaints/{id}/actions", new { kind = "Disinfection", note = "楼道消杀" }, HttpStatusCode.Created);
        // grid2 covers 叉车厂社区 but the ticket is not theirs.
        await (await grid2.GetAsync($"/api/complaints/{id}")).ExpectAsync(HttpStatusCode.NotFound);
        // A leader in scope reads it, but logs actions only on what is dispatched to them.
        var leader2 = await app.As("leader2");
        await leader2.GetJsonAsync($"/api/complaints/{id}");
        await leader2.StepAsync($"/api/complaints/{id}/actions", new { kind = "Call", note = "电话" }, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Overdue_RaisesOneAlert_AndTheSupervisorsReminderReachesTheHandler()
    {
        var hotline = await app.As("hotline");
        var supervisor = await app.As("supervisor");
        var grid1 = await app.As("grid1");
        var grid1Id = await Demo.UserIdAsync(app, "grid1");
        var area = await Demo.AreaAsync(app, "技师学院家属院");
        var t = await hotline.FileAsync(Ticket(area.Id, urgency: "Urgent", content: "隔离户老人发烧，需要就医帮助"));
        var id = t["id"]!.GetValue<Guid>();
        Assert.Equal(app.Clock.GetUtcNow().AddHours(24), Time(t["dueAt"]));
        await hotline.StepAsync($"/api/complaints/{id}/dispatch", new { handlerId = grid1Id, responderId = grid1Id });

        await RunDeadlineCheckAsync(app);
        Assert.Equal(0, await OverdueAlertsAsync(id));

        app.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        await RunDeadlineCheckAsync(app);
        await RunDeadlineCheckAsync(app);
        Assert.Equal(1, await OverdueAlertsAsync(id));
        var alerts = await supervisor.GetJsonAsync("/api/alerts?kind=Overdue&status=Open&pageSize=200");
        var alert = alerts["items"]!.AsArray().Single(a => a!["subject"]!.GetValue<string>().Contains(t["number"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Equal(area.Id, alert!["areaId"]!.GetValue<Guid>());
        var view = await supervisor.GetJsonAsync($"/api/complaints/{id}");
        Assert.True(view["overdue"]!.GetValue<bool>());
        Assert.StartsWith("超时", view["clock"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(view["timeline"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "Overdue");

        await supervisor.StepAsync($"/api/complaints/{id}/reminders", new { note = "已超时，今天下班前必须答复" }, HttpStatusCode.Created);
        var mine = await grid1.GetJsonAsync("/api/complaints?mine=true&overdue=true");
        var item = mine["items"]!.AsArray().Single(i => i!["id"]!.GetValue<Guid>() == id);
        Assert.Contains("今天下班前必须答复", item!["lastReminder"]!.GetValue<string>(), StringComparison.Ordinal);
        // The hotline desk cannot remind; the supervisor cannot dispatch.
        await (await hotline.PostJsonAsync($"/api/complaints/{id}/reminders", new { })).ExpectAsync(HttpStatusCode.Forbidden);
    }

    private Task<int> OverdueAlertsAsync(Guid id) => app.WithDbAsync(db =>
        db.Set<Alert>().CountAsync(a => a.Kind == AlertKind.Overdue && a.DedupeKey == $"complaint-overdue:{id}"));

    [Fact]
    public async Task A12345Ticket_KeepsThePlatformsNumberAndDeadline_AndItsReplyExportsAsTheReceipt()
    {
        var hotline = await app.As("hotline");
        var grid1Id = await Demo.UserIdAsync(app, "grid1");
        var due = app.Clock.GetUtcNow().AddDays(2).ToOffset(TimeSpan.FromHours(8));
        var ticket = new
        {
            channel = "Hotline12345", category = "Complaint", urgency = "Normal", content = "小区门口垃圾三天未清运",
            complainantName = "张先生", complainantPhone = "13991781234", areaId = (await Demo.AreaAsync(app, "西关小区")).Id,
            upstreamNumber = "BJ12345-20200207-0088", upstreamDueAt = due,
        };
        // Without the platform's number, a 12345 ticket is refused.
        var noNumber = await hotline.PostJsonAsync("/api/complaints", new { ticket.channel, ticket.category, ticket.urgency, ticket.content, ticket.complainantName, ticket.complainantPhone, ticket.areaId });
        var problem = System.Text.Json.Nodes.JsonNode.Parse(await noNumber.ExpectAsync(HttpStatusCode.BadRequest))!;
        Assert.NotNull(problem["errors"]!["upstreamNumber"]);
        var t = await hotline.FileAsync(ticket);
        var id = t["id"]!.GetValue<Guid>();
        Assert.Equal(due, Time(t["dueAt"]));
        Assert.Equal("BJ12345-20200207-0088", t["upstreamNumber"]!.GetValue<string>());

        await (await hotline.GetAsync($"/api/complaints/{id}/receipt.xlsx")).ExpectAsync(HttpStatusCode.Conflict);
        await hotline.StepAsync($"/api/complaints/{id}/dispatch", new { handlerId = grid1Id, responderId = grid1Id });
        await hotline.StepAsync($"/api/complaints/{id}/reply", new { text = "已联系环卫所当日清运，并增加清运频次。" });

        var r = await hotline.GetAsync($"/api/complaints/{id}/receipt.xlsx");
        await r.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", r.Content.Headers.ContentType?.MediaType);
        using var ms = new MemoryStream(await r.Content.ReadAsByteArrayAsync());
        var cells = ms.Query(useHeaderRow: false).Cast<IDictionary<string, object?>>().SelectMany(row => row.Values).Select(v => v?.ToString() ?? "").ToList();
        Assert.Contains(cells, c => c.StartsWith("导出：", StringComparison.Ordinal)); // the watermark
        Assert.Contains("BJ12345-20200207-0088", cells);
        Assert.Contains("已联系环卫所当日清运，并增加清运频次。", cells);
        Assert.Contains("139****1234", cells);
        Assert.DoesNotContain("13991781234", cells);

        // A ticket from another channel has no receipt.
        var phone = await hotline.FileAsync(Ticket((await Demo.AreaAsync(app, "西关小区")).Id));
        await (await hotline.GetAsync($"/api/complaints/{phone["id"]}/receipt.xlsx")).ExpectAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task TicketsFiledAtOnce_GetDistinctNumbersInSequence()
    {
        var hotline = await app.As("hotline");
        var area = (await Demo.AreaAsync(app, "西关小区")).Id;
        var filed = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => hotline.FileAsync(Ticket(area))));
        var numbers = filed.Select(t => t["number"]!.GetValue<string>()).ToList();
        Assert.Equal(12, numbers.Distinct().Count());
        var seqs = numbers.Select(n => int.Parse(n[^4..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(Enumerable.Range(seqs[0], 12), seqs);
    }

    [Fact]
    public async Task AnAddressOnlyTicket_BelongsToTheSubdistrict()
    {
        var hotline = await app.As("hotline");
        var t = await hotline.FileAsync(new { channel = "WalkIn", category = "Suggestion", urgency = "Normal", content = "建议在菜市场门口设置测温点",
            complainantName = "王大爷", complainantPhone = "0917-3214567", address = "西关菜市场" });
        Assert.Equal((await Demo.AreaAsync(app, "西关街道")).Id, t["areaId"]!.GetValue<Guid>());
        Assert.Equal("西关菜市场", t["address"]!.GetValue<string>());
    }

    [Fact]
    public async Task InvalidIntake_Is400_AndStoresNothing()
    {
        var hotline = await app.As("hotline");
        var before = await app.WithDbAsync(db => db.Set<EpiGrid.Features.Complaints.Complaint>().CountAsync());
        var r = await hotline.PostJsonAsync("/api/complaints", new { channel = "Phone", category = "Help", urgency = "Normal", content = "", complainantName = "刘", complainantPhone = "12345" });
        var body = System.Text.Json.Nodes.JsonNode.Parse(await r.ExpectAsync(HttpStatusCode.BadRequest))!;
        Assert.NotNull(body["errors"]!["content"]);
        Assert.NotNull(body["errors"]!["complainantPhone"]);
        Assert.Equal(before, await app.WithDbAsync(db => db.Set<EpiGrid.Features.Complaints.Complaint>().CountAsync()));
    }
}
