using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Duty;

/// <summary>值守排班: a week's shifts at gates and posts, person by person, with the roster's warnings in orange.</summary>
[Authorize(Policy = Rights.Publicity)]
public sealed class RosterModel(AppDbContext db, OfficeClock clock, DutyRoster roster, ScheduleShift schedule) : PageModel
{
    public sealed class Form
    {
        public Guid? MemberId { get; set; }
        public Guid? GateId { get; set; }
        public Guid? PostId { get; set; }
        public Guid? AreaId { get; set; }
        public string? Place { get; set; }
        public DateOnly? Date { get; set; }
        public TimeOnly? From { get; set; }
        public TimeOnly? To { get; set; }
        public string? Note { get; set; }
    }

    [BindProperty(SupportsGet = true)] public DateOnly? Week { get; set; }
    [BindProperty] public Form Input { get; set; } = new();
    public DateOnly Monday { get; private set; }
    public List<DutyRoster.ShiftItem> Shifts { get; private set; } = [];
    public List<DutyRoster.MemberItem> Members { get; private set; } = [];
    public List<OrgTreeApi.GateItem> Gates { get; private set; } = [];
    public List<DutyRoster.PostItem> Posts { get; private set; } = [];
    public List<OrgTreeApi.AreaItem> Areas { get; private set; } = [];
    public int MaxHoursPerWeek => roster.MaxHoursPerWeek;
    public List<string> NewWarnings { get; private set; } = [];

    public DateOnly LocalDate(DateTimeOffset t) => DateOnly.FromDateTime(clock.ToLocal(t.UtcDateTime));

    public async Task OnGetAsync(Guid? memberId)
    {
        Input.MemberId = memberId;
        Input.Date = clock.Today;
        if (TempData["ShiftWarnings"] is string w) NewWarnings = [.. w.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        DateTimeOffset? At(DateOnly? d, TimeOnly? t, int addDays = 0)
        {
            if (d is not { } day || t is not { } time) return null;
            var local = day.AddDays(addDays).ToDateTime(time);
            return new DateTimeOffset(local, clock.Zone.GetUtcOffset(local));
        }
        // An end at or before the start is the next morning (a night shift 20:00–08:00).
        var overnight = Input.From is { } f && Input.To is { } t && t <= f ? 1 : 0;
        try
        {
            var outcome = await schedule.CreateAsync(new ScheduleShift.ShiftInput(Input.MemberId, Input.GateId, Input.PostId,
                Input.GateId is null && Input.PostId is null ? Input.AreaId : null, Input.GateId is null && Input.PostId is null ? Input.Place : null,
                At(Input.Date, Input.From), At(Input.Date, Input.To, overnight), Input.Note));
            TempData["Flash"] = "已排班。";
            if (outcome.Warnings.Count > 0) TempData["ShiftWarnings"] = string.Join("\n", outcome.Warnings.Select(x => x.Message));
            return RedirectToPage(new { week = ShiftRules.WeekOf(outcome.Shift.StartsAt, clock.Zone).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e);
            foreach (var (from, to) in new[] { ("Input.StartsAt", "Input.From"), ("Input.EndsAt", "Input.To") })
            {
                if (ModelState.TryGetValue(from, out var entry)) foreach (var err in entry.Errors.ToList()) ModelState.AddModelError(to, err.ErrorMessage);
            }
        }
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        Monday = ShiftRules.WeekOf(clock.StartOfDayUtc(Week ?? Input.Date ?? clock.Today).AddHours(12), clock.Zone);
        var list = await roster.ShiftQuery(Monday, Monday.AddDays(6), null, null).Take(2000).ToListAsync();
        Shifts = await roster.ShiftItemsAsync(list);
        Members = await roster.MemberItemsAsync(await roster.MemberQuery(null, null, null, true).Take(500).ToListAsync());
        Gates = await OrgTreeApi.Gates(db).ToListAsync();
        Posts = await roster.PostsAsync();
        Areas = [.. (await OrgTreeApi.VisibleTreeAsync(db)).Where(a => db.Scope.Covers(a.Id) && (a.Kind == AreaKind.Subdistrict || Area.IsCommunityLevel(a.Kind) || a.Kind == AreaKind.Compound))];
    }
}
