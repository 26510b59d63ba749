using System.Text.Json;
using EpiGrid.Data;

namespace EpiGrid.Platform.Audit;

/// <summary>Writes events that are not row changes (reveals, exports) into the audit log, in the caller's save.</summary>
public static class AuditLog
{
    public static void Event(AppDbContext db, string action, string entity, string entityId, object details) =>
        db.Add(new AuditEntry
        {
            Action = action,
            Entity = entity,
            EntityId = entityId,
            Details = JsonSerializer.Serialize(details),
        });
}
