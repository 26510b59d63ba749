namespace EpiGrid.Platform.Validation;

/// <summary>
/// Field errors of one request, in Chinese, keyed by the JSON field name (camelCase). The API returns them as a
/// ValidationProblem (400, <c>errors: { field: [message] }</c>); pages mark the same fields.
/// </summary>
public sealed class Errors
{
    private readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);

    public bool Any => _byField.Count > 0;

    public Errors Add(string field, string message)
    {
        if (!_byField.TryGetValue(field, out var list)) _byField[field] = list = [];
        list.Add(message);
        return this;
    }

    public bool Has(string field) => _byField.ContainsKey(field);

    public IDictionary<string, string[]> ToDictionary() => _byField.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());

    /// <summary>A required, single-line text: present, not too long, no control characters.</summary>
    public string? Text(string field, string? value, int max, bool required = true, bool multiline = false)
    {
        var v = value?.Trim();
        if (string.IsNullOrEmpty(v))
        {
            if (required) Add(field, "必填");
            return null;
        }
        if (v.Length > max) { Add(field, $"不能超过 {max} 个字符"); return null; }
        foreach (var c in v)
        {
            if (char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'))
            {
                Add(field, "含有不允许的控制字符");
                return null;
            }
        }
        return v;
    }

    public T? Required<T>(string field, T? value) where T : struct
    {
        if (value is null) Add(field, "必填");
        return value;
    }

    public void Throw()
    {
        if (Any) throw new ValidationFailedException(this);
    }
}

/// <summary>Thrown by a use case whose input is invalid; the exception handler turns it into a 400.</summary>
public sealed class ValidationFailedException(Errors errors) : Exception("输入有误")
{
    public Errors Errors { get; } = errors;
}

/// <summary>A step that does not fit the record's state (out of order, already done): the API answers 409.</summary>
public sealed class InvalidStepException(string message) : Exception(message);
