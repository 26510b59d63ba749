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
/// <item>an event's details: in clear only under a key of <see cref="EventKeysInClear"/>, or a value that is a Guid or an
/// ISO date; an export's <c>filter</c> term by term (<see cref="Filter"/>); everything else masked.</item>
/// </list>
/// The same rules serve the interceptor (new entries) and the one-time rewrite of entries stored before them
/// (<see cref="AuditChainUpgrade"/>), and they are idempotent: masking a masked value gives it back.
/// </summary>
public static partial class AuditMask
{
    /// <summary>
    /// The one masking rule: the first character (text element) and <c>**</c>, whatever the length (the mask hides it);
    /// a value of one character becomes <c>*</c>; empty stays empty; null stays null. 张三丰 → 张**, 春天大道3号楼 → 春**.
    /// </summary>
    public static string Text(string value)
    {
        if (value.Length == 0) return "";
        var first = StringInfo.GetNextTextElementLength(value);
        return first >= value.Length ? "*" : string.Concat(value.AsSpan(0, first), "**");
    }

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
    /// Keys of an event's details whose values are in clear (reviewed: a new key is masked until it is added here).
    /// Counts and flags are never text and need no entry.
    /// </summary>
    public static readonly IReadOnlySet<string> EventKeysInClear = new HashSet<string>(StringComparer.Ordinal)
    {
        // Reveal: which protected fields were shown (their names, not their values).
        "fields",
        // PasswordResetByOperator: the staff account whose password was reset (an account name, like the UserName column), and by what.
        "userName", "by",
        // Move (ADR-018): the compounds' names, and its reason — a fixed sentence of the only caller (RecordAttempt: "核查不属本辖区"),
        // which the person's timeline shows. A Reveal's "reason" (lower case) is typed by staff and masked.
        "FromName", "ToName", "Moved", "Reason",
        // Import: a fixed sentence about the tasks made.
        "tasks",
        // AuditChainRewritten (this ADR): the old chain's head and what its check found.
        "oldLastHash", "oldChainReason", "headFileHash", "headFileState", "rule",
    };

    /// <summary>An event's details (JSON), as the log records them.</summary>
    public static string EventDetails(string json)
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
        node = MaskEvent(node, null);
        return node.ToJsonString(AuditLog.Json);
    }

    private static JsonNode MaskEvent(JsonNode node, string? key)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o.ToList())
                {
                    if (v is not null) o[k] = MaskEvent(v.DeepClone(), k);
                }
                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is { } v) a[i] = MaskEvent(v.DeepClone(), key);
                }
                return a;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var s = v.GetValue<string>();
                if (key is not null && EventKeysInClear.Contains(key)) return v;
                if (key == "filter") return JsonValue.Create(Filter(s));
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

    /// <summary>Filter terms whose value is in clear: names of kinds, statuses, roles, dates, a ticket's number.</summary>
    private static readonly HashSet<string> FilterKeysInClear = new(StringComparer.Ordinal) { "类别", "状态", "类型", "角色", "日期", "受理日期", "工单" };

    /// <summary>Filter terms in clear as they are.</summary>
    private static readonly HashSet<string> FilterWordsInClear = new(StringComparer.Ordinal) { "全部", "合格", "不合格", "仅两次不合格" };

    /// <summary>
    /// An export's filter as the log records it, term by term (terms are split at spaces and ；;，,): a date or date range
    /// stays (自2020-02-01, 2020-02-01至2020-02-07); <c>key=value</c> (or <c>key：value</c>) keeps its key, and its value
    /// only for a key of kinds, statuses, roles, dates or ticket numbers; a few fixed words stay; anything else is masked.
    /// 关键字=张三；类别=返乡人员 → 关键字=张**；类别=返乡人员.
    /// </summary>
    public static string Filter(string filter)
    {
        if (filter.Length == 0) return "";
        return FilterTerm().Replace(filter, m =>
        {
            var term = m.Value;
            if (DateTerm().IsMatch(term) || FilterWordsInClear.Contains(term)) return term;
            var at = term.IndexOfAny(['=', '：', ':']);
            if (at > 0)
            {
                var key = term[..at];
                var value = term[(at + 1)..];
                if (value.Length == 0 || FilterKeysInClear.Contains(key) || DateTerm().IsMatch(value)) return term;
                return string.Concat(term.AsSpan(0, at + 1), Text(value));
            }
            return Text(term);
        });
    }

    [GeneratedRegex(@"[^\s；;，,]+", RegexOptions.CultureInvariant)]
    private static partial Regex FilterTerm();

    [GeneratedRegex(@"^(自|至|从|到)?\d{4}-\d{2}-\d{2}((至|到|~)\d{4}-\d{2}-\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTerm();
}
