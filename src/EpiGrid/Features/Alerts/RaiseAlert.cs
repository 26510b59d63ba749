using EpiGrid.Data;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Alerts;

/// <summary>
/// The one way an alert is raised. With a dedupe key the same thing raises it once, however often a check runs
/// (the key is unique in the database too). The alert is added to the caller's unit of work; the caller saves.
/// </summary>
public static class RaiseAlert
{
    public static async Task<Alert?> AddAsync(AppDbContext db, TimeProvider time, AlertKind kind, string subject, Guid areaId,
        string? dedupeKey = null, Guid? personId = null, Guid? gateId = null, Guid? userId = null, CancellationToken ct = default)
    {
        if (dedupeKey is not null)
        {
            if (db.ChangeTracker.Entries<Alert>().Any(e => e.Entity.DedupeKey == dedupeKey)) return null;
            if (await db.Set<Alert>().IgnoreQueryFilters().AnyAsync(a => a.DedupeKey == dedupeKey, ct)) return null;
        }
        var alert = new Alert
        {
            Kind = kind,
            Subject = subject.Length > 300 ? subject[..300] : subject,
            AreaId = areaId,
            PersonId = personId,
            GateId = gateId,
            UserId = userId,
            DedupeKey = dedupeKey,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Add(alert);
        return alert;
    }
}
