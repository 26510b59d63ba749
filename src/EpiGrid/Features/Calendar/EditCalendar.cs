using EpiGrid.Data;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Calendar;

/// <summary>The admin marks a day as a holiday or a make-up workday, or clears it back to the ordinary week.</summary>
public sealed class EditCalendar(AppDbContext db)
{
    public sealed record DayInput(DayKind? Kind, string? Name);

    public async Task<CalendarDay> SetAsync(DateOnly date, DayInput input)
    {
        var errors = new Errors();
        var kind = errors.Required("kind", input.Kind);
        var name = errors.Text("name", input.Name, 50, required: false);
        if (date.Year is < 2000 or > 2100) errors.Add("date", "日期超出范围");
        errors.Throw();
        var day = await db.Set<CalendarDay>().FirstOrDefaultAsync(d => d.Date == date);
        if (day is null) db.Add(day = new CalendarDay { Date = date });
        day.Kind = kind!.Value;
        day.Name = name ?? (day.Kind == DayKind.Holiday ? "节假日" : "调休上班");
        await db.SaveChangesAsync();
        return day;
    }

    public async Task<bool> ClearAsync(DateOnly date)
    {
        var day = await db.Set<CalendarDay>().FirstOrDefaultAsync(d => d.Date == date);
        if (day is null) return false;
        db.Remove(day);
        await db.SaveChangesAsync();
        return true;
    }
}
