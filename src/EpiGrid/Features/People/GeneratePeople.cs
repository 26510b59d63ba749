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

    public static async Task<int> RunAsync(AppDbContext db, PrivacyKit kit, int count, int seed = 2020, CancellationToken ct = default)
    {
        var compounds = await db.Areas.IgnoreQueryFilters().Where(a => a.Kind == AreaKind.Compound).Select(a => new { a.Id, a.Name }).ToListAsync(ct);
        if (compounds.Count == 0) throw new InvalidOperationException("No compounds: start the app once in demo mode first.");
        var rng = new Random(seed);
        var conn = db.Database.GetDbConnection();
        await conn.OpenAsync(ct);
        var start = await db.Set<Person>().IgnoreQueryFilters().CountAsync(ct);
        var now = DateTime.UtcNow;
        if (db.Database.IsNpgsql()) return await PostgresAsync(db, kit, count, compounds.Select(c => (c.Id, c.Name)).ToList(), rng, start, now, ct);
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
                await person.ExecuteNonQueryAsync(ct);
                pid.Value = p["id"].Value;
                cat.Value = rng.Next(10) switch { 0 => "CloseContact", 1 or 2 => "Returnee", 3 => "HomeObservation", _ => "FloatingPopulation" };
                await category.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            Console.Write($"\r{written:N0} / {count:N0}");
        }
        Console.WriteLine();
        await db.Database.ExecuteSqlRawAsync("ANALYZE;", ct); // PostgreSQL returned above (PostgresAsync)
        return written;
    }

    /// <summary>
    /// PostgreSQL: binary COPY in batches of 20,000 people (a round trip per row ran at a few hundred rows a second on a
    /// busy machine). The category bits go in with the person; the category trigger is off during the batch's category
    /// COPY (it would only set the same bit again, one UPDATE per row).
    /// </summary>
    private static async Task<int> PostgresAsync(AppDbContext db, PrivacyKit kit, int count, List<(Guid Id, string Name)> compounds, Random rng, int start, DateTime now, CancellationToken ct)
    {
        var conn = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
        const int Batch = 20_000;
        var written = 0;
        now = DateTime.SpecifyKind(now, DateTimeKind.Utc);
        while (written < count)
        {
            var categories = new List<(Guid, string)>(Batch);
            await using var tx = await conn.BeginTransactionAsync(ct);
            await using (var person = await conn.BeginBinaryImportAsync("""
                COPY "People" ("Id","Name","Gender","DocumentType","IdNumberCipher","IdNumberHash","IdNumberLast4","IdNumberMasked",
                  "PhoneCipher","PhoneHash","PhoneLast4","PhoneMasked","CompoundId","Address","Status","CreatedAt","UpdatedAt","CategoryFlags") FROM STDIN (FORMAT BINARY)
                """, ct))
            {
                for (var i = 0; i < Batch && written < count; i++, written++)
                {
                    var n = start + written;
                    var male = rng.Next(2) == 0;
                    var birth = new DateOnly(1940, 1, 1).AddDays(n % 25_000);
                    var seq = (n / 25_000 % 500) * 2 + (male ? 1 : 0);
                    var body = $"6103{rng.Next(1, 40):00}{birth:yyyyMMdd}{seq:000}";
                    var idNumber = body + IdNumber.CheckCharacter(body);
                    var phone = $"1{rng.Next(3, 10)}{rng.Next(0, 1_000_000_000):000000000}";
                    var compound = compounds[rng.Next(compounds.Count)];
                    var id = kit.Protect(ProtectedKind.IdNumber, idNumber);
                    var ph = kit.Protect(ProtectedKind.Phone, phone);
                    var guid = Guid.CreateVersion7();
                    var name = Surnames[rng.Next(Surnames.Length)] + Given[rng.Next(Given.Length)] + (rng.Next(3) == 0 ? "" : Given[rng.Next(Given.Length)]);
                    var category = rng.Next(10) switch { 0 => PersonCategory.CloseContact, 1 or 2 => PersonCategory.Returnee, 3 => PersonCategory.HomeObservation, _ => PersonCategory.FloatingPopulation };
                    await person.StartRowAsync(ct);
                    await person.WriteAsync(guid, NpgsqlTypes.NpgsqlDbType.Uuid, ct);
                    foreach (var v in new[] { name, male ? "Male" : "Female", "ResidentId", id.Cipher, id.Hash, id.Last4, id.Masked, ph.Cipher, ph.Hash, ph.Last4, ph.Masked })
                    {
                        await person.WriteAsync(v, NpgsqlTypes.NpgsqlDbType.Varchar, ct);
                    }
                    await person.WriteAsync(compound.Id, NpgsqlTypes.NpgsqlDbType.Uuid, ct);
                    await person.WriteAsync($"{compound.Name}{rng.Next(1, 20)}号楼{rng.Next(1, 7)}单元{rng.Next(1, 30)}0{rng.Next(1, 5)}", NpgsqlTypes.NpgsqlDbType.Varchar, ct);
                    await person.WriteAsync("Active", NpgsqlTypes.NpgsqlDbType.Varchar, ct);
                    await person.WriteAsync(now, NpgsqlTypes.NpgsqlDbType.TimestampTz, ct);
                    await person.WriteAsync(now, NpgsqlTypes.NpgsqlDbType.TimestampTz, ct);
                    await person.WriteAsync(PersonCategoryFlags.Bit(category), NpgsqlTypes.NpgsqlDbType.Integer, ct);
                    categories.Add((guid, category.ToString()));
                }
                await person.CompleteAsync(ct);
            }
            await using (var off = conn.CreateCommand())
            {
                off.Transaction = tx;
                off.CommandText = "ALTER TABLE \"PersonCategories\" DISABLE TRIGGER USER";
                await off.ExecuteNonQueryAsync(ct);
            }
            await using (var cat = await conn.BeginBinaryImportAsync("COPY \"PersonCategories\" (\"PersonId\",\"Category\") FROM STDIN (FORMAT BINARY)", ct))
            {
                foreach (var (pid, c) in categories)
                {
                    await cat.StartRowAsync(ct);
                    await cat.WriteAsync(pid, NpgsqlTypes.NpgsqlDbType.Uuid, ct);
                    await cat.WriteAsync(c, NpgsqlTypes.NpgsqlDbType.Varchar, ct);
                }
                await cat.CompleteAsync(ct);
            }
            await using (var on = conn.CreateCommand())
            {
                on.Transaction = tx;
                on.CommandText = "ALTER TABLE \"PersonCategories\" ENABLE TRIGGER USER";
                await on.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            Console.Write($"\r{written:N0} / {count:N0}");
        }
        Console.WriteLine();
        await db.Database.ExecuteSqlRawAsync("ANALYZE \"People\"; ANALYZE \"PersonCategories\";", ct);
        return written;
    }
}
