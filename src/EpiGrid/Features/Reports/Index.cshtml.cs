using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EpiGrid.Features.Reports;

/// <summary>日报: a day's report; the statistician reviews or corrects it, a leader signs it off.</summary>
[Authorize(Policy = Rights.ReadReports)]
public sealed class IndexModel(DailyReports reports, DailyFigures figures, EpiGrid.Platform.OfficeClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public DateOnly? Date { get; set; }
    [BindProperty(SupportsGet = true)] public int? Version { get; set; }
    [BindProperty] public List<string?> Remarks { get; set; } = [];
    [BindProperty] public List<Guid> RemarkAreas { get; set; } = [];
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public int? SignVersion { get; set; }

    public ReportView? Report { get; private set; }
    public List<VersionItem> Versions { get; private set; } = [];
    public string? StepError { get; private set; }
    public bool WindowEnded { get; private set; }
    public bool MayReview => Rights.Has(User, Rights.Imports);
    public bool MaySign => Rights.Has(User, Rights.SignReports);

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    private async Task<bool> LoadAsync()
    {
        var errors = new Errors();
        var date = reports.ValidDate(errors, Date);
        if (errors.Any)
        {
            foreach (var (k, v) in errors.ToDictionary()) foreach (var m in v) ModelState.AddModelError("Date", m);
            date = figures.CurrentDate();
        }
        Date = date;
        Report = await reports.ReadAsync(date, null, Version);
        if (Report is null) return false;
        // A version awaiting sign-off is what the page shows: the leader signs exactly the figures they read.
        if (Version is null && !Report.Signed && Report.Pending is { } pending)
        {
            Version = pending.Version;
            Report = await reports.ReadAsync(date, null, Version);
            if (Report is null) return false;
        }
        Versions = await reports.VersionsAsync(date, null) ?? [];
        WindowEnded = figures.WindowOf(date).ToUtc <= clock.UtcNow;
        return true;
    }

    private List<ReviewDailyReport.RemarkInput> RemarkInputs() =>
        [.. RemarkAreas.Select((id, i) => new ReviewDailyReport.RemarkInput(id, i < Remarks.Count ? Remarks[i] : null))];

    public Task<IActionResult> OnPostReviewAsync([FromServices] ReviewDailyReport review) =>
        StepAsync(Rights.Imports, async () => await review.ReviewAsync(new(Date, null, RemarkInputs())), "已审核，等待领导签发。");

    public Task<IActionResult> OnPostCorrectAsync([FromServices] ReviewDailyReport review) =>
        StepAsync(Rights.Imports, async () => await review.CorrectAsync(new(Date, null, Reason, RemarkInputs())), "更正稿已提交，等待领导签发。");

    public Task<IActionResult> OnPostSignAsync([FromServices] SignDailyReport sign) =>
        StepAsync(Rights.SignReports, async () => await sign.SignAsync(new(Date, null, SignVersion)), "日报已签发。");

    private async Task<IActionResult> StepAsync(string right, Func<Task<DailyReport?>> step, string done)
    {
        if (!Rights.Has(User, right)) return Forbid();
        try
        {
            if (await step() is null) return NotFound();
            TempData["Flash"] = done;
            return RedirectToPage("/Reports/Index", new { date = Date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e, "");
        }
        catch (InvalidStepException e)
        {
            StepError = e.Message;
        }
        Version = null;
        return await LoadAsync() ? Page() : NotFound();
    }
}
