using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using EpiGrid.Features.Inspections;
using EpiGrid.Platform;
using EpiGrid.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Inspections;

/// <summary>The app with a small photo limit, so "too large" needs no megabytes.</summary>
public sealed class SmallUploadsFactory : AppFactory
{
    public const int Limit = 4096;
    protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("EpiGrid:Uploads:MaxPhotoBytes", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}

public sealed class PhotoTests(SmallUploadsFactory app) : IClassFixture<SmallUploadsFactory>
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9];
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R'];

    private static MultipartFormDataContent Form(byte[] bytes, string fileName, string contentType)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    private async Task<string> NewInspectionAsync(HttpClient grid1)
    {
        var area = await Demo.AreaAsync(app, "春天大道");
        var today = FieldWorkData.Today(app);
        var r = await grid1.PostJsonAsync("/api/premises", new { kind = "FoodShop", name = "春天大道便民超市" + Guid.NewGuid().ToString("N")[..6], compoundId = area.Id });
        var id = JsonNode.Parse(await r.ExpectAsync(HttpStatusCode.Created))!["id"]!.GetValue<string>();
        r = await grid1.PostJsonAsync($"/api/premises/{id}/inspections", new
        {
            date = today.ToString("yyyy-MM-dd"), inspectors = "王芳", wildAnimals = "Pass", feverMedicineRegister = "NotApplicable",
            staffMasks = "Pass", disinfection = "Pass", other = "NotApplicable",
        });
        return JsonNode.Parse(await r.ExpectAsync(HttpStatusCode.Created))!["id"]!.GetValue<string>();
    }

    private Task<int> PhotoCountAsync() => app.WithDbAsync(db => db.Set<InspectionPhoto>().CountAsync());

    private string UploadDir => app.With(sp => sp.GetRequiredService<PhotoStore>().Directory);

    [Fact]
    public async Task AJpeg_IsStoredOutsideTheWebRoot_AndServedOnlyToThoseInScope()
    {
        var grid1 = await app.As("grid1");
        var inspection = await NewInspectionAsync(grid1);
        var r = await grid1.PostAsync($"/api/inspections/{inspection}/photos", Form(Jpeg, "现场.jpg", "image/jpeg"));
        var photo = JsonNode.Parse(await r.ExpectAsync(HttpStatusCode.Created))!;
        var url = photo["url"]!.GetValue<string>();
        Assert.Equal("image/jpeg", photo["contentType"]!.GetValue<string>());

        // Stored under the data directory with a random name, not under wwwroot, not under the client's name.
        var row = await app.WithDbAsync(db => db.Set<InspectionPhoto>().AsNoTracking().SingleAsync(p => p.Id == Guid.Parse(photo["id"]!.GetValue<string>())));
        var path = Path.Combine(UploadDir, row.StoredName);
        Assert.True(File.Exists(path));
        Assert.StartsWith(Path.GetFullPath(app.DataDirectory), Path.GetFullPath(path), StringComparison.Ordinal);
        var webRoot = app.With(sp => sp.GetRequiredService<IWebHostEnvironment>().WebRootPath);
        Assert.False(Path.GetFullPath(path).StartsWith(Path.GetFullPath(webRoot), StringComparison.Ordinal));
        Assert.DoesNotContain("现场", row.StoredName, StringComparison.Ordinal);
        Assert.Equal(Jpeg, await File.ReadAllBytesAsync(path));

        // In scope: the bytes, the right type, nosniff.
        var get = await grid1.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("image/jpeg", get.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", get.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(Jpeg, await get.Content.ReadAsByteArrayAsync());
        // The inspection lists it.
        var detail = await grid1.GetJsonAsync($"/api/inspections/{inspection}");
        Assert.Equal(url, detail["photos"]![0]!["url"]!.GetValue<string>());

        // Anonymous: 401. Another community's grid worker: 404. A role without field work: 403.
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync(url)).StatusCode);
        await (await (await app.As("grid2")).GetAsync(url)).ExpectAsync(HttpStatusCode.NotFound);
        await (await (await app.As("hotline")).GetAsync(url)).ExpectAsync(HttpStatusCode.Forbidden);
        // No static path reaches the file.
        foreach (var guess in new[] { $"/uploads/inspections/{row.StoredName}", $"/uploads/{row.StoredName}", $"/{row.StoredName}", $"/App_Data/uploads/inspections/{row.StoredName}" })
        {
            var g = await grid1.GetAsync(guess);
            Assert.NotEqual(HttpStatusCode.OK, g.StatusCode);
        }
    }

    [Fact]
    public async Task NotAnImage_OrTooLarge_IsRefused_AndNothingIsStored()
    {
        var grid1 = await app.As("grid1");
        var inspection = await NewInspectionAsync(grid1);
        var files = Directory.Exists(UploadDir) ? Directory.GetFiles(UploadDir).Length : 0;
        var before = await PhotoCountAsync();

        // A script named .jpg and declared image/jpeg is still not an image.
        var body = await (await grid1.PostAsync($"/api/inspections/{inspection}/photos", Form("<script>alert(1)</script>"u8.ToArray(), "x.jpg", "image/jpeg"))).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("\"file\"", body);
        // A PDF, honestly declared.
        await (await grid1.PostAsync($"/api/inspections/{inspection}/photos", Form("%PDF-1.4 ..."u8.ToArray(), "a.pdf", "application/pdf"))).ExpectAsync(HttpStatusCode.BadRequest);
        // A real JPEG header but larger than the limit.
        var big = new byte[SmallUploadsFactory.Limit + 1];
        Jpeg.CopyTo(big, 0);
        body = await (await grid1.PostAsync($"/api/inspections/{inspection}/photos", Form(big, "big.jpg", "image/jpeg"))).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("不能超过", body);
        // No file at all.
        await (await grid1.PostAsync($"/api/inspections/{inspection}/photos", new MultipartFormDataContent())).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Equal(before, await PhotoCountAsync());
        Assert.Equal(files, Directory.Exists(UploadDir) ? Directory.GetFiles(UploadDir).Length : 0);

        // A PNG within the limit is fine, whatever name it came with.
        var r = await grid1.PostAsync($"/api/inspections/{inspection}/photos", Form(Png, "photo.bin", "application/octet-stream"));
        var ok = JsonNode.Parse(await r.ExpectAsync(HttpStatusCode.Created))!;
        Assert.Equal("image/png", ok["contentType"]!.GetValue<string>());
        // Another community's grid worker cannot add a photo to it.
        await (await (await app.As("grid2")).PostAsync($"/api/inspections/{inspection}/photos", Form(Png, "p.png", "image/png"))).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public void Sniff_KnowsTheThreeFormatsByTheirFirstBytes()
    {
        Assert.Equal("image/jpeg", PhotoStore.Sniff(Jpeg)?.ContentType);
        Assert.Equal("image/png", PhotoStore.Sniff(Png)?.ContentType);
        Assert.Equal("image/webp", PhotoStore.Sniff("RIFF\0\0\0\0WEBPVP8 "u8)?.ContentType);
        Assert.Null(PhotoStore.Sniff("GIF89a"u8));
        Assert.Null(PhotoStore.Sniff("RIFF\0\0\0\0WAVE"u8));
        Assert.Null(PhotoStore.Sniff([]));
    }
}
