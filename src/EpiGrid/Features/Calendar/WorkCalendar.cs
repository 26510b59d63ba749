using EpiGrid.Data;
using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Features.Calendar;

public enum DayKind { Holiday, Workday }

/// <summary>
/// An exception to the Monday–Friday week that the admin keeps: a public holiday on a weekday, or a make-up
/// workday (调休) on a weekend. Days not listed follow the week.
/// </summary>
public sealed class CalendarDay
{
    public DateOnly Date { get; set; }
    public DayKind Kind { get; set; }
    public string Name { get; set; } = "";
}

internal sealed class CalendarDayConfiguration : IEntityTypeConfiguration<CalendarDay>
{
    public void Configure(EntityTypeBuilder<CalendarDay> b)
    {
        b.HasKey(d => d.Date);
        b.Property(d => d.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(d => d.Name).HasMaxLength(50).NotPersonal();
    }
}

/// <summary>Working days: Monday to Friday, except the holidays, plus the make-up workdays, of the admin's calendar.</summary>
public sealed class WorkCalendar(AppDbContext db)
{
    public static bool IsWorkingDay(DateOnly date, IReadOnlyDictionary<DateOnly, DayKind> exceptions) =>
        exceptions.TryGetValue(date, out var kind)
            ? kind == DayKind.Workday
            : date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>The <paramref name="days"/>-th working day after <paramref name="from"/> (the day itself does not count).</summary>
    public async Task<DateOnly> AddWorkingDaysAsync(DateOnly from, int days, CancellationToken ct = default)
    {
        // A year ahead is far more than any time limit needs, even across the Spring Festival.
        var until = from.AddDays(366);
        var exceptions = await db.Set<CalendarDay>().AsNoTracking()
            .Where(d => d.Date > from && d.Date <= until)
            .ToDictionaryAsync(d => d.Date, d => d.Kind, ct);
        var date = from;
        var counted = 0;
        while (counted < days)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(date, exceptions)) counted++;
        }
        return date;
    }

    /// <summary>The official 2020 calendar (国务院办公厅, with the Spring Festival holiday extended to 2 February).</summary>
    public static IReadOnlyList<CalendarDay> China2020 { get; } = Build(
    [
        ("2020-01-01", DayKind.Holiday, "元旦"),
        ("2020-01-19", DayKind.Workday, "春节调休上班"),
        ("2020-01-24", DayKind.Holiday, "春节"), ("2020-01-25", DayKind.Holiday, "春节"), ("2020-01-26", DayKind.Holiday, "春节"),
        ("2020-01-27", DayKind.Holiday, "春节"), ("2020-01-28", DayKind.Holiday, "春节"), ("2020-01-29", DayKind.Holiday, "春节"),
        ("2020-01-30", DayKind.Holiday, "春节（延长）"), ("2020-01-31", DayKind.Holiday, "春节（延长）"),
        ("2020-02-01", DayKind.Holiday, "春节（延长）"), ("2020-02-02", DayKind.Holiday, "春节（延长）"),
        ("2020-04-04", DayKind.Holiday, "清明节"), ("2020-04-05", DayKind.Holiday, "清明节"), ("2020-04-06", DayKind.Holiday, "清明节"),
        ("2020-04-26", DayKind.Workday, "劳动节调休上班"),
        ("2020-05-01", DayKind.Holiday, "劳动节"), ("2020-05-02", DayKind.Holiday, "劳动节"), ("2020-05-03", DayKind.Holiday, "劳动节"),
        ("2020-05-04", DayKind.Holiday, "劳动节"), ("2020-05-05", DayKind.Holiday, "劳动节"),
        ("2020-05-09", DayKind.Workday, "劳动节调休上班"),
        ("2020-06-25", DayKind.Holiday, "端午节"), ("2020-06-26", DayKind.Holiday, "端午节"), ("2020-06-27", DayKind.Holiday, "端午节"),
        ("2020-06-28", DayKind.Workday, "端午节调休上班"),
        ("2020-09-27", DayKind.Workday, "国庆节调休上班"),
        ("2020-10-01", DayKind.Holiday, "国庆节、中秋节"), ("2020-10-02", DayKind.Holiday, "国庆节、中秋节"),
        ("2020-10-03", DayKind.Holiday, "国庆节、中秋节"), ("2020-10-04", DayKind.Holiday, "国庆节、中秋节"),
        ("2020-10-05", DayKind.Holiday, "国庆节、中秋节"), ("2020-10-06", DayKind.Holiday, "国庆节、中秋节"),
        ("2020-10-07", DayKind.Holiday, "国庆节、中秋节"), ("2020-10-08", DayKind.Holiday, "国庆节、中秋节"),
        ("2020-10-10", DayKind.Workday, "国庆节调休上班"),
    ]);

    private static List<CalendarDay> Build((string Date, DayKind Kind, string Name)[] days) =>
        [.. days.Select(d => new CalendarDay { Date = DateOnly.ParseExact(d.Date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Kind = d.Kind, Name = d.Name })];
}
