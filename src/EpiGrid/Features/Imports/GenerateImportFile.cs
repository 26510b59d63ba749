using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Features.People;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace EpiGrid.Features.Imports;

/// <summary>
/// Large upper-level lists for benchmarks (<c>dotnet run --project src/EpiGrid -c Release -- generate-import-file 100000 list.xlsx</c>):
/// the returnee form's headings; about <paramref name="matchShare"/> of the rows name people already registered (their ID
/// numbers read back from the database), <paramref name="badShare"/> are invalid (a wrong check character, 30 February,
/// an empty name, in turn), the rest are new people (Hubei ID numbers, from a counter: never one of the generated people's)
/// whose addresses name a demo compound — with one in fifty naming none, to be placed by hand. Written streaming.
/// </summary>
public static class GenerateImportFile
{
    public static async Task<int> RunAsync(AppDbContext db, PrivacyKit kit, int count, string path, double matchShare = 0.1, double badShare = 0.01, int seed = 2020, CancellationToken ct = default)
    {
        var compounds = await db.Areas.IgnoreQueryFilters().Where(a => a.Kind == AreaKind.Compound).Select(a => a.Name).ToListAsync(ct);
        if (compounds.Count == 0) throw new InvalidOperationException("No compounds: start the app once in demo mode first.");
        var wanted = (int)(count * matchShare);
        var known = wanted == 0 ? [] : await db.Set<Person>().IgnoreQueryFilters().AsNoTracking().OrderBy(p => p.Id).Take(wanted)
            .Select(p => new { p.Name, p.IdNumberCipher }).ToListAsync(ct);
        var rng = new Random(seed);
        var startSeq = rng.Next(0, 9_800_000); // (birth date, sequence) repeat only every 10,000,000: lists of different seeds rarely share a person
        string[] surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
        string[] given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳"];
        string[] trips = ["G818", "D1234", "K1363", "MU2104", "CZ3361", "G572"];
        var badEvery = badShare <= 0 ? int.MaxValue : Math.Max(2, (int)Math.Round(1 / badShare));
        var matchEvery = known.Count == 0 ? int.MaxValue : Math.Max(1, count / known.Count);

        IEnumerable<Dictionary<string, object?>> Rows()
        {
            int k = 0, bad = 0;
            for (var i = 0; i < count; i++)
            {
                var male = rng.Next(2) == 0;
                string name, id;
                if (i % matchEvery == 0 && k < known.Count)
                {
                    name = known[k].Name;
                    id = kit.Reveal(ProtectedKind.IdNumber, known[k].IdNumberCipher, db);
                    k++;
                    male = IdNumber.IsMale(id);
                }
                else
                {
                    var n = startSeq + i;
                    var birth = new DateOnly(1950, 1, 1).AddDays(n % 20_000);
                    var seq = (n / 20_000 % 500) * 2 + (male ? 1 : 0);
                    var body = $"4201{rng.Next(2, 20):00}{birth:yyyyMMdd}{seq:000}";
                    id = body + IdNumber.CheckCharacter(body);
                    name = surnames[rng.Next(surnames.Length)] + given[rng.Next(given.Length)] + given[rng.Next(given.Length)];
                }
                var arrived = new DateOnly(2020, 1, 10).AddDays(rng.Next(0, 20)).ToString("yyyy-MM-dd");
                if (i % badEvery == badEvery - 1)
                {
                    switch (bad++ % 3)
                    {
                        case 0: id = id[..17] + (id[17] == '1' ? '2' : '1'); break;
                        case 1: arrived = "2020-02-30"; break;
                        default: name = ""; break;
                    }
                }
                var address = rng.Next(50) == 0 ? $"武汉市江汉区某街道{rng.Next(1, 99)}号" : $"{compounds[rng.Next(compounds.Count)]}{rng.Next(1, 20)}号楼{rng.Next(1, 7)}单元{rng.Next(1, 30)}0{rng.Next(1, 5)}";
                var air = rng.Next(4) == 0;
                yield return new Dictionary<string, object?>
                {
                    ["姓名"] = name, ["性别"] = male ? "男" : "女", ["身份证号码"] = id, ["联系电话"] = $"1{rng.Next(3, 10)}{rng.Next(0, 1_000_000_000):000000000}",
                    ["现住址"] = address, ["从何地返回"] = "湖北武汉", ["返回日期"] = arrived, ["交通方式"] = air ? "飞机" : "火车",
                    ["车次/航班号"] = trips[rng.Next(trips.Length)],
                };
            }
        }

        await using var file = File.Create(path);
        await file.SaveAsAsync(Rows(), cancellationToken: ct);
        return count;
    }
}
