using EpiGrid.Data;
using EpiGrid.Platform.Audit;

namespace EpiGrid.Platform.Privacy;

/// <summary>
/// Reveals a protected value in full: the endpoint demands the Reveal right (403 otherwise) and a reason (400
/// otherwise); every reveal is written to the audit log (who, when, whose, which field, why).
/// </summary>
public sealed class Revealer(AppDbContext db, PrivacyKit kit)
{
    public sealed record Request(string? Reason);

    /// <summary>Checks the reason; returns it trimmed, or throws a validation error.</summary>
    public static string RequireReason(string? reason)
    {
        var errors = new Validation.Errors();
        var r = errors.Text("reason", reason, 200);
        errors.Throw();
        return r!;
    }

    public async Task<Dictionary<string, string>> RevealAsync(string entity, Guid id, string reason,
        IEnumerable<(string Field, ProtectedKind Kind, string Cipher)> fields, CancellationToken ct = default)
    {
        var result = new Dictionary<string, string>();
        var names = new List<string>();
        foreach (var (field, kind, cipher) in fields)
        {
            result[field] = kit.Reveal(kind, cipher, db);
            names.Add(field);
        }
        AuditLog.Event(db, "Reveal", entity, id.ToString(), new { fields = names, reason });
        await db.SaveChangesAsync(ct);
        return result;
    }
}
