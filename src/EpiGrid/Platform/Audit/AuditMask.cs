using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore.Metadata;

namespace EpiGrid.Platform.Audit;

/// <summary>
/// What the audit log may hold in clear (ADR-019: mask, default-deny). The log records who did what to which record and
/// when; it does not keep a second copy of the personal data. One masking rule (<see cref="Text"/>) for every text that
/// is not declared not personal:
/// <list type="bullet">
/// <item>a change entry's field: in clear only if the EF model declares its column <see cref="ProtectedFields.NotPersonal{TProperty}"/>
/// (or it is an enum, number, date, bool or Guid); every other text column masked;</item>
/// <item>an event's details: in clear only under a top-level key reviewed for its action (<see cref="EventKeysInClear"/>),
/// or a value that is a Guid or an ISO date; everything else masked. An export's filter comes built by
/// <see cref="Privacy.ExportFilter"/>, which masks what the user typed.</item>
/// </list>
/// The same rules serve the interceptor (new entries) and the one-time rewrite of entries stored before them
/// (<see cref="AuditChainUpgrade"/>), and they are idempotent: masking a masked value gives it back.
/// </summary>
public static partial class AuditMask
{
    /// <summary>The mask: the same for every value, so that neither its length nor any character is told.</summary>
    public const string Masked = "***";

    /// <summary>The one masking rule: a fixed <c>***</c> whatever the value; empty stays empty (null stays null where it is a field).</summary>
    public static string Text(string value) => value.Length == 0 ? "" : Masked;

    /// <summary>A field of a change entry, as the log records it: masked unless its column is declared not personal, or
    /// the value is not text (enum, number, date, bool, Guid).</summary>
    public static object? Field(IReadOnlyProperty p, object? value)
    {
        if (value is null || ProtectedFields.IsNotPersonal(p)) return value;
        if (value is string s) return Text(s);
        if (IsPlain(value.GetType())) return value;
        // Anything else (a list, bytes, a value object): default-deny, as text.
        return Text(JsonSerializer.Serialize(value, AuditLog.Json));
    }

    /// <summary>Whether the audit log records this column in clear.</summary>
    public static bool InClear(IReadOnlyProperty p) =>
        ProtectedFields.IsNotPersonal(p) || IsPlain(Nullable.GetUnderlyingType(p.ClrType) ?? p.ClrType);

    private static bool IsPlain(Type t) =>
        t.IsEnum || t.IsPrimitive && t != typeof(char) || t == typeof(decimal) || t == typeof(Guid) || t == typeof(DateTime)
        || t == typeof(DateTimeOffset) || t == typeof(DateOnly) || t == typeof(TimeOnly) || t == typeof(TimeSpan);

    /// <summary>
    /// Per action, the top-level keys of an event's details whose values are in clear (reviewed: a new key is masked until
    /// it is added here). Counts and flags are never text and need no entry. A key is in clear only at the top of its own
    /// action's details: the same name nested in an object, or under another action, is masked.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> EventKeysInClear = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
    {
        // Which protected fields were shown (their names, not their values). Its "reason" is typed by staff and masked.
        ["Reveal"] = Keys("fields"),
        // The staff account whose password was reset (an account name, like the UserName column), and by what.
        ["PasswordResetByOperator"] = Keys("userName", "by"),
        // ADR-018: the compounds' names, and its reason — a fixed sentence of the only caller (RecordAttempt: "核查不属本辖区").
        ["Move"] = Keys("FromName", "ToName", "Moved", "Reason"),
        // A fixed sentence about the tasks made.
        ["Import"] = Keys("tasks"),
        // Built by ExportFilter: what the user typed is masked there, what stays is the app's own (kinds, statuses, dates, ids).
        ["Export"] = Keys("filter"),
        // This ADR: the old chain's head and what its check found.
        ["AuditChainRewritten"] = Keys("oldLastHash", "oldChainReason", "headFileHash", "headFileState", "rule"),
        // This ADR: the entry's hash a head write put in the file, and the node that wrote it (a host name, not a person).
        ["AuditHeadWritten"] = Keys("headFileHash", "by"),
        // This ADR: the node that recorded a restore.
        ["AuditRestored"] = Keys("by"),
    };

    private static HashSet<string> Keys(params string[] keys) => new(keys, StringComparer.Ordinal);

    /// <summary>An event's details (JSON), as the log records them: top-level keys reviewed for <paramref name="action"/> in
    /// clear, every other text masked unless it is a Guid or an ISO date.</summary>
    public static string EventDetails(string action, string json) => EventDetails(json, EventKeysInClear.GetValueOrDefault(action));

    /// <summary>
    /// An event stored before these rules (the one-time rewrite): the keys reviewed for its action stay in clear except an
    /// export's filter, which was then the user's text as typed and is masked whole.
    /// </summary>
    public static string LegacyEventDetails(string action, string json) =>
        EventDetails(json, EventKeysInClear.GetValueOrDefault(action) is { } keys ? keys.Where(k => k != "filter").ToHashSet(StringComparer.Ordinal) : null);

    private static string EventDetails(string json, IReadOnlySet<string>? inClear)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return JsonSerializer.Serialize(Text(json), AuditLog.Json);
        }
        if (node is null) return json;
        if (node is JsonObject o)
        {
            foreach (var (k, v) in o.ToList())
            {
                if (v is null) continue;
                if (inClear is not null && inClear.Contains(k) && (v is JsonValue || v is JsonArray a && a.All(x => x is null or JsonValue))) continue;
                o[k] = MaskEvent(v.DeepClone());
            }
        }
        else
        {
            node = MaskEvent(node);
        }
        return node.ToJsonString(AuditLog.Json);
    }

    private static JsonNode MaskEvent(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o.ToList())
                {
                    if (v is not null) o[k] = MaskEvent(v.DeepClone());
                }
                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is { } v) a[i] = MaskEvent(v.DeepClone());
                }
                return a;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var s = v.GetValue<string>();
                return NotText(s) ? v : JsonValue.Create(Text(s));
            default:
                return node;
        }
    }

    /// <summary>
    /// A stored change entry's details ({ field: [old, new] }) masked by the entity's current model: a field whose column is
    /// gone, or whose entity is gone, is masked unless its values are not text. Hidden and secret columns are dropped.
    /// </summary>
    public static string ChangeDetails(IReadOnlyEntityType? entity, string json, Func<string, bool> secret)
    {
        JsonObject? fields;
        try
        {
            fields = JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            fields = null;
        }
        if (fields is null) return JsonSerializer.Serialize(Text(json), AuditLog.Json);
        foreach (var (name, values) in fields.ToList())
        {
            var p = entity?.FindProperty(name);
            if (secret(name) || p is not null && ProtectedFields.IsHidden(p))
            {
                fields.Remove(name);
                continue;
            }
            if (p is not null && InClear(p) || values is null) continue;
            fields[name] = MaskValues(values.DeepClone(), p is not null);
        }
        return fields.ToJsonString(AuditLog.Json);
    }

    // A known text column: every string masked. An unknown one: strings masked unless they are a Guid or a date.
    private static JsonNode MaskValues(JsonNode node, bool knownText) => node switch
    {
        JsonArray a => new JsonArray([.. a.Select(x => x is null ? null : MaskValues(x.DeepClone(), knownText))]),
        JsonValue v when v.GetValueKind() == JsonValueKind.String =>
            !knownText && NotText(v.GetValue<string>()) ? v : JsonValue.Create(Text(v.GetValue<string>())),
        JsonValue v => v,
        _ => JsonValue.Create(Text(node.ToJsonString(AuditLog.Json))),
    };

    /// <summary>A Guid or an ISO date/time (as System.Text.Json writes them): not text anyone typed.</summary>
    private static bool NotText(string s) => Guid.TryParseExact(s, "D", out _) || IsoDate().IsMatch(s);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDate();
}
