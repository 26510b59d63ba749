using EpiGrid.Platform.Audit;

namespace EpiGrid.Platform.Privacy;

/// <summary>
/// An export's filter, term by term, as the app parsed it: the sheet's watermark shows it whole; the audit log keeps the
/// app's own values (the name of a kind or status, a date, a record's number) and masks each value the user typed whole,
/// whatever it looks like (a keyword such as <c>x 类别=张三</c> is one value: <c>关键字=***</c>).
/// </summary>
public sealed class ExportFilter
{
    private readonly List<(string Label, string Value, bool Typed)> _terms = [];
    private readonly string _separator;

    private ExportFilter(string separator) => _separator = separator;

    /// <summary>No term yet; terms are joined with <paramref name="separator"/> in the watermark and the log.</summary>
    public static ExportFilter Of(string separator = " ") => new(separator);

    /// <summary>A value the app made (an enum's name, a date, a record's number or a name the app holds): in clear.
    /// <paramref name="label"/> is written before it as it is ("类别=", "自", or "").</summary>
    public ExportFilter App(string label, string value)
    {
        _terms.Add((label, value, false));
        return this;
    }

    /// <summary>A value the user typed (a keyword, a file's name): in the watermark, masked whole in the log. Null or empty: no term.</summary>
    public ExportFilter Typed(string label, string? value)
    {
        if (!string.IsNullOrEmpty(value)) _terms.Add((label, value, true));
        return this;
    }

    /// <summary>A date range the app parsed: 自2020-02-01 至2020-02-07 (either end may be missing).</summary>
    public ExportFilter Dates(DateOnly? from, DateOnly? to)
    {
        if (from is { } f) App("自", f.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        if (to is { } t) App("至", t.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        return this;
    }

    private string Join(bool masked) => string.Join(_separator, _terms.Select(t => t.Label + (masked && t.Typed ? AuditMask.Masked : t.Value)));

    /// <summary>The filter as the watermark shows it.</summary>
    public override string ToString() => Join(masked: false);

    /// <summary>The filter as the audit log keeps it.</summary>
    public string ForAudit() => Join(masked: true);
}
