using EpiGrid.Data;
using EpiGrid.Features.Alerts;
using EpiGrid.Features.People;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Tasks;

/// <summary>
/// An attempt to reach the person (visit or phone) and its outcome. Reached completes the task; three attempts in a
/// row that are not Reached raise an Escalation alert to the supervision group (again after every further three).
/// NotInJurisdiction leaves the task open for a transfer to the right community (or closes it for another office).
/// </summary>
public sealed class RecordAttempt(AppDbContext db, OfficeClock clock, TimeProvider time, IHttpContextAccessor http, MovePerson move)
{
    public sealed record Input(AttemptMethod? Method, AttemptOutcome? Outcome, string? Note);
    public sealed record Result(Attempt Attempt, bool Escalated, int FailuresInARow, WorkTaskStatus TaskStatus);
    public sealed record TransferInput(Guid? CompoundId, string? OtherOffice, string? Address = null);
    public sealed record CareInput(CareKind? Kind, string? Note);

    public async Task<Result?> AddAsync(Guid taskId, Input input, CancellationToken ct = default)
    {
        var task = await db.Set<WorkTask>().FirstOrDefaultAsync(t => t.Id == taskId, ct);
        if (task is null) return null;
        var errors = new Errors();
        var method = errors.Required("method", input.Method);
        var outcome = errors.Required("outcome", input.Outcome);
        var note = errors.Text("note", input.Note, 500, required: false, multiline: true);
        errors.Throw();
        if (task.Status != WorkTaskStatus.Open) throw new InvalidStepException("该任务已完成或已撤销");

        // The task's compound was read before any lock: a move that committed since would strand the attempt (and an
        // escalation) in the old compound. Refused instead (ADR-018).
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await MovePerson.StillInAsync(db, task.PersonId, task.CompoundId, ct);
        var now = clock.UtcNow;
        var attempt = new Attempt
        {
            TaskId = task.Id, PersonId = task.PersonId, CompoundId = task.CompoundId, Method = method!.Value, Outcome = outcome!.Value,
            Note = note, At = now, ByUserId = http.HttpContext!.User.UserId(),
        };
        db.Add(attempt);
        var escalated = false;
        var failures = 0;
        if (attempt.Outcome == AttemptOutcome.Reached)
        {
            task.Status = WorkTaskStatus.Done;
            task.DoneAt = now;
        }
        else
        {
            var previous = await db.Set<Attempt>().Where(a => a.TaskId == task.Id).OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
                .Select(a => a.Outcome).Take(50).ToListAsync(ct);
            failures = 1 + previous.TakeWhile(o => o != AttemptOutcome.Reached).Count();
            if (failures % 3 == 0)
            {
                var name = await db.Set<Person>().Where(p => p.Id == task.PersonId).Select(p => p.Name).FirstAsync(ct);
                escalated = await RaiseAlert.AddAsync(db, time, AlertKind.Escalation,
                    $"{name}：连续 {failures} 次{Tasks.WorkTask.KindName(task.Kind)}未成功（最近一次：{Tasks.Attempt.OutcomeName(attempt.Outcome)}），请督办组协调",
                    task.CompoundId, dedupeKey: $"escalation:{task.Id:N}:{failures}", personId: task.PersonId, ct: ct) is not null;
            }
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new Result(attempt, escalated, failures, task.Status);
    }

    /// <summary>
    /// Not our jurisdiction: move the person to the right compound with their whole file (<see cref="MovePerson"/>: its grid
    /// worker takes the open tasks), or close the task for another office. Only after the task's latest attempt found the
    /// person not to be ours (NotInJurisdiction): otherwise 409.
    /// </summary>
    public async Task<WorkTask?> TransferAsync(Guid taskId, TransferInput input, CancellationToken ct = default)
    {
        var task = await db.Set<WorkTask>().FirstOrDefaultAsync(t => t.Id == taskId, ct);
        if (task is null) return null;
        var errors = new Errors();
        var other = errors.Text("otherOffice", input.OtherOffice, 100, required: false);
        var address = errors.Text("address", input.Address, 200, required: false);
        if (input.CompoundId is null && other is null) errors.Add("compoundId", "请选择移交的小区，或填写移交的其他单位");
        errors.Throw();
        if (task.Status != WorkTaskStatus.Open) throw new InvalidStepException("该任务已完成或已撤销");
        var latest = await db.Set<Attempt>().Where(a => a.TaskId == task.Id).OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Select(a => (AttemptOutcome?)a.Outcome).FirstOrDefaultAsync(ct);
        if (latest != AttemptOutcome.NotInJurisdiction) throw new InvalidStepException("只有核查结果为“不属本辖区”后才能移交，请先登记核查结果");
        if (input.CompoundId is { } compoundId)
        {
            // The right community may be outside the caller's scope: any compound of the system (MovePerson checks it).
            if (await move.MoveAsync(task.PersonId, compoundId, "核查不属本辖区", task.Id, address, ct) is null) return null;
            await db.Entry(task).ReloadAsync(ct);
            return task;
        }
        var person = await db.Set<Person>().FirstAsync(p => p.Id == task.PersonId, ct);
        task.Status = WorkTaskStatus.Cancelled;
        task.DoneAt = clock.UtcNow;
        task.Note = $"不属本辖区，已移交：{other}";
        person.Status = PersonStatus.Closed;
        person.Note = string.Join("；", new[] { person.Note, $"移交{other}" }.Where(x => !string.IsNullOrEmpty(x)));
        await db.SaveChangesAsync(ct);
        return task;
    }

    public async Task<CareRecord?> CareAsync(Guid personId, CareInput input, CancellationToken ct = default)
    {
        var person = await db.Set<Person>().FirstOrDefaultAsync(p => p.Id == personId, ct);
        if (person is null) return null;
        var errors = new Errors();
        var kind = errors.Required("kind", input.Kind);
        var note = errors.Text("note", input.Note, 500, multiline: true);
        errors.Throw();
        var care = new CareRecord { PersonId = person.Id, CompoundId = person.CompoundId, Kind = kind!.Value, Note = note!, At = clock.UtcNow, ByUserId = http.HttpContext!.User.UserId() };
        db.Add(care);
        await db.SaveChangesAsync(ct);
        return care;
    }
}
