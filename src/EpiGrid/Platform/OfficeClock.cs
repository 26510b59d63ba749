namespace EpiGrid.Platform;

/// <summary>
/// The office's local time at the edges: everything is stored in UTC; dates in queries, reports and pages
/// are in the office's zone (Asia/Shanghai by default). All "now" comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class OfficeClock(TimeProvider time, Microsoft.Extensions.Options.IOptions<EpiGridOptions> options)
{
    public TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    /// <summary>Now, UTC.</summary>
    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;

    public DateTime ToLocal(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    public DateOnly Today => DateOnly.FromDateTime(ToLocal(UtcNow));

    /// <summary>The UTC instant at which the given local date starts in the office's zone.</summary>
    public DateTime StartOfDayUtc(DateOnly date) =>
        TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), Zone);

    /// <summary>An instant with its office-local offset, for JSON (ISO 8601 with offset).</summary>
    public DateTimeOffset WithOffset(DateTime utc)
    {
        var local = ToLocal(utc);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    /// <summary>2020-02-07 14:30, the office's way of writing a time.</summary>
    public string Format(DateTime utc) => ToLocal(utc).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public string Format(DateTime? utc) => utc is null ? "" : Format(utc.Value);
}
