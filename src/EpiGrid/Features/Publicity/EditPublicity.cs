using System.Globalization;
using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Publicity;

/// <summary>Vehicles and their runs, fixed points, materials and postings — one validation for the pages and the API.</summary>
public sealed class EditPublicity(AppDbContext db, OfficeClock clock, IHttpContextAccessor http)
{
    public sealed record VehicleInput(string? Name, string? Plate, string[]? Route, string? DailyFrom, string? DailyTo, Guid? AreaId, bool? IsActive);
    public sealed record RunInput(Guid? VehicleId, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, string[]? Route, string? Content, string? Note);
    public sealed record PointInput(string? Name, Guid? AreaId, string? Location, string? Shows, bool? IsActive);
    public sealed record MaterialInput(MaterialKind? Kind, string? Title, string? Issuer, DateOnly? IssuedOn, string? Note);
    public sealed record PostingInput(Guid? MaterialId, Guid? AreaId, Guid? PointId, string? Place, PostingMethod? Method, int? Quantity, DateOnly? Date, string? DoneBy, string? Note);

    public const int MaxDaysBack = 30;
    public const int MaxQuantity = 100_000;

    /// <summary>Splits what people type (顿号, commas, new lines) into streets or items.</summary>
    public static string[] Split(string? text) =>
        (text ?? "").Split(['、', ',', '，', ';', '；', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string? Streets(Errors errors, string field, string[]? input, bool required)
    {
        var list = new List<string>();
        foreach (var raw in input ?? [])
        {
            foreach (var s in Split(raw))
            {
                var ok = errors.Text(field, s, 50);
                if (ok is null) return null;
                if (!list.Contains(ok)) list.Add(ok);
            }
        }
        if (list.Count == 0) { if (required) errors.Add(field, "请填写路线（如：宝福路、新福路）"); return null; }
        var joined = string.Join(PublicityVehicle.Separator, list);
        if (joined.Length > 300) { errors.Add(field, "路线合计不能超过 300 个字符"); return null; }
        return joined;
    }

    private static TimeOnly? Time(Errors errors, string field, string? value, TimeOnly fallback)
    {
        if (string.IsNullOrWhiteSpace(value)) return fallback;
        if (value.Length <= 8 && (TimeOnly.TryParseExact(value.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            || TimeOnly.TryParseExact(value.Trim(), "HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out t))) return t;
        errors.Add(field, "时间格式应为 HH:mm，如 08:00");
        return null;
    }

    private async Task<Area?> AreaAsync(Errors errors, string field, Guid? id, bool allowBuildings, CancellationToken ct)
    {
        if (errors.Required(field, id) is not { } a) return null;
        var area = await db.Areas.AsNoTracking().FirstOrDefaultAsync(x => x.Id == a && x.Kind != AreaKind.District
            && (allowBuildings || x.Kind != AreaKind.Building), ct);
        if (area is null) errors.Add(field, "区域不存在");
        return area;
    }

    public async Task<PublicityVehicle> CreateVehicleAsync(VehicleInput input, CancellationToken ct = default)
    {
        var v = new PublicityVehicle { CreatedAt = clock.UtcNow };
        await ApplyAsync(v, input, ct);
        db.Add(v);
        await db.SaveChangesAsync(ct);
        return v;
    }

    public async Task<PublicityVehicle?> UpdateVehicleAsync(Guid id, VehicleInput input, CancellationToken ct = default)
    {
        var v = await db.Set<PublicityVehicle>().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (v is null) return null;
        await ApplyAsync(v, input, ct);
        await db.SaveChangesAsync(ct);
        return v;
    }

    private async Task ApplyAsync(PublicityVehicle v, VehicleInput input, CancellationToken ct)
    {
        var errors = new Errors();
        var name = errors.Text("name", input.Name, 50);
        var plate = errors.Text("plate", input.Plate, 20, required: false);
        var route = Streets(errors, "route", input.Route, required: true);
        var from = Time(errors, "dailyFrom", input.DailyFrom, new TimeOnly(8, 0));
        var to = Time(errors, "dailyTo", input.DailyTo, new TimeOnly(21, 0));
        if (from is { } f && to is { } t && t <= f) errors.Add("dailyTo", "结束时间应晚于开始时间");
        var area = await AreaAsync(errors, "areaId", input.AreaId, false, ct);
        if (area is { Kind: AreaKind.Compound }) errors.Add("areaId", "宣传车服务街道或社区/村");
        errors.Throw();
        v.Name = name!;
        v.Plate = plate;
        v.Route = route!;
        v.DailyFrom = from!.Value;
        v.DailyTo = to!.Value;
        v.AreaId = area!.Id;
        v.IsActive = input.IsActive ?? true;
    }

    public async Task<VehicleRun> RecordRunAsync(RunInput input, CancellationToken ct = default)
    {
        var errors = new Errors();
        PublicityVehicle? vehicle = null;
        if (errors.Required("vehicleId", input.VehicleId) is { } vid)
        {
            vehicle = await db.Set<PublicityVehicle>().AsNoTracking().FirstOrDefaultAsync(v => v.Id == vid, ct);
            if (vehicle is null) errors.Add("vehicleId", "宣传车不存在");
            else if (!vehicle.IsActive) errors.Add("vehicleId", "该宣传车已停用");
        }
        var start = errors.Required("startedAt", input.StartedAt);
        var end = errors.Required("endedAt", input.EndedAt);
        var now = clock.UtcNow;
        if (start is { } s)
        {
            if (s.UtcDateTime > now.AddMinutes(5)) errors.Add("startedAt", "开始时间不能晚于现在");
            else if (s.UtcDateTime < now.AddDays(-MaxDaysBack)) errors.Add("startedAt", $"只能补登 {MaxDaysBack} 天内的巡回");
        }
        if (start is { } s2 && end is { } e)
        {
            if (e <= s2) errors.Add("endedAt", "结束时间应晚于开始时间");
            else if (vehicle is not null && !errors.Has("startedAt"))
            {
                var ls = clock.ToLocal(s2.UtcDateTime);
                var le = clock.ToLocal(e.UtcDateTime);
                if (DateOnly.FromDateTime(ls) != DateOnly.FromDateTime(le) || TimeOnly.FromDateTime(ls) < vehicle.DailyFrom || TimeOnly.FromDateTime(le) > vehicle.DailyTo)
                {
                    errors.Add("endedAt", $"宣传车每天 {vehicle.DailyFrom:HH\\:mm}–{vehicle.DailyTo:HH\\:mm} 运行，巡回应在这段时间内");
                }
            }
        }
        var route = Streets(errors, "route", input.Route, required: false);
        var content = errors.Text("content", input.Content, 200, required: false);
        var note = errors.Text("note", input.Note, 500, required: false, multiline: true);
        errors.Throw();

        var run = new VehicleRun
        {
            VehicleId = vehicle!.Id, AreaId = vehicle.AreaId, Date = DateOnly.FromDateTime(clock.ToLocal(start!.Value.UtcDateTime)),
            StartedAt = start.Value.UtcDateTime, EndedAt = end!.Value.UtcDateTime, Route = route ?? vehicle.Route, Content = content, Note = note,
            RecordedAt = now, RecordedById = http.HttpContext!.User.UserId(),
        };
        db.Add(run);
        await db.SaveChangesAsync(ct);
        return run;
    }

    public async Task<PublicityPoint> CreatePointAsync(PointInput input, CancellationToken ct = default)
    {
        var p = new PublicityPoint { CreatedAt = clock.UtcNow };
        await ApplyAsync(p, input, ct);
        db.Add(p);
        await db.SaveChangesAsync(ct);
        return p;
    }

    public async Task<PublicityPoint?> UpdatePointAsync(Guid id, PointInput input, CancellationToken ct = default)
    {
        var p = await db.Set<PublicityPoint>().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (p is null) return null;
        await ApplyAsync(p, input, ct);
        await db.SaveChangesAsync(ct);
        return p;
    }

    private async Task ApplyAsync(PublicityPoint p, PointInput input, CancellationToken ct)
    {
        var errors = new Errors();
        var name = errors.Text("name", input.Name, 100);
        var area = await AreaAsync(errors, "areaId", input.AreaId, false, ct);
        var location = errors.Text("location", input.Location, 200, required: false);
        var shows = errors.Text("shows", input.Shows, 500, multiline: true);
        errors.Throw();
        p.Name = name!;
        p.AreaId = area!.Id;
        p.Location = location;
        p.Shows = shows!;
        p.IsActive = input.IsActive ?? true;
    }

    public async Task<PublicityMaterial> CreateMaterialAsync(MaterialInput input, CancellationToken ct = default)
    {
        var errors = new Errors();
        var kind = errors.Required("kind", input.Kind);
        if (kind is { } k && !Enum.IsDefined(k)) errors.Add("kind", "材料类别不正确");
        var title = errors.Text("title", input.Title, 100);
        var issuer = errors.Text("issuer", input.Issuer, 100, required: false);
        var note = errors.Text("note", input.Note, 500, required: false, multiline: true);
        if (input.IssuedOn is { } d && (d < clock.Today.AddYears(-5) || d > clock.Today.AddDays(1))) errors.Add("issuedOn", "印发日期不正确");
        if (title is not null && await db.Set<PublicityMaterial>().AnyAsync(m => m.Title == title, ct)) errors.Add("title", "已有同名的宣传材料");
        errors.Throw();
        var m = new PublicityMaterial { Kind = kind!.Value, Title = title!, Issuer = issuer, IssuedOn = input.IssuedOn, Note = note, CreatedAt = clock.UtcNow };
        db.Add(m);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.Entry(m).State = EntityState.Detached;
            new Errors().Add("title", "已有同名的宣传材料").Throw();
        }
        return m;
    }

    public async Task<MaterialPosting> RecordPostingAsync(PostingInput input, CancellationToken ct = default)
    {
        var errors = new Errors();
        if (errors.Required("materialId", input.MaterialId) is { } mid)
        {
            var material = await db.Set<PublicityMaterial>().AsNoTracking().FirstOrDefaultAsync(m => m.Id == mid, ct);
            if (material is null) errors.Add("materialId", "宣传材料不存在");
        }
        Guid? areaId = null;
        if (input.PointId is { } pid)
        {
            var point = await db.Set<PublicityPoint>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == pid, ct);
            if (point is null) errors.Add("pointId", "宣传点不存在");
            else if (input.AreaId is { } given && given != point.AreaId) errors.Add("areaId", "与宣传点所在区域不一致");
            else areaId = point.AreaId;
        }
        else
        {
            areaId = (await AreaAsync(errors, "areaId", input.AreaId, true, ct))?.Id;
        }
        var place = errors.Text("place", input.Place, 200, required: false);
        var method = errors.Required("method", input.Method);
        if (method is { } me && !Enum.IsDefined(me)) errors.Add("method", "方式应为张贴或发放");
        var quantity = errors.Required("quantity", input.Quantity);
        if (quantity is < 1 or > MaxQuantity) errors.Add("quantity", $"数量应在 1 到 {MaxQuantity} 之间");
        var today = clock.Today;
        var date = input.Date ?? today;
        if (date > today) errors.Add("date", "日期不能晚于今天");
        else if (date < today.AddDays(-MaxDaysBack)) errors.Add("date", $"只能补登 {MaxDaysBack} 天内的张贴/发放");
        var user = http.HttpContext!.User;
        var doneBy = errors.Text("doneBy", input.DoneBy, 100, required: false);
        var note = errors.Text("note", input.Note, 500, required: false, multiline: true);
        errors.Throw();

        var posting = new MaterialPosting
        {
            MaterialId = input.MaterialId!.Value, AreaId = areaId!.Value, PointId = input.PointId, Place = place, Method = method!.Value, Quantity = quantity!.Value,
            Date = date, DoneBy = doneBy ?? user.DisplayName(), Note = note, RecordedAt = clock.UtcNow, RecordedById = user.UserId(),
        };
        db.Add(posting);
        await db.SaveChangesAsync(ct);
        return posting;
    }
}
