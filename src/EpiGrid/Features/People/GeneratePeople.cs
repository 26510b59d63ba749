using System.Data.Common;
using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.People;

/// <summary>
/// Test data at scale for benchmarks (<c>dotnet run --project src/EpiGrid -c Release -- generate-people 1000000</c>):
/// people with valid, encrypted ID numbers and phones spread over the demo compounds. Writes with prepared
/// commands in large transactions, bypassing the per-row audit (generated data is not a change anyone made).
/// S1 and R2 reuse it.
/// </summary>
public static class GeneratePeople
{
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕"];
    private static readonly string[] Given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "红", "文", "玉", "兰", "志", "海", "燕", "鹏", "辉", "宇", "晨", "欣", "浩", "婷"];

    private static async Task CopyAsync(Npgsql.NpgsqlConnection conn, List<object?[]> rows, CancellationToken ct)
    {
        await using (var copy = await conn.BeginBinaryImportAsync("""
            COPY "People" ("Id","Name","Gender","DocumentType","IdNumberCipher","IdNumberHash","IdNumberLast4","IdNumberMasked",
              "PhoneCipher","PhoneHash","PhoneLast4","PhoneMasked","CompoundId","Address","Status","CreatedAt","UpdatedAt") FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var r in rows)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync((Guid)r[0]!, NpgsqlTypes.NpgsqlDbType.Uuid, ct);
                for (var c = 1; c <= 11; c++) await copy.WriteAsync((string)r[c]!, NpgsqlTypes.NpgsqlDbType.Text, ct);
                await copy.WriteAsync((Guid)r[12]!, NpgsqlTypes.NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync((string)r[13]!, NpgsqlTypes.NpgsqlDbType.Text, ct);
                await copy.WriteAsync((string)r[14]!, NpgsqlTypes.NpgsqlDbType.Text, ct);
                await copy.WriteAsync((DateTime)r[15]!, NpgsqlTypes.NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync((DateTime)r[16]!, NpgsqlTypes.NpgsqlDbType.TimestampTz, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await using (var copy = await conn.BeginBinaryImportAsync("""COPY "PersonCategories" ("PersonId","Category") FROM STDIN (FORMAT BINARY)""", ct))
        {
            foreach (var r in rows)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync((Guid)r[0]!, NpgsqlTypes.NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync((string)r[17]!, NpgsqlTypes.NpgsqlDbType.Text, ct);
            }
            await copy.CompleteAsync(ct);
        }
    }

    public static async Task<int> RunAsync(AppDbContext db, PrivacyKit kit, int count, int seed = 2020, CancellationToken ct = default)
    {
        var compounds = await db.Areas.IgnoreQueryFilters().Where(a => a.Kind == AreaKind.Compound).Select(a => new { a.Id, a.Name }).ToListAsync(ct);
        if (compounds.Count == 0) throw new InvalidOperationException("No compounds: start the app once in demo mode first.");
        var rng = new Random(seed);
        var conn = db.Database.GetDbConnection();
        await conn.OpenAsync(ct);
        var start = await db.Set<Person>().IgnoreQueryFilters().CountAsync(ct);
        var now = DateTime.UtcNow;
        var written = 0;
        const int Batch = 20_000;
        while (written < count)
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            await using var person = conn.CreateCommand();
            person.Transaction = tx;
            person.CommandText = """
                INSERT INTO "People" ("Id","Name","Gender","DocumentType","IdNumberCipher","IdNumberHash","IdNumberLast4","IdNumberMasked",
                  "PhoneCipher","PhoneHash","PhoneLast4","PhoneMasked","CompoundId","Address","Status","CreatedAt","UpdatedAt")
                VALUES (@id,@name,@gender,'ResidentId',@ic,@ih,@il,@im,@pc,@ph,@pl,@pm,@compound,@address,'Active',@now,@now)
                """;
            var p = new Dictionary<string, DbParameter>();
            foreach (var n in new[] { "id", "name", "gender", "ic", "ih", "il", "im", "pc", "ph", "pl", "pm", "compound", "address", "now" })
            {
                var par = person.CreateParameter();
                par.ParameterName = "@" + n;
                person.Parameters.Add(par);
                p[n] = par;
            }
            await using var category = conn.CreateCommand();
            category.Transaction = tx;
            category.CommandText = """INSERT INTO "PersonCategories" ("PersonId","Category") VALUES (@pid,@cat)""";
            var pid = category.CreateParameter(); pid.ParameterName = "@pid"; category.Parameters.Add(pid);
            var cat = category.CreateParameter(); cat.ParameterName = "@cat"; category.Parameters.Add(cat);

            // PostgreSQL: binary COPY (one round trip per row would take an hour for 1,000,000 people).
            var copyRows = db.Database.IsNpgsql() ? new List<object?[]>(Batch) : null;
            for (var i = 0; i < Batch && written < count; i++, written++)
            {
                var n = start + written;
                var male = rng.Next(2) == 0;
                // A unique, valid number: the running index spread over birth date and sequence.
                var birth = new DateOnly(1940, 1, 1).AddDays(n % 25_000);
                var seq = (n / 25_000 % 500) * 2 + (male ? 1 : 0);
                var body = $"6103{rng.Next(1, 40):00}{birth:yyyyMMdd}{seq:000}";
                var idNumber = body + IdNumber.CheckCharacter(body);
                var phone = $"1{rng.Next(3, 10)}{rng.Next(0, 1_000_000_000):000000000}";
                var compound = compounds[rng.Next(compounds.Count)];
                var id = kit.Protect(ProtectedKind.IdNumber, idNumber);
                var ph = kit.Protect(ProtectedKind.Phone, phone);
                var guid = Guid.CreateVersion7();
                p["id"].Value = db.Database.IsNpgsql() ? guid : guid.ToString().ToUpperInvariant();
                p["name"].Value = Surnames[rng.Next(Surnames.Length)] + Given[rng.Next(Given.Length)] + (rng.Next(3) == 0 ? "" : Given[rng.Next(Given.Length)]);
                p["gender"].Value = male ? "Male" : "Female";
                p["ic"].Value = id.Cipher; p["ih"].Value = id.Hash; p["il"].Value = id.Last4; p["im"].Value = id.Masked;
                p["pc"].Value = ph.Cipher; p["ph"].Value = ph.Hash; p["pl"].Value = ph.Last4; p["pm"].Value = ph.Masked;
                p["compound"].Value = db.Database.IsNpgsql() ? compound.Id : compound.Id.ToString().ToUpperInvariant();
                p["address"].Value = $"{compound.Name}{rng.Next(1, 20)}号楼{rng.Next(1, 7)}单元{rng.Next(1, 30)}0{rng.Next(1, 5)}";
                p["now"].Value = now;
                var category1 = rng.Next(10) switch { 0 => "CloseContact", 1 or 2 => "Returnee", 3 => "HomeObservation", _ => "FloatingPopulation" };
                if (copyRows is not null)
                {
                    copyRows.Add([.. new[] { "id", "name", "gender" }.Select(k => p[k].Value), "ResidentId",
                        .. new[] { "ic", "ih", "il", "im", "pc", "ph", "pl", "pm", "compound", "address" }.Select(k => p[k].Value), "Active", now, now, category1]);
                    continue;
                }
                await person.ExecuteNonQueryAsync(ct);
                pid.Value = p["id"].Value;
                cat.Value = category1;
                await category.ExecuteNonQueryAsync(ct);
            }
            if (copyRows is not null) await CopyAsync((Npgsql.NpgsqlConnection)conn, copyRows, ct);
            await tx.CommitAsync(ct);
            Console.Write($"\r{written:N0} / {count:N0}");
        }
        Console.WriteLine();
        if (db.Database.IsNpgsql()) await db.Database.ExecuteSqlRawAsync("ANALYZE \"People\"; ANALYZE \"PersonCategories\";", ct);
        else await db.Database.ExecuteSqlRawAsync("ANALYZE;", ct);
        return written;
    }
}
