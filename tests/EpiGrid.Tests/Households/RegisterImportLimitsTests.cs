using System.Net;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Imports;
using EpiGrid.Tests.Infrastructure;
using Xunit.Abstractions;

namespace EpiGrid.Tests.Households;

/// <summary>The household register's upload keeps the lists' limits (EpiGrid:Imports): a zip bomb is a 400 on the file, in seconds.</summary>
[Collection(MeasuredCollection.Name)]
public sealed class RegisterImportLimitsTests(AppFactory app, ITestOutputHelper output) : IClassFixture<AppFactory>
{
    private async Task<(string Message, PeakMemory Memory)> RefusedAsync(byte[] xlsx)
    {
        var compound = await Demo.AreaAsync(app, "西关小区");
        var grid1 = await app.As("grid1");
        var content = new MultipartFormDataContent
        {
            { new StringContent(compound.Id.ToString()), "compoundId" },
            { new ByteArrayContent(xlsx), "file", "户籍登记表.xlsx" },
        };
        using var memory = new PeakMemory();
        var r = await grid1.PostAsync("/api/households/import", content);
        memory.Dispose();
        output.WriteLine($"/api/households/import, {xlsx.Length:N0}-byte upload: {(int)r.StatusCode} after {memory.Report()}");
        var body = await r.ExpectAsync(HttpStatusCode.BadRequest);
        return (JsonNode.Parse(body)!["errors"]!["file"]![0]!.GetValue<string>(), memory);
    }

    [Fact]
    public async Task RegisterImport_SheetInflatingTo3GB_Is400AtTheDefaultLimit_InSecondsWithFlatMemory()
    {
        var (message, memory) = await RefusedAsync(ZipBomb.ThreeGigabyteSheet);
        Assert.Contains("解压后超过 1,024 MB", message, StringComparison.Ordinal);
        Assert.True(memory.Elapsed < ZipBombTests.MaxSeconds, memory.Report());
        Assert.True(memory.GrowthMB < ZipBombTests.MaxGrowthMB, memory.Report());
    }

    [Fact]
    public async Task RegisterImport_OneSharedStringOf600MB_UnderTheSizeLimit_Is400WhileInflating_WithFlatMemory()
    {
        var (message, memory) = await RefusedAsync(ZipBomb.GiantSharedString);
        Assert.Contains("超过 4 MB", message, StringComparison.Ordinal);
        Assert.True(memory.Elapsed < ZipBombTests.MaxSeconds, memory.Report());
        Assert.True(memory.GrowthMB < ZipBombTests.MaxGrowthMB, memory.Report());
    }

    [Theory]
    [InlineData(nameof(CraftedXlsx.ManyNames), "名称超过 10,000 个")]
    [InlineData(nameof(CraftedXlsx.DeepCell), "嵌套超过 64 层")]
    [InlineData(nameof(CraftedXlsx.ManyStyles), "单元格格式超过 65,490 个")]
    [InlineData(nameof(CraftedXlsx.ManyEntries), "文件超过 1,000 个")]
    public async Task RegisterImport_CraftedStructure_Is400OnTheFile_WithFlatMemory(string crafted, string says)
    {
        var (message, memory) = await RefusedAsync((byte[])typeof(CraftedXlsx).GetProperty(crafted)!.GetValue(null)!);
        Assert.Contains(says, message, StringComparison.Ordinal);
        Assert.True(memory.Elapsed < ZipBombTests.MaxSeconds, memory.Report());
        Assert.True(memory.GrowthMB < ZipBombTests.MaxGrowthMB, memory.Report());
    }
}
