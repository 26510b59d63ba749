using System.Security.Claims;
using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Reports;

/// <summary>The daily report as the API, the page and the .xlsx show it.</summary>
public sealed record ReportView(DateOnly Date, DateTimeOffset From, DateTimeOffset To, bool Signed, int? Version, string Status,
    Guid AreaId, string AreaName, string Title, List<ReportLine> Rows, ReportLine Totals, DateTimeOffset ComputedAt,
    string? ReviewedBy, DateTimeOffset? ReviewedAt, string? SignedBy, DateTimeOffset? SignedAt, string? Reason, PendingVersion? Pending);

/// <summary>A reviewed version waiting for a leader's signature.</summary>
public sealed record PendingVersion(int Version, string ReviewedBy, DateTimeOffset ReviewedAt, string? Reason);

/// <summary>One version in a day's history.</summary>
public sealed record VersionItem(int Version, ReportStatus Status, string ReviewedBy, DateTimeOffset ReviewedAt, string? SignedBy, DateTimeOffset? SignedAt, string? Reason);

/// <summary>
/// Reads a day's report: a given version, else the latest signed version (frozen lines, as signed), else the figures
/// computed now (<c>signed: false</c>). Lines outside the caller's scope are not shown; the totals are then those of
/// the lines shown.
/// </summary>
public sealed class DailyReports(AppDbContext db, DailyFigures figures, OfficeClock clock)
{
    public const string StatusLive = "Live";

    public string Title(string subdistrictName) => subdistrictName + figures.Options.TitleSuffix;

    /// <summary>null: no such subdistrict or version for the caller (404).</summary>
    public async Task<ReportView?> ReadAsync(DateOnly date, Guid? areaId, int? version, CancellationToken ct = default)
    {
        var subdistrict = await figures.SubdistrictAsync(areaId, ct);
        if (subdistrict is null) return null;
        var versions = db.Set<DailyReport>().AsNoTracking().Where(r => r.SubdistrictId == subdistrict.Id && r.Date == date);
        var pending = await versions.Where(r => r.Status == ReportStatus.Reviewed).OrderByDescending(r => r.Version).FirstOrDefaultAsync(ct);
        DailyReport? stored = version is { } v
            ? await versions.FirstOrDefaultAsync(r => r.Version == v, ct)
            : await versions.Where(r => r.Status == ReportStatus.Signed).OrderByDescending(r => r.Version).FirstOrDefaultAsync(ct);
        if (version is not null && stored is null) return null;
        var pendingView = pending is null || pending.Id == stored?.Id ? null
            : new PendingVersion(pending.Version, pending.ReviewedByName, clock.WithOffset(pending.ReviewedAt), pending.Reason);

        if (stored is null)
        {
            var f = await figures.ComputeAsync(subdistrict, figures.WindowOf(date), ct);
            return new ReportView(date, clock.WithOffset(f.Window.FromUtc), clock.WithOffset(f.Window.ToUtc), false, null, StatusLive,
                subdistrict.Id, subdistrict.Name, Title(subdistrict.Name), f.Rows, f.Totals, clock.WithOffset(clock.UtcNow),
                null, null, null, null, null, pendingView);
        }
        var lines = await db.Set<DailyReportLine>().AsNoTracking().Where(l => l.ReportId == stored.Id).OrderBy(l => l.Seq).ToListAsync(ct);
        var rows = lines.Where(l => !l.IsTotal).Select(l => l.ToLine()).ToList();
        var totals = lines.FirstOrDefault(l => l.IsTotal)?.ToLine();
        if (totals is null)
        {
            totals = new ReportLine { AreaId = subdistrict.Id, AreaName = ReportLine.TotalName, Code = subdistrict.Code };
            foreach (var r in rows) totals.Add(r);
        }
        return new ReportView(date, clock.WithOffset(stored.FromUtc), clock.WithOffset(stored.ToUtc), stored.Status == ReportStatus.Signed, stored.Version,
            stored.Status.ToString(), subdistrict.Id, subdistrict.Name, Title(subdistrict.Name), rows, totals, clock.WithOffset(stored.ComputedAt),
            stored.ReviewedByName, clock.WithOffset(stored.ReviewedAt), stored.SignedByName, stored.SignedAt is { } s ? clock.WithOffset(s) : null,
            stored.Reason, pendingView);
    }

    public async Task<List<VersionItem>?> VersionsAsync(DateOnly date, Guid? areaId, CancellationToken ct = default)
    {
        var subdistrict = await figures.SubdistrictAsync(areaId, ct);
        if (subdistrict is null) return null;
        var list = await db.Set<DailyReport>().AsNoTracking().Where(r => r.SubdistrictId == subdistrict.Id && r.Date == date).OrderBy(r => r.Version).ToListAsync(ct);
        return [.. list.Select(r => new VersionItem(r.Version, r.Status, r.ReviewedByName, clock.WithOffset(r.ReviewedAt), r.SignedByName,
            r.SignedAt is { } s ? clock.WithOffset(s) : null, r.Reason))];
    }

    /// <summary>Dates must lie in the epidemic period and not after the report day in progress.</summary>
    public DateOnly ValidDate(Errors errors, DateOnly? date, string field = "date")
    {
        var d = date ?? figures.CurrentDate();
        if (d < figures.Options.PeriodStart) errors.Add(field, $"日期不能早于疫情防控期开始（{figures.Options.PeriodStart:yyyy-MM-dd}）");
        else if (d > figures.CurrentDate()) errors.Add(field, "日期不能晚于今天的统计日");
        return d;
    }
}

/// <summary>
/// The statistician's review (审核): the day's figures computed and frozen as the next version, with remarks per line.
/// Reviewing again before the signature replaces the draft. Once a version is signed, only a correction (更正, with a
/// reason) makes the next version.
/// </summary>
public sealed class ReviewDailyReport(AppDbContext db, DailyFigures figures, DailyReports reports, OfficeClock clock, IHttpContextAccessor http)
{
    public sealed record RemarkInput(Guid? AreaId, string? Remark);
    public sealed record ReviewInput(DateOnly? Date, Guid? AreaId, List<RemarkInput>? Remarks);
    public sealed record CorrectInput(DateOnly? Date, Guid? AreaId, string? Reason, List<RemarkInput>? Remarks);

    /// <summary>null: no such subdistrict for the caller (404).</summary>
    public Task<DailyReport?> ReviewAsync(ReviewInput input, CancellationToken ct = default) =>
        FreezeAsync(input.Date, input.AreaId, null, input.Remarks, correction: false, ct);

    public Task<DailyReport?> CorrectAsync(CorrectInput input, CancellationToken ct = default) =>
        FreezeAsync(input.Date, input.AreaId, input.Reason, input.Remarks, correction: true, ct);

    private async Task<DailyReport?> FreezeAsync(DateOnly? dateIn, Guid? areaId, string? reasonIn, List<RemarkInput>? remarks, bool correction, CancellationToken ct)
    {
        var errors = new Errors();
        var date = reports.ValidDate(errors, dateIn);
        var reason = correction ? errors.Text("reason", reasonIn, 500, multiline: true) : null;
        if (remarks is { Count: > 200 }) errors.Add("remarks", "备注过多");
        var byArea = new Dictionary<Guid, string>();
        for (var i = 0; remarks is not null && i < remarks.Count && i < 200; i++)
        {
            var r = remarks[i];
            if (r?.AreaId is not { } id) { errors.Add($"remarks[{i}].areaId", "必填"); continue; }
            var text = errors.Text($"remarks[{i}].remark", r.Remark, 200, required: false);
            byArea[id] = text ?? "";
        }
        errors.Throw();

        var subdistrict = await figures.SubdistrictAsync(areaId, ct);
        // The report is the subdistrict's: only someone whose scope covers all of it reviews it.
        if (subdistrict is null || !db.Scope.Covers(subdistrict.Id)) return null;
        var window = figures.WindowOf(date);
        if (clock.UtcNow < window.ToUtc) throw new InvalidStepException($"统计时段到 {clock.Format(window.ToUtc)} 才结束，届时再审核");

        var versions = await db.Set<DailyReport>().Where(r => r.SubdistrictId == subdistrict.Id && r.Date == date).OrderBy(r => r.Version).ToListAsync(ct);
        var lastSigned = versions.LastOrDefault(r => r.Status == ReportStatus.Signed);
        if (!correction && lastSigned is not null) throw new InvalidStepException($"{date:yyyy-MM-dd} 的日报已签发（第 {lastSigned.Version} 版）；如需更正，请填写更正原因");
        if (correction && lastSigned is null) throw new InvalidStepException("该日报尚未签发，直接审核即可，无需更正");

        var f = await figures.ComputeAsync(subdistrict, window, ct);
        foreach (var id in byArea.Keys.Where(id => id != subdistrict.Id && f.Rows.All(r => r.AreaId != id)))
        {
            errors.Add("remarks", "备注所指的社区/村不在本日报中");
        }
        errors.Throw();
        foreach (var line in f.Rows.Append(f.Totals))
        {
            if (byArea.TryGetValue(line.AreaId, out var text)) line.Remark = text;
        }

        var user = http.HttpContext!.User;
        var now = clock.UtcNow;
        var draft = versions.LastOrDefault(r => r.Status == ReportStatus.Reviewed);
        if (draft is null)
        {
            draft = new DailyReport
            {
                SubdistrictId = subdistrict.Id, Date = date, Version = (lastSigned?.Version ?? 0) + 1, Status = ReportStatus.Reviewed,
            };
            db.Add(draft);
        }
        else
        {
            db.RemoveRange(await db.Set<DailyReportLine>().Where(l => l.ReportId == draft.Id).ToListAsync(ct));
            draft.Concurrency++;
        }
        draft.FromUtc = window.FromUtc;
        draft.ToUtc = window.ToUtc;
        draft.ComputedAt = now;
        draft.ReviewedAt = now;
        draft.ReviewedBy = user.UserId();
        draft.ReviewedByName = user.DisplayName();
        draft.Reason = correction ? reason : draft.Reason;
        var seq = 0;
        foreach (var line in f.Rows) db.Add(DailyReportLine.From(draft.Id, ++seq, line, total: false));
        db.Add(DailyReportLine.From(draft.Id, ++seq, f.Totals, total: true));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another review or a sign-off of the same day got there first (unique version, concurrency token): nothing stored.
            throw new InvalidStepException("日报刚刚被他人审核或签发，请刷新后重试");
        }
        return draft;
    }
}

/// <summary>A leader signs off (签发) the reviewed version they have read: from then on it is frozen.</summary>
public sealed class SignDailyReport(AppDbContext db, DailyFigures figures, DailyReports reports, OfficeClock clock, IHttpContextAccessor http)
{
    public sealed record SignInput(DateOnly? Date, Guid? AreaId, int? Version);

    public async Task<DailyReport?> SignAsync(SignInput input, CancellationToken ct = default)
    {
        var errors = new Errors();
        var date = reports.ValidDate(errors, input.Date);
        var version = errors.Required("version", input.Version);
        if (version is < 1) errors.Add("version", "版本号从 1 开始");
        errors.Throw();
        var subdistrict = await figures.SubdistrictAsync(input.AreaId, ct);
        if (subdistrict is null || !db.Scope.Covers(subdistrict.Id)) return null;
        var draft = await db.Set<DailyReport>().Where(r => r.SubdistrictId == subdistrict.Id && r.Date == date && r.Status == ReportStatus.Reviewed)
            .OrderByDescending(r => r.Version).FirstOrDefaultAsync(ct);
        if (draft is null) throw new InvalidStepException("该日报尚无待签发的审核稿，请统计员先审核");
        if (draft.Version != version) throw new InvalidStepException($"待签发的是第 {draft.Version} 版，请刷新后再签发");
        var user = http.HttpContext!.User;
        draft.Status = ReportStatus.Signed;
        draft.SignedAt = clock.UtcNow;
        draft.SignedBy = user.UserId();
        draft.SignedByName = user.DisplayName();
        draft.Concurrency++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new InvalidStepException("审核稿刚刚被更新，请刷新后再签发");
        }
        return draft;
    }
}
