using System.Text.Json;
using EpiGrid.Data;

namespace EpiGrid.Platform.Audit;

/// <summary>Writes events that are not row changes (reveals, exports) into the audit log, in the caller's save.</summary>
public static class AuditLog
{
    /// <summary>Chinese kept readable in the log (it is never HTML).</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    public static void Event(AppDbContext db, string action, string entity, string entityId, object details) =>
        db.Add(new AuditEntry
        {
            Action = action,
            Entity = entity,
            EntityId = entityId,
            Details = JsonSerializer.Serialize(details, Json),
        });
}
