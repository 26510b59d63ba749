using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using EpiGrid.Features.People;
using EpiGrid.Platform.Validation;

namespace EpiGrid.Features.Imports;

/// <summary>
/// The fields a list's columns map to, the returnee form's headings (docs/api.md, "Imports") that map themselves, and the
/// checks of one row: name, ID number (GB 11643-1999), phone, dates.
/// </summary>
public static class ImportFields
{
    public sealed record Field(string Key, string Heading, bool Required, string[] Aliases);

    public static readonly IReadOnlyList<Field> All =
    [
        new("name", "姓名", true, ["姓名", "名字", "旅客姓名", "乘客姓名", "人员姓名"]),
        new("gender", "性别", false, ["性别"]),
        new("idNumber", "身份证号码", true, ["身份证号码", "身份证号", "证件号码", "公民身份号码", "身份证"]),
        new("phone", "联系电话", false, ["联系电话", "手机号码", "手机号", "电话", "联系方式"]),
        new("address", "现住址", false, ["现住址", "现居住地址", "居住地址", "住址", "现居地"]),
        new("travelFrom", "从何地返回", false, ["从何地返回", "出发地", "始发地", "来源地"]),
        new("arrivedAt", "返回日期", false, ["返回日期", "到达日期", "抵达日期", "乘车日期", "乘机日期"]),
        new("transport", "交通方式", false, ["交通方式", "出行方式"]),
        new("tripNumber", "车次/航班号", false, ["车次/航班号", "车次", "航班号", "车次航班"]),
    ];

    /// <summary>The returnee form's headings (docs/api.md, "Imports"): a file whose first row has them all maps itself.</summary>
    public static readonly string[] ReturneeHeadings = [.. All.Select(f => f.Heading)];

    public static Field? Find(string key) => All.FirstOrDefault(f => f.Key == key);

    public static bool IsReturneeForm(IReadOnlyList<string> headings) => ReturneeHeadings.All(h => headings.Contains(h));

    public static Dictionary<string, string> ReturneeMapping() => All.ToDictionary(f => f.Key, f => f.Heading);

    /// <summary>A first guess for the mapping screen: each field to the first heading that is one of its usual names.</summary>
    public static Dictionary<string, string> Suggest(IReadOnlyList<string> headings)
    {
        var map = new Dictionary<string, string>();
        foreach (var f in All)
        {
            var h = f.Aliases.FirstOrDefault(a => headings.Contains(a) && !map.ContainsValue(a));
            if (h is not null) map[f.Key] = h;
        }
        return map;
    }

    /// <summary>Chinese headings stay one character each (not \uXXXX), so the stored JSON fits its column.</summary>
    public static readonly JsonSerializerOptions StoredJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ToJson(IReadOnlyDictionary<string, string> mapping) => JsonSerializer.Serialize(mapping, StoredJson);

    public static Dictionary<string, string> FromJson(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    /// <summary>
    /// Checks a mapping against a file's headings (or, with <paramref name="headings"/> null, on its own, for a template):
    /// known fields, the required ones present, each heading in the file and used once. Errors under <c>mapping.{field}</c>.
    /// </summary>
    public static Dictionary<string, string> Validate(IDictionary<string, string?>? mapping, IReadOnlyList<string>? headings, Errors errors)
    {
        var clean = new Dictionary<string, string>();
        if (mapping is null) { errors.Add("mapping", "必填"); return clean; }
        foreach (var (key, value) in mapping)
        {
            var field = Find(key);
            if (field is null) { errors.Add("mapping", $"未知字段 {(key.Length > 30 ? key[..30] : key)}"); continue; }
            var heading = errors.Text("mapping." + key, value, 100, required: false);
            if (heading is null) continue;
            if (headings is not null && !headings.Contains(heading)) { errors.Add("mapping." + key, $"文件中没有“{heading}”这一列"); continue; }
            if (clean.ContainsValue(heading)) { errors.Add("mapping." + key, $"“{heading}”已对应其他字段"); continue; }
            clean[key] = heading;
        }
        foreach (var f in All.Where(f => f.Required && !clean.ContainsKey(f.Key) && !errors.Has("mapping." + f.Key)))
        {
            errors.Add("mapping." + f.Key, $"请选择“{f.Heading}”对应的列");
        }
        return clean;
    }

    /// <summary>A cell as text: numbers without exponent or grouping, dates as yyyy-MM-dd.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string CellText(object? v) => v switch
    {
        null => "",
        string s => s.Trim(),
        DateTime d => d.TimeOfDay == TimeSpan.Zero ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : d.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e19 => d.ToString("0", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture).Trim(),
        _ => v.ToString()?.Trim() ?? "",
    };

    private static readonly string[] DateFormats =
    [
        "yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyyMMdd", "yyyy年M月d日", "yyyy-M-d H:m", "yyyy/M/d H:m", "yyyy-M-d H:m:s", "yyyy/M/d H:m:s",
        "yyyy年M月d日 H:m", "yyyy年M月d日H时m分",
    ];

    /// <summary>A date (optionally with a time) as the office's local time, or null with a reason.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static DateTime? ParseLocal(object? cell, out string? error)
    {
        error = null;
        if (cell is DateTime dt) return dt;
        var s = CellText(cell);
        if (DateTime.TryParseExact(s, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var d)) return d;
        // Shaped like a date but not one (2020-02-30): say so.
        error = System.Text.RegularExpressions.Regex.IsMatch(s, @"^\d{4}\D\d{1,2}\D\d{1,2}") || System.Text.RegularExpressions.Regex.IsMatch(s, @"^\d{8}$")
            ? "日期不存在" : "日期格式应为 2020-01-25";
        return null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Transport? ParseTransport(string s) => s switch
    {
        "火车" or "高铁" or "动车" or "铁路" or "列车" or "Rail" => Transport.Rail,
        "飞机" or "航班" or "民航" or "Air" => Transport.Air,
        "长途汽车" or "大巴" or "客车" or "汽车" or "Coach" => Transport.Coach,
        "自驾" or "私家车" or "小汽车" or "Car" => Transport.Car,
        "轮船" or "船" or "Ship" => Transport.Ship,
        "其他" or "Other" => Transport.Other,
        _ => null,
    };

    /// <summary>A valid row, normalized.</summary>
    public sealed record Parsed(int Row, string Name, Gender Gender, string IdNumber, string? Phone, string? Address, string? TravelFrom,
        DateTime? ArrivedAtUtc, Transport? Transport, string? TripNumber);

    public sealed record RowError(int Row, string Field, string Message);

    /// <summary>
    /// Checks one row; <paramref name="cell"/> gives a field's cell (null when the field is not mapped). Returns the row, or
    /// null with its errors (field named by the file's heading).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Parsed? Check(int row, Func<string, object?> cell, IReadOnlyDictionary<string, string> mapping, DateOnly today,
        Func<DateTime, DateTime> localToUtc, DateTime utcNow, List<RowError> errors)
    {
        var before = errors.Count;
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        string H(string key) => mapping.TryGetValue(key, out var h) ? h : Find(key)!.Heading;
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        string T(string key) => CellText(cell(key));
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Fail(string key, string message) => errors.Add(new RowError(row, H(key), message));

        var name = T("name");
        if (name.Length == 0) Fail("name", "姓名为空");
        else if (name.Length > 50) Fail("name", "姓名不能超过 50 个字符");
        else if (name.Any(char.IsControl)) Fail("name", "姓名含有不允许的控制字符");

        var idRaw = T("idNumber");
        string? id = null;
        if (idRaw.Length == 0) Fail("idNumber", "身份证号码为空");
        else if ((id = IdNumber.Normalize(idRaw, today, out var why)) is null) Fail("idNumber", why!);

        Gender? gender = null;
        var g = mapping.ContainsKey("gender") ? T("gender") : "";
        if (g.Length > 0)
        {
            gender = g switch { "男" or "M" or "Male" => Gender.Male, "女" or "F" or "Female" => Gender.Female, _ => null };
            if (gender is null) Fail("gender", "性别应为 男 或 女");
            else if (id is not null && IdNumber.IsMale(id) != (gender == Gender.Male)) Fail("gender", "性别与身份证号码不符");
        }

        string? phone = null;
        var p = mapping.ContainsKey("phone") ? T("phone") : "";
        if (p.Length > 0 && (phone = Phone.Validate(p)) is null) Fail("phone", "电话号码格式不正确（手机 11 位，或区号-号码）");

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        string? Text(string key, int max)
        {
            if (!mapping.ContainsKey(key)) return null;
            var v = T(key);
            if (v.Length == 0) return null;
            if (v.Length > max) { Fail(key, $"不能超过 {max} 个字符"); return null; }
            if (v.Any(char.IsControl)) { Fail(key, "含有不允许的控制字符"); return null; }
            return v;
        }
        var address = Text("address", 200);
        var from = Text("travelFrom", 100);
        var trip = Text("tripNumber", 30)?.ToUpperInvariant();

        DateTime? arrived = null;
        if (mapping.ContainsKey("arrivedAt") && cell("arrivedAt") is { } a && CellText(a).Length > 0)
        {
            var local = ParseLocal(a, out var why);
            if (local is null) Fail("arrivedAt", why!);
            else
            {
                var utc = localToUtc(local.Value);
                if (local.Value.Year < 2019) Fail("arrivedAt", "日期不合理（早于 2019 年）");
                else if (utc > utcNow.AddDays(1)) Fail("arrivedAt", "日期在未来");
                else arrived = utc;
            }
        }

        Transport? transport = null;
        var tr = Text("transport", 20);
        if (tr is not null && (transport = ParseTransport(tr)) is null) Fail("transport", "交通方式应为 火车、飞机、长途汽车、自驾、轮船 或 其他");

        if (errors.Count > before) return null;
        return new Parsed(row, name, gender ?? (IdNumber.IsMale(id!) ? Gender.Male : Gender.Female), id!, phone, address, from, arrived, transport, trip);
    }
}
