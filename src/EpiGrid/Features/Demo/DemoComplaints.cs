using EpiGrid.Data;
using EpiGrid.Features.Complaints;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Demo;

/// <summary>
/// A fortnight of the hotline's tickets for the demo, falling from ~78 calls a day to ~5 as the seed office did
/// (70–80 a day down to 5–6): every channel and category, a few hot places, repeated calls merged into the first
/// ticket, and each ticket as far along the loop as the time since its call allows (old ones closed after a
/// follow-up; today's still open; one urgent ticket left overdue). Deterministic (a fixed seed).
/// </summary>
public static class DemoComplaints
{
    /// <summary>Calls a day, from 13 days ago to today.</summary>
    public static readonly int[] CallsPerDay = [78, 76, 72, 65, 55, 44, 33, 24, 17, 12, 9, 7, 6, 5];

    private static readonly (ComplaintChannel Channel, int Weight)[] Channels =
        [(ComplaintChannel.Phone, 45), (ComplaintChannel.Hotline12345, 22), (ComplaintChannel.GovPlatform, 15), (ComplaintChannel.WalkIn, 11), (ComplaintChannel.Online, 7)];

    private static readonly (ComplaintCategory Category, int Weight, string[] Texts)[] Categories =
    [
        (ComplaintCategory.Enquiry, 38, ["返宝人员需要居家隔离几天？", "小区出入证怎么办理？", "外地车辆能否进入小区？", "居家观察期间能否下楼取快递？", "复工人员需要开什么证明？"]),
        (ComplaintCategory.Help, 30, ["居家隔离户家中缺米面，请求社区帮助代购。", "独居老人降压药快吃完了，请求代购。", "隔离户家中垃圾无人清运，请求帮助。", "孩子发烧，不知道该去哪个发热门诊。", "口罩买不到，家中老人需要外出就医。"]),
        (ComplaintCategory.Complaint, 17, ["小区卡口值守人员态度生硬。", "楼道消杀不及时，气味难闻。", "超市蔬菜价格明显上涨。", "小区门口垃圾三天未清运。", "物业未按规定测量体温就放人进入。"]),
        (ComplaintCategory.Report, 9, ["邻居从武汉返回未登记，也未居家隔离。", "有人在小区内聚众打牌。", "有药店高价出售口罩。"]),
        (ComplaintCategory.Suggestion, 6, ["建议在菜市场门口设置测温点。", "建议为独居老人安排志愿者定期探望。", "建议每天公布社区疫情防控通报。"]),
    ];

    /// <summary>Where most calls come from (the rest are spread over every compound).</summary>
    private static readonly string[] HotPlaces = ["春天大道", "叉车厂小区", "西关小区", "金台花园", "百翠园"];

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"];

    public static async Task SeedAsync(IServiceProvider sp)
    {
        var db = sp.GetRequiredService<AppDbContext>();
        var kit = sp.GetRequiredService<PrivacyKit>();
        var clock = sp.GetRequiredService<OfficeClock>();
        var deadlines = sp.GetRequiredService<ComplaintDeadlines>();
        var prefix = sp.GetRequiredService<IOptions<ComplaintOptions>>().Value.NumberPrefix;
        var rng = new Random(2020);
        var now = clock.UtcNow;
        var today = clock.Today;

        var users = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.UserName!, u => (u.Id, u.DisplayName));
        var desk = users["hotline"];
        var leader = users["leader"];
        var compounds = await db.Areas.IgnoreQueryFilters().AsNoTracking().Where(a => a.Kind == AreaKind.Compound).Select(a => new { a.Id, a.Name, a.ParentId }).ToListAsync();
        var communities = await db.Areas.IgnoreQueryFilters().AsNoTracking().Where(a => a.Kind == AreaKind.Community || a.Kind == AreaKind.Village).ToDictionaryAsync(a => a.Id, a => a.Name);
        var handlerOf = new Dictionary<string, string>
        {
            ["西关社区"] = "grid1", ["叉车厂社区"] = "grid2", ["福临堡社区"] = "cadre1", ["新福路东社区"] = "cadre2", ["罗家塄村"] = "cadre3",
            ["工程机械厂社区"] = "cadre1", ["四总队社区"] = "cadre2", ["新福路西社区"] = "cadre2",
        };

        T Pick<T>((T Item, int Weight)[] items)
        {
            var n = rng.Next(items.Sum(i => i.Weight));
            foreach (var (item, w) in items) { if (n < w) return item; n -= w; }
            return items[^1].Item;
        }

        var tickets = new List<Complaint>();
        var dueCache = new Dictionary<(DateOnly, ComplaintCategory), DateTime>();
        for (var back = CallsPerDay.Length - 1; back >= 0; back--)
        {
            var date = today.AddDays(-back);
            var start = clock.StartOfDayUtc(date);
            var calls = CallsPerDay[CallsPerDay.Length - 1 - back];
            // Calls between 07:00 and 22:00 office time; today's before now.
            var times = Enumerable.Range(0, calls).Select(k => back == 0
                    ? start + (now.AddMinutes(-1) - start) * ((k + 0.5) / calls)
                    : start.AddHours(7).AddMinutes(rng.Next(15 * 60)).AddSeconds(rng.Next(60)))
                .Order().ToList();
            var day = new List<Complaint>();
            var seq = 0;
            foreach (var at in times)
            {
                // About one call in fifteen repeats an earlier call of the day (the same caller, the same matter).
                var repeatOf = day.Count > 3 && rng.Next(15) == 0 ? day[rng.Next(day.Count)] : null;
                var category = repeatOf?.Category ?? Pick(Categories.Select(c => (c.Category, c.Weight)).ToArray());
                var hot = HotPlaces[rng.Next(HotPlaces.Length)];
                var area = repeatOf is null
                    ? (rng.Next(100) < 55 ? compounds.First(c => c.Name == hot) : compounds[rng.Next(compounds.Count)])
                    : compounds.First(c => c.Id == repeatOf.AreaId);
                var texts = Categories.First(c => c.Category == category).Texts;
                var c = new Complaint
                {
                    Number = $"{prefix}{date:yyyyMMdd}-{++seq:D4}", NumberDate = date, NumberSeq = seq,
                    Channel = Pick(Channels), Category = category,
                    // The first call four days ago is urgent, and it is left overdue (dispatched, never answered).
                    Urgency = repeatOf?.Urgency ?? (rng.Next(100) < 8 || (back == 4 && seq == 1) ? ComplaintUrgency.Urgent : ComplaintUrgency.Normal),
                    Content = repeatOf?.Content ?? texts[rng.Next(texts.Length)],
                    ComplainantName = repeatOf?.ComplainantName ?? Surnames[rng.Next(Surnames.Length)] + (rng.Next(2) == 0 ? "先生" : "女士"),
                    AreaId = area.Id, ReceivedAt = at, ReceivedBy = desk.Id,
                };
                if (c.Channel == ComplaintChannel.Hotline12345) c.UpstreamNumber = $"BJ12345-{date:yyyyMMdd}-{rng.Next(1, 999):D4}";
                c.SetPhone(repeatOf is not null
                    ? new ProtectedValue(repeatOf.ComplainantPhoneCipher!, repeatOf.ComplainantPhoneHash!, repeatOf.ComplainantPhoneLast4!, repeatOf.ComplainantPhoneMasked!)
                    : kit.Protect(ProtectedKind.Phone, "13" + rng.Next(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                // Normal deadlines fall at the end of a working day: one look at the calendar per day and category.
                var dueKey = (date, c.Category);
                if (c.Urgency == ComplaintUrgency.Urgent) c.DueAt = await deadlines.DueAtAsync(c.Category, c.Urgency, at);
                else if (dueCache.TryGetValue(dueKey, out var due)) c.DueAt = due;
                else c.DueAt = dueCache[dueKey] = await deadlines.DueAtAsync(c.Category, c.Urgency, at);
                db.Add(c);
                Event(db, c, at, ComplaintEventKind.Received, desk,
                    $"{Complaint.Name(c.Channel)}受理：{Complaint.Name(c.Category)}（{Complaint.Name(c.Urgency)}）" + (c.UpstreamNumber is null ? "" : $"，12345 工单号 {c.UpstreamNumber}"));

                if (repeatOf is not null && (repeatOf.ClosedAt is null || repeatOf.ClosedAt > at))
                {
                    c.MergedIntoId = repeatOf.Id;
                    c.MergedAt = at.AddMinutes(3);
                    repeatOf.Calls++;
                    Event(db, c, c.MergedAt.Value, ComplaintEventKind.Merged, desk, $"与工单 {repeatOf.Number} 重复，已合并，随该工单办理和答复");
                    Event(db, repeatOf, c.MergedAt.Value, ComplaintEventKind.Merged, desk,
                        $"重复来电工单 {c.Number}（{c.ComplainantName} {c.ComplainantPhoneMasked}）并入本工单，共 {repeatOf.Calls} 次来电");
                    tickets.Add(c);
                    continue;
                }

                // The loop, each step as far as the time allows; the office got faster as the calls fell.
                var pace = 0.4 + back / 13.0 * 1.6;
                var community = area.ParentId is { } p ? communities.GetValueOrDefault(p, "") : "";
                var handler = users[handlerOf.GetValueOrDefault(community, "cadre3")];
                var acknowledged = at.AddMinutes(10 + rng.Next(50));
                var dispatched = at.AddMinutes((20 + rng.Next(100)) * pace);
                var acted = dispatched.AddHours((1 + rng.NextDouble() * 6) * pace);
                var replied = acted.AddHours((0.5 + rng.NextDouble() * (c.Urgency == ComplaintUrgency.Urgent ? 4 : 20)) * pace);
                var followed = replied.AddHours(2 + rng.NextDouble() * 18);
                var stuck = back == 4 && seq == 1;
                var unsatisfied = back is 1 or 2 && seq == 2;

                if (acknowledged >= now) { tickets.Add(c); day.Add(c); continue; }
                c.AcknowledgedAt = acknowledged;
                c.AcknowledgedBy = leader.Id;
                Event(db, c, acknowledged, ComplaintEventKind.Acknowledged, leader, "已阅知，请按时办理");
                if (dispatched >= now) { tickets.Add(c); day.Add(c); continue; }
                c.HandlerId = handler.Id;
                c.ResponderId = handler.Id;
                c.DispatchedAt = dispatched;
                c.Status = ComplaintStatus.Dispatched;
                var d = Event(db, c, dispatched, ComplaintEventKind.Dispatched, desk, $"承办人：{handler.DisplayName}；答复人：{handler.DisplayName}");
                d.HandlerId = handler.Id;
                d.ResponderId = handler.Id;
                if (acted >= now || stuck) { tickets.Add(c); day.Add(c); continue; }
                var a = Event(db, c, acted, ComplaintEventKind.Action, handler, category == ComplaintCategory.Enquiry ? "电话联系群众，解答政策" : "上门了解情况并协调解决");
                a.ActionKind = category == ComplaintCategory.Enquiry ? ComplaintActionKind.Call : ComplaintActionKind.Visit;
                if (replied >= now) { tickets.Add(c); day.Add(c); continue; }
                c.Reply = category == ComplaintCategory.Enquiry ? "已电话答复群众相关政策。" : "已协调社区和相关部门处理，问题已解决。";
                c.RepliedAt = replied;
                c.Status = ComplaintStatus.Replied;
                Event(db, c, replied, ComplaintEventKind.Replied, desk, c.Reply);
                if (followed >= now) { tickets.Add(c); day.Add(c); continue; }
                if (unsatisfied)
                {
                    // Unsatisfied: reopened for a second round, dispatched again, not yet answered.
                    c.Satisfaction = Satisfaction.Unsatisfied;
                    c.FollowedUpAt = followed;
                    c.Status = ComplaintStatus.Reopened;
                    c.Round = 2;
                    c.DueAt = await deadlines.DueAtAsync(c.Category, c.Urgency, followed);
                    Event(db, c, followed, ComplaintEventKind.FollowedUp, desk, "群众反映问题没有解决").Satisfaction = Satisfaction.Unsatisfied;
                    Event(db, c, followed, ComplaintEventKind.Reopened, desk, "群众不满意，第 2 次办理，需重新派单");
                    var again = followed.AddHours(1);
                    if (again < now)
                    {
                        c.DispatchedAt = again;
                        c.Status = ComplaintStatus.Dispatched;
                        var d2 = Event(db, c, again, ComplaintEventKind.Dispatched, desk, $"承办人：{handler.DisplayName}；答复人：{handler.DisplayName}。请社区书记亲自跟进");
                        d2.HandlerId = handler.Id;
                        d2.ResponderId = handler.Id;
                    }
                    tickets.Add(c);
                    day.Add(c);
                    continue;
                }
                c.Satisfaction = rng.Next(100) < 86 ? Satisfaction.Satisfied : Satisfaction.Basic;
                c.FollowedUpAt = followed;
                c.ClosedAt = followed;
                c.Status = ComplaintStatus.Closed;
                Event(db, c, followed, ComplaintEventKind.FollowedUp, desk, null).Satisfaction = c.Satisfaction;
                Event(db, c, followed, ComplaintEventKind.Closed, desk, $"回访{Complaint.Name(c.Satisfaction.Value)}，办结");
                tickets.Add(c);
                day.Add(c);
            }
        }
        // Repeated calls follow their primary (as a merge does).
        foreach (var c in tickets.Where(t => t.MergedIntoId is not null))
        {
            ComplaintSteps.Follow(c, tickets.First(t => t.Id == c.MergedIntoId));
        }
        await db.SaveChangesAsync();
    }

    private static ComplaintEvent Event(AppDbContext db, Complaint c, DateTime at, ComplaintEventKind kind, (Guid Id, string Name) actor, string? text)
    {
        var e = new ComplaintEvent { ComplaintId = c.Id, Seq = ++c.EventCount, At = at, Kind = kind, ActorId = actor.Id, ActorName = actor.Name, Text = text };
        db.Add(e);
        return e;
    }
}
