using System.Globalization;
using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Audit;
using EpiGrid.Platform.Auth;
using MiniExcelLibs;

namespace EpiGrid.Features.Reports;

/// <summary>
/// The daily report as the district expects it in Excel: the title (西关街道疫情防控日报 and the date), the window and
/// version, the report form's headings, a line per community or village, the 合计 line, the signature, and the exporter's
/// watermark. Not through <c>Exporter</c> (its sheet is a plain list, one heading row): the report holds no personal
/// data, but the export is audited the same way.
/// </summary>
public sealed class ReportWorkbook(AppDbContext db, OfficeClock clock, IHttpContextAccessor http)
{
    public async Task<byte[]> BuildAsync(ReportView r, CancellationToken ct = default)
    {
        var headings = ReportLine.Headings.ToList();
        var keys = headings.Select((_, i) => "c" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        Dictionary<string, object?> Line(params object?[] values) =>
            keys.Select((k, i) => (k, i < values.Length ? values[i] : null)).ToDictionary(x => x.k, x => x.Item2);
        object?[] Figures(ReportLine l, string name) =>
            [name, .. ReportLine.Columns.Select(c => (object?)c.Get(l)), l.Remark];

        var user = http.HttpContext!.User;
        var sheet = new List<Dictionary<string, object?>>
        {
            Line($"{r.Title}（{r.Date:yyyy年M月d日}）"),
            Line($"统计时段：{r.From:yyyy-MM-dd HH:mm} 至 {r.To:yyyy-MM-dd HH:mm}　" + (r.Signed ? $"第 {r.Version} 版" : "未签发（当前数据）")
                + (r.Reason is null ? "" : $"　更正原因：{r.Reason}")),
            Line([.. headings]),
        };
        foreach (var row in r.Rows) sheet.Add(Line(Figures(row, row.AreaName)));
        sheet.Add(Line(Figures(r.Totals, ReportLine.TotalName)));
        sheet.Add(Line());
        sheet.Add(Line(r.Signed
            ? $"审核：{r.ReviewedBy}（{r.ReviewedAt:yyyy-MM-dd HH:mm}）　签发：{r.SignedBy}（{r.SignedAt:yyyy-MM-dd HH:mm}）"
            : $"审核：____________　签发：____________（本表未签发，数据生成于 {r.ComputedAt:yyyy-MM-dd HH:mm}）"));
        sheet.Add(Line($"导出：{user.DisplayName()}（{user.Identity?.Name}） 时间：{clock.Format(clock.UtcNow)} — 仅限防控工作使用"));

        using var ms = new MemoryStream();
        await ms.SaveAsAsync(sheet, printHeader: false, sheetName: "日报", cancellationToken: ct);
        Platform.Audit.AuditLog.Event(db, "Export", "日报", r.AreaId.ToString(), new { rows = r.Rows.Count, filter = Platform.Privacy.ExportFilter.Of().App("日期=", r.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ForAudit(), version = r.Version, masked = false });
        await db.SaveChangesAsync(ct);
        return ms.ToArray();
    }
}
