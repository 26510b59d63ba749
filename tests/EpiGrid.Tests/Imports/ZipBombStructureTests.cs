using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using EpiGrid.Features.Imports;
using EpiGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace EpiGrid.Tests.Imports;

/// <summary>
/// Workbooks small in bytes and in what they inflate to, whose structure would make the reader hold much: names by the
/// hundred thousand (the XML reader keeps every distinct name), elements nested a million deep (it keeps state per level),
/// styles by the hundred thousand, entries by the thousand (the zip reader builds an object per entry). Each a few hundred kB.
/// </summary>
public static class CraftedXlsx
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>200,000 distinct element names (<c>&lt;n0/&gt;&lt;n1/&gt;…</c>) in the shared strings part.</summary>
    public static byte[] ManyNames => Names.Value;
    private static readonly Lazy<byte[]> Names = new(() => ZipBomb.Workbook(ZipBomb.Headings, _ => { }, shared =>
    {
        ZipBomb.Write(shared, $"<sst xmlns=\"{Main}\">");
        for (var i = 0; i < 200_000; i++) ZipBomb.Write(shared, $"<n{i.ToString(CultureInfo.InvariantCulture)}/>");
        ZipBomb.Write(shared, "</sst>");
    }));

    /// <summary>200,000 distinct attribute names on elements of the sheet, before its data.</summary>
    public static byte[] ManyAttributeNames => AttributeNames.Value;
    private static readonly Lazy<byte[]> AttributeNames = new(() => ZipBomb.Workbook(ZipBomb.Headings, _ => { }, shared =>
    {
        ZipBomb.Write(shared, $"<sst xmlns=\"{Main}\">");
        for (var i = 0; i < 200_000; i += 100)
        {
            ZipBomb.Write(shared, "<x " + string.Concat(Enumerable.Range(i, 100).Select(j => $"a{j.ToString(CultureInfo.InvariantCulture)}=\"\" ")) + "/>");
        }
        ZipBomb.Write(shared, "</sst>");
    }));

    /// <summary>Elements nested a million deep, in the shared strings part (<c>&lt;a&gt;&lt;a&gt;…&lt;/a&gt;&lt;/a&gt;</c>).</summary>
    public static byte[] DeepSharedStrings => DeepShared.Value;
    private static readonly Lazy<byte[]> DeepShared = new(() => ZipBomb.Workbook(ZipBomb.Headings, _ => { }, shared =>
    {
        ZipBomb.Write(shared, $"<sst xmlns=\"{Main}\">");
        ZipBomb.Repeat(shared, "<a>"u8.ToArray(), 3_000_000);
        ZipBomb.Repeat(shared, "</a>"u8.ToArray(), 4_000_000);
        ZipBomb.Write(shared, "</sst>");
    }));

    /// <summary>Elements nested 500,000 deep inside a cell of row 2 (the rows the upload reads): 3.5 MB, under the 4 MB a node may take.</summary>
    public static byte[] DeepCell => Deep.Value;
    private static readonly Lazy<byte[]> Deep = new(() => ZipBomb.Workbook(ZipBomb.Headings, sheet =>
    {
        ZipBomb.Write(sheet, "<row><c t=\"inlineStr\"><is>");
        ZipBomb.Repeat(sheet, "<a>"u8.ToArray(), 1_500_000);
        ZipBomb.Repeat(sheet, "</a>"u8.ToArray(), 2_000_000);
        ZipBomb.Write(sheet, "<t>x</t></is></c></row>");
    }));

    /// <summary>A styles part with <paramref name="xfs"/> cell formats and <paramref name="numFmts"/> number formats.</summary>
    public static byte[] Styles(int xfs, int numFmts) => ZipBomb.Workbook(ZipBomb.Headings, _ => { }, styles: styles =>
    {
        ZipBomb.Write(styles, $"<styleSheet xmlns=\"{Main}\"><numFmts count=\"{numFmts}\">");
        for (var i = 0; i < numFmts; i++) ZipBomb.Write(styles, $"<numFmt numFmtId=\"{(164 + i).ToString(CultureInfo.InvariantCulture)}\" formatCode=\"0.00\"/>");
        ZipBomb.Write(styles, $"</numFmts><cellXfs count=\"{xfs}\">");
        ZipBomb.Repeat(styles, "<xf numFmtId=\"0\"/>"u8.ToArray(), (long)xfs * "<xf numFmtId=\"0\"/>".Length);
        ZipBomb.Write(styles, "</cellXfs></styleSheet>");
    });

    public static byte[] ManyStyles => ManyXfs.Value;
    private static readonly Lazy<byte[]> ManyXfs = new(() => Styles(200_000, 1));

    public static byte[] ManyNumberFormats => ManyNumFmts.Value;
    private static readonly Lazy<byte[]> ManyNumFmts = new(() => Styles(1, 20_000));

    /// <summary>A good workbook plus <paramref name="count"/> empty entries.</summary>
    public static byte[] Entries(int count) => ZipBomb.Workbook(ZipBomb.Headings, _ => { }, more: zip =>
    {
        for (var i = 0; i < count; i++) zip.CreateEntry($"e/{i.ToString(CultureInfo.InvariantCulture)}", CompressionLevel.NoCompression).Open().Dispose();
    });

    public static byte[] ManyEntries => ManyEntriesFile.Value;
    private static readonly Lazy<byte[]> ManyEntriesFile = new(() => Entries(20_000));
}

/// <summary>The reader's limits on a workbook's structure (names, depth, styles, entries): a 400 on the file, memory flat.</summary>
[Collection(MeasuredCollection.Name)]
public sealed class ZipBombStructureTests(AppFactory app, ITestOutputHelper output) : IClassFixture<AppFactory>
{
    public static TheoryData<string, string> Crafted => new()
    {
        { nameof(CraftedXlsx.ManyNames), "名称超过 10,000 个" },
        { nameof(CraftedXlsx.ManyAttributeNames), "名称超过 10,000 个" },
        { nameof(CraftedXlsx.DeepSharedStrings), "嵌套超过 64 层" },
        { nameof(CraftedXlsx.DeepCell), "嵌套超过 64 层" },
        { nameof(CraftedXlsx.ManyStyles), "单元格格式超过 65,490 个" },
        { nameof(CraftedXlsx.ManyNumberFormats), "数字格式超过 5,000 个" },
        { nameof(CraftedXlsx.ManyEntries), "文件超过 1,000 个" },
    };

    private static byte[] File(string name) => (byte[])typeof(CraftedXlsx).GetProperty(name)!.GetValue(null)!;

    [Theory]
    [MemberData(nameof(Crafted))]
    public async Task ListUpload_CraftedStructure_Is400OnTheFile_WithFlatMemory(string crafted, string says)
    {
        var xlsx = File(crafted);
        var stats = await app.As("stats");
        using var memory = new PeakMemory();
        var r = await stats.PostAsync("/api/imports", ImportData.Upload(xlsx, name: $"{crafted}.xlsx"));
        memory.Dispose();
        output.WriteLine($"/api/imports, {crafted}, {xlsx.Length:N0}-byte upload: {(int)r.StatusCode} after {memory.Report()}");
        var message = JsonNode.Parse(await r.ExpectAsync(HttpStatusCode.BadRequest))!["errors"]!["file"]![0]!.GetValue<string>();
        Assert.Contains(says, message, StringComparison.Ordinal);
        Assert.True(memory.Elapsed < ZipBombTests.MaxSeconds, memory.Report());
        Assert.True(memory.GrowthMB < ZipBombTests.MaxGrowthMB, memory.Report());
        Assert.False(await app.WithDbAsync(db => db.Set<ImportJob>().AnyAsync(i => i.FileName == $"{crafted}.xlsx")));
    }

    [Fact]
    public async Task ListUpload_WithinTheStructureLimits_IsAccepted()
    {
        // 65,490 cell formats, 5,000 number formats, 1,000 entries in all: what Excel itself may write.
        var stats = await app.As("stats");
        await (await stats.PostAsync("/api/imports", ImportData.Upload(CraftedXlsx.Styles(65_490, 5_000)))).ExpectAsync(HttpStatusCode.Accepted);
        await (await stats.PostAsync("/api/imports", ImportData.Upload(CraftedXlsx.Entries(1_000 - 5)))).ExpectAsync(HttpStatusCode.Accepted);
    }

    [Fact]
    public void Reader_KnowsTheLimits_Directly()
    {
        Assert.Throws<XlsxLimitException>(() => XlsxReader.Open(new MemoryStream(CraftedXlsx.Entries(1_000 - 4))).Dispose());
        using var ok = XlsxReader.Open(new MemoryStream(CraftedXlsx.Entries(1_000 - 5)));
        Assert.NotEmpty(ok.Rows(3));
    }
}
