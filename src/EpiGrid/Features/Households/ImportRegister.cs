using EpiGrid.Data;
using EpiGrid.Features.Imports;
using EpiGrid.Features.OrgTree;
using EpiGrid.Features.People;
using EpiGrid.Platform;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Households;

/// <summary>
/// Imports a compound's household register from the community office's .xlsx: one row per resident with the
/// headings 楼栋, 单元, 房号, 姓名, 与户主关系, 性别, 身份证号码, 联系电话, 居住类型 (and optionally 是否出租).
/// Invalid rows are listed with their spreadsheet row number, field and reason and are not stored; valid rows
/// create or extend the households.
/// <para>
/// Read with the lists' <see cref="XlsxReader"/>, within the same limits (<see cref="ImportOptions"/>): MiniExcel, used here
/// before, set none — a few-MB zip bomb inflated without bound and every shared string was kept.
/// </para>
/// </summary>
public sealed class ImportRegister(AppDbContext db, KeepRegister register, OfficeClock clock, IOptions<ImportOptions> limits)
{
    public const int MaxRows = 20_000;
    public static readonly string[] Headings = ["楼栋", "单元", "房号", "姓名", "与户主关系", "性别", "身份证号码", "联系电话", "居住类型", "是否出租"];

    public sealed record RowError(int Row, string Field, string Message);
    public sealed record Result(int Rows, int Households, int Residents, IReadOnlyList<RowError> Errors);

    public async Task<Result> ImportAsync(Guid compoundId, Stream xlsx, CancellationToken ct = default)
    {
        var compound = await db.Areas.AsNoTracking().FirstOrDefaultAsync(a => a.Id == compoundId && a.Kind == AreaKind.Compound, ct)
            ?? throw new KeyNotFoundException();
        // Each row by its heading (row 1), with its spreadsheet row number.
        var rows = new List<(int Row, Dictionary<string, object?> Cells)>();
        List<string> headings;
        try
        {
            headings = ImportFiles.ReadHead(xlsx, 0, limits.Value.Limits).Headings;
            foreach (var (row, cells) in ImportFiles.Rows(xlsx, headings.Count, limits.Value.Limits))
            {
                if (row == 1) continue;
                if (rows.Count > MaxRows) break;
                var byHeading = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var i = 0; i < headings.Count; i++)
                {
                    if (headings[i].Length > 0) byHeading.TryAdd(headings[i], cells[i]);
                }
                rows.Add((row, byHeading));
            }
        }
        catch (XlsxLimitException e)
        {
            new Errors().Add("file", e.Message).Throw();
            throw;
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or System.Xml.XmlException or IOException or NotSupportedException or ArgumentException)
        {
            new Errors().Add("file", "无法读取：请上传 .xlsx 格式的户籍登记表").Throw();
            throw;
        }
        if (rows.Count > MaxRows) new Errors().Add("file", $"一次最多导入 {MaxRows:N0} 行，请分批导入").Throw();
        if (rows.Count == 0 || !headings.Contains("房号") || !headings.Contains("姓名"))
        {
            new Errors().Add("file", "表头应包含：" + string.Join("、", Headings)).Throw();
        }

        var buildings = await db.Areas.AsNoTracking().Where(a => a.ParentId == compoundId && a.Kind == AreaKind.Building).ToDictionaryAsync(a => a.Name, a => a.Id, ct);
        var households = await db.Set<Household>().Where(h => h.CompoundId == compoundId).ToListAsync(ct);
        var existingIds = (await db.Set<Resident>().Where(r => r.CompoundId == compoundId && r.IdNumberHash != null && !r.MovedOut)
            .Select(r => new { r.HouseholdId, r.IdNumberHash }).ToListAsync(ct)).Select(x => (x.HouseholdId, x.IdNumberHash!)).ToHashSet();
        // Someone moved out is not brought back by an old sheet: the move-out is undone on the household's page.
        var movedOut = (await db.Set<Resident>().Where(r => r.CompoundId == compoundId && r.IdNumberHash != null && r.MovedOut)
            .Select(r => new { r.HouseholdId, r.IdNumberHash }).ToListAsync(ct)).Select(x => (x.HouseholdId, x.IdNumberHash!)).ToHashSet();
        var errors = new List<RowError>();
        int createdHouseholds = 0, residents = 0;
        foreach (var (rowNo, r) in rows)
        {
            string Cell(string k) => r.TryGetValue(k, out var v) ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)?.Trim() ?? "" : "";
            if (Headings.All(h => Cell(h).Length == 0)) continue; // a blank line
            var rowErrors = new Errors();
            Guid? buildingId = null;
            var buildingName = Cell("楼栋");
            if (buildingName.Length > 0)
            {
                var key = buildingName.EndsWith('楼') ? buildingName : buildingName.TrimEnd('号', '栋', '幢') + "号楼";
                if (buildings.TryGetValue(buildingName, out var b) || buildings.TryGetValue(key, out b)) buildingId = b;
                else rowErrors.Add("楼栋", $"该小区没有“{buildingName}”");
            }
            var gender = Cell("性别") switch { "男" => Gender.Male, "女" => Gender.Female, "" => (Gender?)null, _ => null };
            if (Cell("性别") is { Length: > 0 } gs && gender is null) rowErrors.Add("性别", "应为 男 或 女");
            var type = Cell("居住类型") switch { "" or "常住" or "户籍" => ResidenceType.Resident, "租住" or "租户" => ResidenceType.Renting, "流动" or "流动人口" => ResidenceType.Floating, _ => (ResidenceType?)null };
            if (type is null) rowErrors.Add("居住类型", "应为 常住、租住 或 流动");
            var unit = Cell("单元");
            var room = Cell("房号");
            if (room.Length == 0) rowErrors.Add("房号", "必填");
            var placeErrors = new Errors();
            var resident = register.ValidateResident(new KeepRegister.ResidentInput(Cell("姓名"), Cell("与户主关系"), gender ?? (rowErrors.Has("性别") ? Gender.Male : null),
                Cell("身份证号码"), Cell("联系电话"), type ?? ResidenceType.Resident), Guid.Empty, compoundId, placeErrors);
            foreach (var (field, messages) in placeErrors.ToDictionary())
            {
                var heading = field switch { "name" => "姓名", "relation" => "与户主关系", "gender" => "性别", "idNumber" => "身份证号码", "phone" => "联系电话", _ => field };
                foreach (var m in messages) rowErrors.Add(heading, m);
            }
            if (unit.Length > 20) rowErrors.Add("单元", "不能超过 20 个字符");
            if (room.Length > 20) rowErrors.Add("房号", "不能超过 20 个字符");
            if (rowErrors.Any)
            {
                errors.AddRange(rowErrors.ToDictionary().SelectMany(kv => kv.Value.Select(m => new RowError(rowNo, kv.Key, m))));
                continue;
            }
            var household = households.FirstOrDefault(h => h.BuildingId == buildingId && h.Unit == unit && h.Room == room);
            if (household is null)
            {
                household = new Household { CompoundId = compoundId, BuildingId = buildingId, Unit = unit, Room = room, CreatedAt = clock.UtcNow };
                households.Add(household);
                db.Add(household);
                createdHouseholds++;
            }
            if (household.DeregisteredAt is not null)
            {
                errors.Add(new RowError(rowNo, "房号", "该户已注销：如有人入住，请在该户页面撤销注销"));
                continue;
            }
            if (resident.IdNumberHash is { } moved && movedOut.Contains((household.Id, moved)) && !existingIds.Contains((household.Id, moved)))
            {
                errors.Add(new RowError(rowNo, "身份证号码", "此人已从该户迁出：如已迁回，请在该户页面撤销迁出"));
                continue;
            }
            if (Cell("是否出租") is "是" or "出租") household.Rented = true;
            if (resident.IdNumberHash is { } hash && !existingIds.Add((household.Id, hash)))
            {
                errors.Add(new RowError(rowNo, "身份证号码", "此人已是该户成员（重复行）"));
                continue;
            }
            resident.HouseholdId = household.Id;
            db.Add(resident);
            residents++;
        }
        await db.SaveChangesAsync(ct);
        return new Result(rows.Count, createdHouseholds, residents, errors);
    }
}
