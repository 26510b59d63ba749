using EpiGrid.Data;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Complaints;

/// <summary>A ticket: its facts and clock, its timeline, and the next steps the caller may take, as buttons that say what they do.</summary>
[Authorize(Policy = Rights.SeeComplaints)]
public sealed class DetailModel(AppDbContext db, ReadComplaint read) : PageModel
{
    public sealed class NoteForm { public string? Note { get; set; } }
    public sealed class DispatchForm { public Guid? HandlerId { get; set; } public Guid? ResponderId { get; set; } public string? Note { get; set; } }
    public sealed class ActionForm { public ComplaintActionKind? Kind { get; set; } public string? Note { get; set; } }
    public sealed class ReplyForm { public string? Text { get; set; } }
    public sealed class FollowUpForm { public Satisfaction? Satisfaction { get; set; } public string? Note { get; set; } }
    public sealed class MergeForm { public Guid? IntoId { get; set; } }
    public sealed record Candidate(Guid Id, string Name, string UserName);

    public ReadComplaint.ComplaintView View { get; private set; } = null!;
    [BindProperty] public NoteForm Ack { get; set; } = new();
    [BindProperty] public DispatchForm Dispatch { get; set; } = new();
    [BindProperty] public ActionForm Act { get; set; } = new();
    [BindProperty] public ReplyForm Answer { get; set; } = new();
    [BindProperty] public FollowUpForm Follow { get; set; } = new();
    [BindProperty] public NoteForm Remind { get; set; } = new();
    [BindProperty] public MergeForm Merge { get; set; } = new();
    public List<Candidate> Candidates { get; private set; } = [];
    public string? StepError { get; private set; }

    /// <summary>A merged duplicate takes no steps of its own: it follows its primary.</summary>
    public bool Merged => View.MergedInto is not null;
    public bool CanAcknowledge => !Merged && Rights.Has(User, Rights.AcknowledgeComplaints) && View.AcknowledgedAt is null && View.Status != ComplaintStatus.Closed;
    public bool CanDispatch => !Merged && Rights.Has(User, Rights.HandleComplaints) && View.Status is ComplaintStatus.Received or ComplaintStatus.Reopened;
    public bool CanAct => !Merged && View.Status is ComplaintStatus.Dispatched or ComplaintStatus.Replied
        && (Rights.Has(User, Rights.HandleComplaints) || (Rights.Has(User, Rights.ActOnDispatchedComplaints) && IsMine));
    public bool CanReply => !Merged && Rights.Has(User, Rights.HandleComplaints) && View.Status == ComplaintStatus.Dispatched;
    public bool CanFollowUp => !Merged && Rights.Has(User, Rights.HandleComplaints) && View.Status == ComplaintStatus.Replied;
    /// <summary>The desk calls complainants back (the phone in full, with a reason, audited); so may the roles that reveal people's numbers.</summary>
    public bool CanRevealPhone => Rights.Has(User, Rights.RevealComplainant);
    public bool CanRemind => !Merged && Rights.Has(User, Rights.RemindComplaints) && View.Status != ComplaintStatus.Closed;
    public bool CanExportReceipt => Rights.Has(User, Rights.ReadComplaints) && View.Channel == ComplaintChannel.Hotline12345 && View.Reply is not null;
    public bool IsMine => View.Handler?.Id == User.UserId() || View.Responder?.Id == User.UserId();

    public async Task<IActionResult> OnGetAsync(Guid id) => await LoadAsync(id) ? Page() : NotFound();

    public Task<IActionResult> OnPostAcknowledgeAsync(Guid id, [FromServices] AcknowledgeComplaint step) =>
        RunAsync(id, "Ack.", () => step.RunAsync(id, new AcknowledgeComplaint.Input(Ack.Note), User), "已登记领导阅知。");

    public Task<IActionResult> OnPostDispatchAsync(Guid id, [FromServices] DispatchComplaint step) =>
        RunAsync(id, "Dispatch.", () => step.RunAsync(id, new DispatchComplaint.Input(Dispatch.HandlerId, Dispatch.ResponderId, Dispatch.Note), User), "已派单。");

    public Task<IActionResult> OnPostActAsync(Guid id, [FromServices] LogComplaintAction step) =>
        RunAsync(id, "Act.", () => step.RunAsync(id, new LogComplaintAction.Input(Act.Kind, Act.Note), User), "办理情况已登记。");

    public Task<IActionResult> OnPostReplyAsync(Guid id, [FromServices] ReplyToComplaint step) =>
        RunAsync(id, "Answer.", () => step.RunAsync(id, new ReplyToComplaint.Input(Answer.Text), User), "已答复群众，请按时回访。");

    public Task<IActionResult> OnPostFollowUpAsync(Guid id, [FromServices] FollowUpComplaint step) =>
        RunAsync(id, "Follow.", () => step.RunAsync(id, new FollowUpComplaint.Input(Follow.Satisfaction, Follow.Note), User), "回访结果已登记。");

    public Task<IActionResult> OnPostRemindAsync(Guid id, [FromServices] RemindHandler step) =>
        RunAsync(id, "Remind.", () => step.RunAsync(id, new RemindHandler.Input(Remind.Note), User), "督办提醒已发送给承办人。");

    public Task<IActionResult> OnPostMergeAsync(Guid id, [FromServices] MergeComplaint step) =>
        RunAsync(id, "Merge.", () => step.RunAsync(id, new MergeComplaint.Input(Merge.IntoId), User), "已合并为重复来电，随主工单办理和答复。");

    private async Task<IActionResult> RunAsync(Guid id, string prefix, Func<Task<Step>> run, string done)
    {
        Step step;
        try
        {
            step = await run();
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddFrom(e, prefix);
            return await LoadAsync(id) ? Page() : NotFound();
        }
        switch (step.Result)
        {
            case StepResult.Done:
                TempData["Flash"] = done;
                return RedirectToPage("/Complaints/Detail", new { id });
            case StepResult.NotFound:
                return NotFound();
            case StepResult.Forbidden:
                return Forbid();
            default:
                StepError = step.Message;
                return await LoadAsync(id) ? Page() : NotFound();
        }
    }

    private async Task<bool> LoadAsync(Guid id)
    {
        var v = await read.GetAsync(id, User);
        if (v is null) return false;
        View = v;
        if (CanDispatch)
        {
            Candidates = await DispatchComplaint.Candidates(db).AsNoTracking().OrderBy(u => u.UserName)
                .Select(u => new Candidate(u.Id, u.DisplayName, u.UserName!)).ToListAsync();
        }
        return true;
    }
}
