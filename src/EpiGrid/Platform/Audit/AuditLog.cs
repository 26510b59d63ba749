using System.Text.Json;
using EpiGrid.Data;

namespace EpiGrid.Platform.Audit;

/// <summary>Writes events that are not row changes (reveals, exports) into the audit log, in the caller's save. The
/// interceptor masks their details by the event rules (<see cref="AuditMask.EventDetails"/>): a string is kept in clear only
/// under a reviewed key, so pass personal text as it is — it is masked — and add a key to the reviewed list only for text
/// that is never personal.</summary>
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
