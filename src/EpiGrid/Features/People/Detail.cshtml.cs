using EpiGrid.Data;
using EpiGrid.Features.Households;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.People;

[Authorize(Policy = Rights.ReadPeople)]
public sealed class DetailModel(AppDbContext db, OfficeClock clock, ContactChain chain, CaseActions actions,
    EpiGrid.Features.Observation.PersonFollowUp followUp, EpiGrid.Features.Observation.ObservePerson observe, EpiGrid.Features.Tasks.RecordAttempt attempts) : PageModel
{
    public PersonView Person { get; private set; } = null!;
    public ContactChain.Graph Graph { get; private set; } = null!;
    public bool CanEdit { get; private set; }
    public bool CanReveal { get; private set; }
    public bool CanClose { get; private set; }
    public bool CompoundClosed { get; private set; }
    public bool IsCase => Person.Categories.Any(c => c is PersonCategory.Confirmed or PersonCategory.Suspected);
    public List<(Guid Id, string Name)> Cases { get; private set; } = [];
    public string? HouseholdLabel { get; private set; }
    public EpiGrid.Features.Observation.PersonFollowUp.View FollowUp { get; private set; } = null!;

    // Observation, checks, attempts and care (the forms of _FollowUp).
    [BindProperty] public Guid? OrderId { get; set; }
    [BindProperty] public EpiGrid.Features.Observation.QuarantineKind? OrderKind { get; set; }
    [BindProperty] public DateTime? LastExposureAt { get; set; }
    [BindProperty] public string? Site { get; set; }
    [BindProperty] public int? ExtendDays { get; set; }
    [BindProperty] public string? ExtendReason { get; set; }
    [BindProperty] public string? ReleaseNote { get; set; }
    [BindProperty] public string? Temperature { get; set; }
    [BindProperty] public EpiGrid.Features.Observation.CheckMethod? CheckMethod { get; set; }
    [BindProperty] public List<EpiGrid.Features.Observation.Symptom> Symptoms { get; set; } = [];
    [BindProperty] public Guid? TaskId { get; set; }
    [BindProperty] public EpiGrid.Features.Tasks.AttemptMethod? AttemptMethod { get; set; }
    [BindProperty] public EpiGrid.Features.Tasks.AttemptOutcome? AttemptOutcome { get; set; }
    [BindProperty] public string? AttemptNote { get; set; }
    [BindProperty] public EpiGrid.Features.Tasks.CareKind? CareKind { get; set; }
    [BindProperty] public string? CareNote { get; set; }

    [BindProperty] public string? TransferTo { get; set; }
    [BindProperty] public string? TransferBy { get; set; }
    [BindProperty] public Guid? SourcePersonId { get; set; }
    [BindProperty] public string? Relation { get; set; }
    [BindProperty] public DateTime? LastContactAt { get; set; }
    [BindProperty] public string? Reason { get; set; }

    private async Task<bool> LoadAsync(Guid id)
    {
        var p = await PersonView.LoadAsync(db, clock, id);
        if (p is null) return false;
        Person = p;
        Graph = (await chain.LoadAsync(id))!;
        FollowUp = await followUp.LoadAsync(id);
        CanEdit = Rights.Has(User, Rights.EditPeople);
        CanReveal = Rights.Has(User, Rights.Reveal);
        CanClose = Rights.Has(User, Rights.CloseCompound);
        CompoundClosed = await db.Areas.Where(a => a.Id == p.CompoundId).Select(a => a.ClosedManagement).FirstAsync();
        if (p.HouseholdId is { } h && await HouseholdsApi.DetailAsync(db, clock, h) is { } hh) HouseholdLabel = hh.Household.Label;
        if (CanEdit)
        {
            var caseIds = db.Set<PersonCategoryRow>().Where(c => c.Category == PersonCategory.Confirmed || c.Category == PersonCategory.Suspected).Select(c => c.PersonId);
            Cases = [.. (await db.Set<Person>().Where(x => caseIds.Contains(x.Id) && x.Id != id).OrderBy(x => x.Name).Take(200)
                .Select(x => new { x.Id, x.Name }).ToListAsync()).Select(x => (x.Id, x.Name))];
        }
        return true;
    }

    public async Task<IActionResult> OnGetAsync(Guid id) => await LoadAsync(id) ? Page() : NotFound();

    private async Task<IActionResult> Act(Guid id, Func<Task> action, string done)
    {
        try
        {
            await action();
            TempData["Flash"] = done;
            return RedirectToPage(new { id });
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e, prefix: "");
        }
        catch (InvalidStepException e)
        {
            ModelState.AddModelError("", e.Message);
        }
        return await LoadAsync(id) ? Page() : NotFound();
    }

    private DateTimeOffset? Local(DateTime? d) => d is { } v ? new DateTimeOffset(v, clock.Zone.GetUtcOffset(v)) : null;

    public async Task<IActionResult> OnPostOrderAsync(Guid id)
    {
        if (!Rights.Has(User, Rights.EditPeople)) return Forbid();
        return await Act(id, async () => await observe.OrderAsync(id, new(OrderKind, Local(LastExposureAt), null, Site)), "已开始医学观察。");
    }

    public async Task<IActionResult> OnPostExtendAsync(Guid id)
    {
        if (!Rights.Has(User, Rights.EditPeople)) return Forbid();
        return await Act(id, async () => await observe.ExtendAsync(OrderId ?? Guid.Empty, new(ExtendDays, ExtendReason)), "已延长观察期。");
    }

    public async Task<IActionResult> OnPostReleaseAsync(Guid id)
    {
        if (!Rights.Has(User, Rights.EditPeople)) return Forbid();
        return await Act(id, async () => await observe.CloseAsync(OrderId ?? Guid.Empty, new(EpiGrid.Features.Observation.QuarantineStatus.Released, ReleaseNote ?? "提前解除")), "已解除观察。");
    }

    public async Task<IActionResult> OnPostCheckAsync(Guid id)
    {
        if (!Rights.Has(User, Rights.EditPeople)) return Forbid();
        decimal? t = decimal.TryParse(Temperature, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;
        EpiGrid.Features.Observation.HealthCheck? check = null;
        var page = await Act(id, async () => check = await observe.CheckAsync(id, new(t, [.. Symptoms], CheckMethod ?? EpiGrid.Features.Observation.CheckMethod.Phone, null)), "已登记体温。");
        if (check?.Fever == true) TempData["Flash"] = "已登记。体温异常，已发出发热预警并生成随访任务。";
        return page;
    }

    public async Task<IActionResult> OnPostAttemptAsync(Guid id)
    {
        if (!Rights.Has(User, Rights.EditPeople)) return Forbid();
        return await Act(id, async () => await attempts.AddAsync(TaskId ?? Guid.Empty, new(AttemptMethod, AttemptOutcome, AttemptNote)), "已登记核查结果。");
    }

    public async Task<IActionResult> OnPostCareAsync(Guid id)
    {
        if (!Rights.Has(User, Rights.EditPeople)) return Forbid();
        return await Act(id, async () => await attempts.CareAsync(id, new(CareKind, CareNote)), "已记录关怀服务。");
    }

    public async Task<IActionResult> OnPostTransferAsync(Guid id)
    {
        if (!Rights.Has(User, Rights.EditPeople)) return Forbid();
        return await Act(id, async () => { if (await actions.TransferAsync(id, new(null, TransferTo, TransferBy)) is null) throw new InvalidStepException("未找到该人员"); }, "已记录转运。");
    }

    public async Task<IActionResult> OnPostTraceAsync(Guid id)
    {
        if (!Rights.Has(User, Rights.EditPeople)) return Forbid();
        CaseActions.TraceResult? result = null;
        var page = await Act(id, async () => result = await actions.TraceBuildingAsync(id, new(null)), "已生成同楼栋密切接触者。");
        if (result is not null)
        {
            TempData["Flash"] = $"{result.Building}：新登记密切接触者 {result.Created} 人，已有记录 {result.Linked} 人，{result.WithoutIdNumber} 人缺身份证号需补录。";
        }
        return page;
    }

    public async Task<IActionResult> OnPostContactAsync(Guid id)
    {
        if (!Rights.Has(User, Rights.EditPeople)) return Forbid();
        DateTimeOffset? at = LastContactAt is { } v ? new DateTimeOffset(v, clock.Zone.GetUtcOffset(v)) : null;
        return await Act(id, async () => await chain.LinkAsync(id, new(SourcePersonId, at, Relation)), "已记录接触关系。");
    }

    public async Task<IActionResult> OnPostCloseCompoundAsync(Guid id)
    {
        if (!Rights.Has(User, Rights.CloseCompound)) return Forbid();
        return await Act(id, async () =>
        {
            var errors = new Errors();
            var reason = errors.Text("reason", Reason, 200);
            errors.Throw();
            var compoundId = await db.Set<Person>().Where(p => p.Id == id).Select(p => p.CompoundId).FirstAsync();
            var compound = await db.Areas.FirstAsync(a => a.Id == compoundId);
            compound.ClosedManagement = true;
            compound.Note = $"封闭管理：{reason}";
            await db.SaveChangesAsync();
        }, "小区已实行封闭管理，其卡口显示为关闭。");
    }
}
