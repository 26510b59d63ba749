using System.Security.Claims;
using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Complaints;

/// <summary>
/// The tickets of a period (office-local dates, both inclusive) as an .xlsx, through the one export helper (watermark,
/// the phone masked unless the role may reveal, audited with its row count, volume alert). Merged duplicates are
/// listed too, each naming the ticket it was merged into; a primary shows how many calls it stands for.
/// </summary>
public sealed class ExportComplaints(AppDbContext db, Exporter exporter, OfficeClock clock)
{
    public const int MaxDays = 366;

    public sealed record Row(string Number, DateTime ReceivedAt, ComplaintChannel Channel, ComplaintCategory Category, ComplaintUrgency Urgency,
        Guid AreaId, string? Address, string ComplainantName, string? PhoneMasked, string? PhoneCipher, string Content, ComplaintStatus Status,
        Guid? HandlerId, DateTime DueAt, DateTime? RepliedAt, string? Reply, Satisfaction? Satisfaction, DateTime? ClosedAt, int Calls, Guid? MergedIntoId);

    public async Task<(byte[] File, string Name)> RunAsync(DateOnly? from, DateOnly? to, ClaimsPrincipal user)
    {
        var errors = new Errors();
        var t = to ?? clock.Today;
        var f = from ?? t.AddDays(-6);
        if (f > t) errors.Add("from", "开始日期不能晚于结束日期");
        else if (t.DayNumber - f.DayNumber + 1 > MaxDays) errors.Add("to", $"导出期间不能超过 {MaxDays} 天");
        errors.Throw();

        var rows = await ComplaintAccess.Visible(db, user).AsNoTracking()
            .Where(c => c.NumberDate >= f && c.NumberDate <= t)
            .OrderBy(c => c.NumberDate).ThenBy(c => c.NumberSeq)
            .Select(c => new Row(c.Number, c.ReceivedAt, c.Channel, c.Category, c.Urgency, c.AreaId, c.Address, c.ComplainantName,
                c.ComplainantPhoneMasked, c.ComplainantPhoneCipher, c.Content, c.Status, c.HandlerId, c.DueAt, c.RepliedAt, c.Reply,
                c.Satisfaction, c.ClosedAt, c.Calls, c.MergedIntoId))
            .ToListAsync();
        var areaIds = rows.Select(r => r.AreaId).Distinct().ToList();
        var areas = await db.Areas.IgnoreQueryFilters().AsNoTracking().Where(a => areaIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name);
        var userIds = rows.Where(r => r.HandlerId is not null).Select(r => r.HandlerId!.Value).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName);
        var primaryIds = rows.Where(r => r.MergedIntoId is not null).Select(r => r.MergedIntoId!.Value).Distinct().ToList();
        var primaries = await db.Set<Complaint>().AsNoTracking().Where(c => primaryIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Number);

        var bytes = await exporter.ExportAsync("投诉工单", ExportFilter.Of().App("受理日期=", $"{f:yyyy-MM-dd}至{t:yyyy-MM-dd}"),
        [
            new ExportColumn<Row>("工单编号", r => r.Number),
            new("受理时间", r => clock.Format(r.ReceivedAt)),
            new("渠道", r => Complaint.Name(r.Channel)),
            new("类别", r => Complaint.Name(r.Category)),
            new("紧急程度", r => Complaint.Name(r.Urgency)),
            new("地点", r => r.Address is null ? areas.GetValueOrDefault(r.AreaId, "") : $"{areas.GetValueOrDefault(r.AreaId, "")} {r.Address}"),
            new("诉求人", r => r.ComplainantName),
            ExportColumn<Row>.Protected("联系电话", ProtectedKind.Phone, r => r.PhoneMasked ?? "", r => r.PhoneCipher ?? ""),
            new("诉求内容", r => r.Content),
            new("状态", r => Complaint.Name(r.Status)),
            new("承办人", r => r.HandlerId is { } h ? users.GetValueOrDefault(h, "") : ""),
            new("办理时限", r => clock.Format(r.DueAt)),
            new("答复时间", r => clock.Format(r.RepliedAt)),
            new("答复内容", r => r.Reply ?? ""),
            new("回访结果", r => r.Satisfaction is { } s ? Complaint.Name(s) : ""),
            new("办结时间", r => clock.Format(r.ClosedAt)),
            new("来电次数", r => r.MergedIntoId is null ? r.Calls : null),
            new("并入工单", r => r.MergedIntoId is { } p ? primaries.GetValueOrDefault(p, "") : ""),
        ], rows);
        return (bytes, $"投诉工单-{f:yyyyMMdd}-{t:yyyyMMdd}");
    }
}
