using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Disinfection;

/// <summary>Creates and edits disinfection plans — one validation for the page and the API.</summary>
public sealed class EditDisinfectionPlan(AppDbContext db, OfficeClock clock)
{
    public sealed record PlanInput(string? Name, Guid? AreaId, string[]? Places, string? Agent, int? TimesPerDay, int? EveryDays,
        DateOnly? StartDate, DateOnly? EndDate, bool? IsActive);

    public async Task<DisinfectionPlan> CreateAsync(PlanInput input)
    {
        var plan = new DisinfectionPlan { CreatedAt = clock.UtcNow };
        await ApplyAsync(plan, input);
        db.Add(plan);
        await db.SaveChangesAsync();
        return plan;
    }

    public async Task<DisinfectionPlan?> UpdateAsync(Guid id, PlanInput input)
    {
        var plan = await db.Set<DisinfectionPlan>().FirstOrDefaultAsync(p => p.Id == id);
        if (plan is null) return null;
        await ApplyAsync(plan, input);
        await db.SaveChangesAsync();
        return plan;
    }

    /// <summary>Splits what people type (顿号, commas, new lines) into places.</summary>
    public static string[] SplitPlaces(string? text) =>
        (text ?? "").Split(['、', ',', '，', ';', '；', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private async Task ApplyAsync(DisinfectionPlan plan, PlanInput input)
    {
        var errors = new Errors();
        var name = errors.Text("name", input.Name, 100);
        var areaId = errors.Required("areaId", input.AreaId);
        Area? area = null;
        if (areaId is { } a)
        {
            area = await db.Areas.AsNoTracking().FirstOrDefaultAsync(x => x.Id == a && (x.Kind == AreaKind.Community || x.Kind == AreaKind.Village || x.Kind == AreaKind.Compound));
            if (area is null) errors.Add("areaId", "社区/村或小区不存在");
        }
        var places = new List<string>();
        foreach (var raw in input.Places ?? [])
        {
            foreach (var p in SplitPlaces(raw))
            {
                var ok = errors.Text("places", p, 50);
                if (ok is null) break;
                if (!places.Contains(ok)) places.Add(ok);
            }
        }
        if (places.Count == 0 && !errors.Has("places")) errors.Add("places", "请填写消杀的小区或重点部位（如垃圾站、楼道、电梯）");
        if (places.Count > 30) errors.Add("places", "重点部位不能超过 30 处");
        var joined = string.Join(DisinfectionPlan.PlaceSeparator, places);
        if (joined.Length > 1000) errors.Add("places", "重点部位合计不能超过 1000 个字符");
        var agent = errors.Text("agent", input.Agent, 100);
        var times = errors.Required("timesPerDay", input.TimesPerDay);
        if (times is < 1 or > DisinfectionPlan.MaxTimesPerDay) errors.Add("timesPerDay", $"每天次数应在 1 到 {DisinfectionPlan.MaxTimesPerDay} 之间");
        var every = input.EveryDays ?? 1;
        if (every is < 1 or > DisinfectionPlan.MaxEveryDays) errors.Add("everyDays", $"间隔天数应在 1 到 {DisinfectionPlan.MaxEveryDays} 之间");
        var today = clock.Today;
        var start = input.StartDate ?? (plan.StartDate == default ? today : plan.StartDate);
        if (start < today.AddYears(-1) || start > today.AddYears(1)) errors.Add("startDate", "开始日期应在一年之内");
        if (input.EndDate is { } end && end < start) errors.Add("endDate", "结束日期不能早于开始日期");
        errors.Throw();

        plan.Name = name!;
        plan.AreaId = area!.Id;
        plan.CommunityId = area.Kind == AreaKind.Compound ? area.ParentId!.Value : area.Id;
        plan.Places = joined;
        plan.Agent = agent!;
        plan.TimesPerDay = times!.Value;
        plan.EveryDays = every;
        plan.StartDate = start;
        plan.EndDate = input.EndDate;
        plan.IsActive = input.IsActive ?? true;
    }
}
