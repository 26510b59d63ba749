using System.Net;
using EpiGrid.Features.People;
using EpiGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Tests.People;

public sealed class RegisterPersonTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static int _seq;

    /// <summary>
    /// A valid 18-digit number, new for every call in this process (Baoji address code, checksum computed). Birth date
    /// and sequence are taken from a counter: the residues below are unique for the first 10,500 calls, so two tests
    /// sharing a database never draw the same number (a random part here once made collisions possible).
    /// </summary>
    public static string NewIdNumber(bool male = true)
    {
        var n = Interlocked.Increment(ref _seq);
        var seq = (n % 500) * 2 + (male ? 1 : 0);
        var body = $"610303{1950 + n % 50:0000}{1 + n % 12:00}{1 + n % 28:00}{seq % 1000:000}";
        return body + EpiGrid.Platform.Validation.IdNumber.CheckCharacter(body);
    }

    private async Task<object> BodyAsync(string idNumber, string compound = "春天大道", string gender = "Male") => new
    {
        name = "张三", gender, idNumber, phone = "13612345678", compoundId = (await Demo.AreaAsync(app, compound)).Id,
        address = $"{compound}3号楼2单元501", categories = new[] { "Returnee", "HomeObservation" },
        travel = new { from = "湖北武汉", leftAt = "2020-01-22T08:00:00+08:00", arrivedAt = "2020-01-22T18:30:00+08:00", transport = "Rail", tripNumber = "G818" },
    };

    private Task<int> CountAsync() => app.WithDbAsync(db => db.Set<Person>().IgnoreQueryFilters().CountAsync());

    [Fact]
    public async Task Register_ValidReturnee_Returns201WithMaskedNumbersOnly_AndTheRecordReadsBack()
    {
        var grid1 = await app.As("grid1");
        var id = NewIdNumber();
        var r = await grid1.PostJsonAsync("/api/people", await BodyAsync(id));
        var body = await r.ExpectAsync(HttpStatusCode.Created);
        Assert.NotNull(r.Headers.Location);
        Assert.DoesNotContain(id, body);
        Assert.DoesNotContain("13612345678", body);
        var json = await r.JsonAsync();
        Assert.Equal(id[..6] + "********" + id[^4..], json["idNumberMasked"]!.GetValue<string>());
        Assert.Equal("136****5678", json["phoneMasked"]!.GetValue<string>());
        Assert.Equal(["HomeObservation", "Returnee"], json["categories"]!.AsArray().Select(c => c!.GetValue<string>()).Order());

        var person = await grid1.GetJsonAsync(r.Headers.Location!.OriginalString);
        Assert.Equal("张三", person["name"]!.GetValue<string>());
        Assert.Equal("Male", person["gender"]!.GetValue<string>());
        Assert.Equal("G818", person["travel"]!["tripNumber"]!.GetValue<string>());
        Assert.Equal("2020-01-22T08:00:00+08:00", person["travel"]!["leftAt"]!.GetValue<string>());
        Assert.DoesNotContain(id, person.ToJsonString());
    }

    [Fact]
    public async Task Register_CheckCharacterX_And15DigitNumberIsStoredUpgraded()
    {
        var grid1 = await app.As("grid1");
        var leader = await app.As("leader");
        var r = await grid1.PostJsonAsync("/api/people", await BodyAsync("11010519491231002x", gender: "Female"));
        await r.ExpectAsync(HttpStatusCode.Created);

        r = await grid1.PostJsonAsync("/api/people", await BodyAsync("150102880730303"));
        await r.ExpectAsync(HttpStatusCode.Created);
        var id = (await r.JsonAsync())["id"]!.GetValue<string>();
        var revealed = await (await leader.PostJsonAsync($"/api/people/{id}/reveal", new { reason = "核对证件" })).JsonAsync();
        Assert.Equal("150102198807303035", revealed["idNumber"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("610303198001010013", "校验位")]     // wrong check character
    [InlineData("610303202002300015", "出生日期")]   // 30 February
    [InlineData("991083197812162119", "省级代码")]   // unknown province
    [InlineData("610303203001010014", "出生日期")]   // born in the future
    [InlineData("6103031980010100", "18 位")]        // wrong length
    [InlineData("61030319800101001A", "最后一位")]   // letter other than X
    public async Task Register_BadIdNumber_Returns400NamingTheField_AndStoresNothing(string idNumber, string reason)
    {
        var before = await CountAsync();
        var r = await (await app.As("grid1")).PostJsonAsync("/api/people", await BodyAsync(idNumber));
        var body = await r.ExpectAsync(HttpStatusCode.BadRequest);
        var errors = (await r.JsonAsync())["errors"]!;
        Assert.Contains(reason, errors["idNumber"]![0]!.GetValue<string>());
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Register_EveryInvalidFieldIsNamed_AndNothingIsStored()
    {
        var before = await CountAsync();
        var r = await (await app.As("grid1")).PostJsonAsync("/api/people", new { name = "", gender = "Male", idNumber = "123", phone = "12345", compoundId = Guid.NewGuid(), categories = Array.Empty<string>() });
        await r.ExpectAsync(HttpStatusCode.BadRequest);
        var errors = (await r.JsonAsync())["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.Contains("name", errors);
        Assert.Contains("idNumber", errors);
        Assert.Contains("phone", errors);
        Assert.Contains("compoundId", errors);
        Assert.Contains("address", errors);
        Assert.Contains("categories", errors);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Register_DuplicateId_InScopeGivesExistingId_OutOfScopeGivesOnlyTheCommunity()
    {
        var id = NewIdNumber();
        var grid1 = await app.As("grid1");
        var first = await grid1.PostJsonAsync("/api/people", await BodyAsync(id));
        await first.ExpectAsync(HttpStatusCode.Created);
        var existing = (await first.JsonAsync())["id"]!.GetValue<string>();

        var again = await grid1.PostJsonAsync("/api/people", await BodyAsync(id));
        await again.ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(existing, (await again.JsonAsync())["existingId"]!.GetValue<string>());

        var grid2 = await app.As("grid2");
        var other = await grid2.PostJsonAsync("/api/people", await BodyAsync(id, "叉车厂小区"));
        var body = await other.ExpectAsync(HttpStatusCode.Conflict);
        var json = await other.JsonAsync();
        Assert.Equal("西关社区", json["ownerArea"]!.GetValue<string>());
        Assert.Null(json["existingId"]);
        Assert.DoesNotContain(existing, body);
    }

    [Fact]
    public async Task GridWorker_CannotSeeAnotherCommunitysPeople()
    {
        var grid2 = await app.As("grid2");
        var r = await grid2.PostJsonAsync("/api/people", await BodyAsync(NewIdNumber(), "叉车厂小区"));
        await r.ExpectAsync(HttpStatusCode.Created);
        var id = (await r.JsonAsync())["id"]!.GetValue<string>();
        var grid1 = await app.As("grid1");
        await (await grid1.GetAsync($"/api/people/{id}")).ExpectAsync(HttpStatusCode.NotFound);
        var list = await grid1.GetJsonAsync("/api/people?q=张");
        Assert.DoesNotContain(list["items"]!.AsArray(), p => p!["id"]!.GetValue<string>() == id);
        Assert.Contains((await grid2.GetJsonAsync("/api/people?q=张"))["items"]!.AsArray(), p => p!["id"]!.GetValue<string>() == id);
    }

    [Fact]
    public async Task HotlineAccount_CannotRegisterPeople_AndNothingIsWritten()
    {
        var before = await CountAsync();
        var audit = await app.WithDbAsync(db => db.Set<EpiGrid.Platform.Audit.AuditEntry>().CountAsync());
        var r = await (await app.As("hotline")).PostJsonAsync("/api/people", await BodyAsync(NewIdNumber()));
        await r.ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Equal(before, await CountAsync());
        Assert.Equal(audit, await app.WithDbAsync(db => db.Set<EpiGrid.Platform.Audit.AuditEntry>().CountAsync()));
    }

    [Fact]
    public async Task Search_ByNamePrefixAndByLast4OfIdOrPhone()
    {
        var grid1 = await app.As("grid1");
        var id = NewIdNumber();
        var body = new
        {
            name = "欧阳明", gender = "Male", idNumber = id, phone = "13998765432", compoundId = (await Demo.AreaAsync(app, "西关小区")).Id,
            address = "西关小区", categories = new[] { "CloseContact" },
        };
        await (await grid1.PostJsonAsync("/api/people", body)).ExpectAsync(HttpStatusCode.Created);
        Assert.Contains((await grid1.GetJsonAsync("/api/people?q=欧阳"))["items"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "欧阳明");
        Assert.Contains((await grid1.GetJsonAsync($"/api/people?q={id[^4..]}"))["items"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "欧阳明");
        Assert.Contains((await grid1.GetJsonAsync("/api/people?q=5432"))["items"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "欧阳明");
        var contacts = await grid1.GetJsonAsync("/api/people?category=CloseContact");
        Assert.All(contacts["items"]!.AsArray(), p => Assert.Contains("CloseContact", p!["categories"]!.ToJsonString()));
        Assert.DoesNotContain((await grid1.GetJsonAsync("/api/people?q=欧阳明明"))["items"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "欧阳明");
    }
}
