using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Features.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Tasks;

/// <summary>Settings of P2 (<c>EpiGrid:Observation</c>): defaults in README, "Settings".</summary>
public sealed class ObservationOptions
{
    public const string Section = "EpiGrid:Observation";
    /// <summary>Observation lasts this many days of 24 h from the last exposure.</summary>
    public int Days { get; set; } = 14;
    public TimeOnly MorningDeadline { get; set; } = new(10, 0);
    public TimeOnly EveningDeadline { get; set; } = new(20, 0);
    /// <summary>A new registration is to be verified within this many hours.</summary>
    public int VerificationHours { get; set; } = 24;
    /// <summary>A fever is followed up within this many hours.</summary>
    public int FeverFollowUpHours { get; set; } = 2;
}

/// <summary>
/// Creates tasks for the grid worker of the person's compound (its grid's worker); with no grid or no worker, the
/// task waits in the community's queue (no assignee) and the leader's page shows the gap.
/// </summary>
public sealed class AssignTasks(AppDbContext db, TimeProvider time, IOptions<ObservationOptions> options)
{
    public async Task<Guid?> GridWorkerOfAsync(Guid compoundId, CancellationToken ct = default) =>
        await db.Areas.IgnoreQueryFilters().Where(a => a.Id == compoundId)
            .Join(db.Grids.IgnoreQueryFilters(), a => a.GridId, g => g.Id, (a, g) => g.WorkerId)
            .FirstOrDefaultAsync(ct);

    /// <summary>Adds the task unless one with the same dedupe key exists (the caller saves).</summary>
    public async Task<WorkTask?> AddAsync(TaskKind kind, Guid personId, Guid compoundId, DateTime dueAt, string? dedupeKey, string? note = null, CancellationToken ct = default)
    {
        if (dedupeKey is not null && (db.ChangeTracker.Entries<WorkTask>().Any(e => e.Entity.DedupeKey == dedupeKey)
            || await db.Set<WorkTask>().IgnoreQueryFilters().AnyAsync(t => t.DedupeKey == dedupeKey, ct)))
        {
            return null;
        }
        var task = new WorkTask
        {
            Kind = kind, PersonId = personId, CompoundId = compoundId, AssigneeId = await GridWorkerOfAsync(compoundId, ct),
            DueAt = dueAt, Status = WorkTaskStatus.Open, CreatedAt = time.GetUtcNow().UtcDateTime, Note = note, DedupeKey = dedupeKey,
        };
        db.Add(task);
        return task;
    }

    /// <summary>Every new registration is verified by a named grid worker within 24 hours (setting).</summary>
    public Task<WorkTask?> AddVerificationAsync(Person person, CancellationToken ct = default) =>
        AddAsync(TaskKind.Verification, person.Id, person.CompoundId,
            time.GetUtcNow().UtcDateTime.AddHours(options.Value.VerificationHours), $"verify:{person.Id:N}", "核实身份、住址和行程", ct);
}
