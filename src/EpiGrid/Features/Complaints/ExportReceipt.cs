using System.Security.Claims;
using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Complaints;

/// <summary>
/// The receipt (回单) of a ticket pushed down from the 12345 platform: its platform number, what was done and the
/// reply, to be sent back up. An .xlsx through the one export helper (watermark, audit); the phone stays masked.
/// </summary>
public sealed class ExportReceipt(ReadComplaint read, Exporter exporter, OfficeClock clock)
{
    public sealed record Line(string Item, string Value);

    public enum Outcome { Done, NotFound, NotReady }

    public async Task<(Outcome Outcome, byte[]? File, string? Name, string? Message)> RunAsync(Guid id, ClaimsPrincipal user)
    {
        var c = await read.GetAsync(id, user);
        if (c is null) return (Outcome.NotFound, null, null, null);
        if (c.Channel != ComplaintChannel.Hotline12345) return (Outcome.NotReady, null, null, "只有 12345 热线转办的工单需要回单");
        if (c.Reply is null) return (Outcome.NotReady, null, null, "工单尚未答复，不能导出回单");
        string T(DateTimeOffset? t) => t is { } x ? clock.Format(x.UtcDateTime) : "";
        var actions = c.Timeline.Where(e => e.Kind == ComplaintEventKind.Action)
            .Select(e => $"{T(e.At)} {Complaint.Name(e.ActionKind ?? ComplaintActionKind.Other)}（{e.Actor}）：{e.Text}");
        var lines = new List<Line>
        {
            new("12345 工单编号", c.UpstreamNumber ?? ""),
            new("本级工单编号", c.Number),
            new("诉求类别", $"{Complaint.Name(c.Category)}（{Complaint.Name(c.Urgency)}）"),
            new("受理时间", T(c.ReceivedAt)),
            new("办理时限", T(c.UpstreamDueAt ?? c.DueAt)),
            new("诉求人", c.ComplainantName),
            new("联系电话", c.ComplainantPhone ?? ""),
            new("诉求地点", c.Address is null ? c.AreaName : $"{c.AreaName} {c.Address}"),
            new("诉求内容", c.Content),
            new("承办人", c.Handler?.Name ?? ""),
            new("办理情况", string.Join("\n", actions)),
            new("答复内容", c.Reply),
            new("答复时间", T(c.RepliedAt)),
            new("是否按时", c.RepliedAt <= (c.UpstreamDueAt ?? c.DueAt) ? "按时办结" : "超时"),
            new("回访结果", c.Satisfaction is { } s ? Complaint.Name(s) : "待回访"),
        };
        var bytes = await exporter.ExportAsync("回单", ExportFilter.Of().App("工单=", c.Number),
            [new ExportColumn<Line>("项目", l => l.Item), new("内容", l => l.Value)], lines);
        return (Outcome.Done, bytes, $"回单-{c.UpstreamNumber ?? c.Number}", null);
    }
}
