using EpiGrid.Data;
using EpiGrid.Features.Alerts;
using EpiGrid.Features.People;
using EpiGrid.Features.Tasks;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Observation;

/// <summary>
/// Quarantine orders and health checks. endsAt = lastExposureAt + 14 × 24 h (the period a setting);
/// lastExposureAt defaults to the travel's leftAt, else startsAt; startsAt defaults to now. A check at ≥ 37.3 °C
/// (compared as decimal) raises a Fever alert and a follow-up task at once.
/// </summary>
public sealed class ObservePerson(AppDbContext db, OfficeClock clock, TimeProvider time, IHttpContextAccessor http, AssignTasks tasks, IOptions<ObservationOptions> options)
{
    public const decimal FeverThreshold = 37.3m;

    public sealed record OrderInput(QuarantineKind? Kind, DateTimeOffset? LastExposureAt, DateTimeOffset? StartsAt, string? Site);
    public sealed record ExtendInput(int? Days, string? Reason);
    public sealed record CloseInput(QuarantineStatus? Status, string? Note);
    public sealed record CheckInput(decimal? Temperature, Symptom[]? Symptoms, CheckMethod? Method, DateTimeOffset? TakenAt);
    public sealed record ClinicInput(string? Outcome);

    public async Task<QuarantineOrder?> OrderAsync(Guid personId, OrderInput input, CancellationToken ct = default)
    {
        var person = await db.Set<Person>().FirstOrDefaultAsync(p => p.Id == personId, ct);
        if (person is null) return null;
        var errors = new Errors();
        var kind = errors.Required("kind", input.Kind);
        var site = errors.Text("site", input.Site, 100, required: false);
        var now = clock.UtcNow;
        var startsAt = input.StartsAt?.UtcDateTime ?? now;
        if (startsAt > now.AddDays(7)) errors.Add("startsAt", "开始时间不能晚于 7 天后");
        if (startsAt < now.AddDays(-30)) errors.Add("startsAt", "开始时间不能早于 30 天前");
        var lastExposure = input.LastExposureAt?.UtcDateTime ?? person.LeftAt ?? startsAt;
        if (lastExposure > startsAt.AddDays(1)) errors.Add("lastExposureAt", "末次暴露时间不能晚于观察开始");
        if (lastExposure < now.AddDays(-60)) errors.Add("lastExposureAt", "末次暴露时间不合理");
        errors.Throw();
        if (await db.Set<QuarantineOrder>().AnyAsync(o => o.PersonId == personId && o.Status == QuarantineStatus.Active, ct))
        {
            throw new InvalidStepException("此人已有正在执行的观察/隔离");
        }
        var order = new QuarantineOrder
        {
            PersonId = person.Id, CompoundId = person.CompoundId, Kind = kind!.Value, StartsAt = startsAt, LastExposureAt = lastExposure,
            EndsAt = lastExposure.AddHours(24 * options.Value.Days), Status = QuarantineStatus.Active, Site = site,
            CreatedAt = now, CreatedBy = http.HttpContext?.User.UserId(),
        };
        db.Add(order);
        var category = kind == QuarantineKind.Home ? PersonCategory.HomeObservation : PersonCategory.CentralizedQuarantine;
        if (!await db.Set<PersonCategoryRow>().AnyAsync(c => c.PersonId == personId && c.Category == category, ct))
        {
            db.Add(new PersonCategoryRow { PersonId = personId, Category = category });
        }
        person.Status = PersonStatus.Active;
        person.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return order;
    }

    public async Task<QuarantineOrder?> ExtendAsync(Guid orderId, ExtendInput input, CancellationToken ct = default)
    {
        var order = await db.Set<QuarantineOrder>().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null) return null;
        var errors = new Errors();
        if (input.Days is not (>= 1 and <= 28)) errors.Add("days", "延长天数应在 1 到 28 之间");
        var reason = errors.Text("reason", input.Reason, 500, multiline: true);
        errors.Throw();
        if (order.Status != QuarantineStatus.Active) throw new InvalidStepException("只有观察中的可以延长");
        order.EndsAt = order.EndsAt.AddHours(24 * input.Days!.Value);
        order.ExtensionReason = string.Join("；", new[] { order.ExtensionReason, $"延长 {input.Days} 天：{reason}" }.Where(x => !string.IsNullOrEmpty(x)));
        await db.SaveChangesAsync(ct);
        return order;
    }

    /// <summary>Release early (by decision), transfer to hospital, or end otherwise.</summary>
    public async Task<QuarantineOrder?> CloseAsync(Guid orderId, CloseInput input, CancellationToken ct = default)
    {
        var order = await db.Set<QuarantineOrder>().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null) return null;
        var errors = new Errors();
        var status = errors.Required("status", input.Status);
        if (status == QuarantineStatus.Active) errors.Add("status", "应为 Released、Transferred 或 Ended");
        var note = errors.Text("note", input.Note, 500, multiline: true);
        errors.Throw();
        if (order.Status != QuarantineStatus.Active) throw new InvalidStepException("该观察已结束");
        order.Status = status!.Value;
        order.ClosedAt = clock.UtcNow;
        order.ClosingNote = note;
        var person = await db.Set<Person>().FirstAsync(p => p.Id == order.PersonId, ct);
        person.Status = status == QuarantineStatus.Transferred ? PersonStatus.Transferred : PersonStatus.Released;
        person.UpdatedAt = clock.UtcNow;
        await db.SaveChangesAsync(ct);
        return order;
    }

    public async Task<HealthCheck?> CheckAsync(Guid personId, CheckInput input, CancellationToken ct = default)
    {
        var person = await db.Set<Person>().FirstOrDefaultAsync(p => p.Id == personId, ct);
        if (person is null) return null;
        var errors = new Errors();
        var temperature = errors.Required("temperature", input.Temperature);
        if (temperature is < 34.0m or > 43.0m) errors.Add("temperature", "体温应在 34.0 到 43.0 °C 之间");
        else if (temperature is { } t && decimal.Round(t, 1) != t) errors.Add("temperature", "体温保留一位小数");
        var method = errors.Required("method", input.Method);
        var now = clock.UtcNow;
        var takenAt = input.TakenAt?.UtcDateTime ?? now;
        if (takenAt > now.AddMinutes(10)) errors.Add("takenAt", "测量时间不能在未来");
        if (takenAt < now.AddDays(-3)) errors.Add("takenAt", "只能补录 3 天内的测量");
        if (input.Symptoms is { Length: > 6 }) errors.Add("symptoms", "症状最多 6 项");
        errors.Throw();

        // The person's compound was read before any lock: refused if they moved since (ADR-018).
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await MovePerson.StillInAsync(db, person.Id, person.CompoundId, ct);
        var order = await db.Set<QuarantineOrder>().Where(o => o.PersonId == personId && o.Status == QuarantineStatus.Active).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(ct);
        var check = new HealthCheck
        {
            PersonId = personId, CompoundId = person.CompoundId, OrderId = order, Temperature = temperature!.Value,
            Symptoms = string.Join(",", (input.Symptoms ?? []).Distinct()), Method = method!.Value, TakenAt = takenAt, ReceivedAt = now,
            ByUserId = http.HttpContext?.User.UserId() is { } u && u != Guid.Empty ? u : null, Fever = temperature.Value >= FeverThreshold,
        };
        db.Add(check);
        if (check.Fever)
        {
            await RaiseAlert.AddAsync(db, time, AlertKind.Fever, $"{person.Name} 体温 {check.Temperature:0.0}℃（{clock.Format(takenAt)}），请立即随访并送发热门诊",
                person.CompoundId, dedupeKey: $"fever:{check.Id:N}", personId: person.Id, ct: ct);
            await tasks.AddAsync(TaskKind.FeverFollowUp, person.Id, person.CompoundId, now.AddHours(options.Value.FeverFollowUpHours),
                $"fever:{check.Id:N}", $"体温 {check.Temperature:0.0}℃，送发热门诊并记录结果", ct);
            if (!await db.Set<PersonCategoryRow>().AnyAsync(c => c.PersonId == personId && c.Category == PersonCategory.Fever, ct))
            {
                db.Add(new PersonCategoryRow { PersonId = personId, Category = PersonCategory.Fever });
            }
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return check;
    }

    public async Task<HealthCheck?> ClinicAsync(Guid checkId, ClinicInput input, CancellationToken ct = default)
    {
        var check = await db.Set<HealthCheck>().FirstOrDefaultAsync(c => c.Id == checkId, ct);
        if (check is null) return null;
        var errors = new Errors();
        var outcome = errors.Text("outcome", input.Outcome, 200, multiline: true);
        errors.Throw();
        if (!check.Fever) throw new InvalidStepException("只有发热的测量需要记录发热门诊结果");
        check.ClinicOutcome = outcome;
        foreach (var t in await db.Set<WorkTask>().Where(t => t.DedupeKey == $"fever:{check.Id:N}" && t.Status == WorkTaskStatus.Open).ToListAsync(ct))
        {
            t.Status = WorkTaskStatus.Done;
            t.DoneAt = clock.UtcNow;
        }
        await db.SaveChangesAsync(ct);
        return check;
    }
}
