using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EpiGrid.Features.Imports;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EpiGrid.Tests.Imports;

/// <summary>
/// Workbooks of a few MB that inflate to gigabytes, written streaming (the test never holds what they inflate to).
/// Built once per run and shared by the list import's and the household register's tests.
/// </summary>
public static class ZipBomb
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>
    /// Both routes' headings (the returnee form's and the household register's): refused for its size, not for its layout —
    /// without the limits, the list would be queued and the register read.
    /// </summary>
    public static readonly string[] Headings = [.. ImportFields.ReturneeHeadings.Union(EpiGrid.Features.Households.ImportRegister.Headings)];

    /// <summary>A sheet of ~3 GiB — rows each with a name of a million characters —, over the default 1 GiB limit, as its
    /// zip honestly declares.</summary>
    public static byte[] ThreeGigabyteSheet => Sheet3G.Value;
    private static readonly Lazy<byte[]> Sheet3G = new(() => Workbook(Headings, sheet =>
    {
        var name = new byte[1 << 20];
        Array.Fill(name, (byte)'a');
        for (long written = 0; written < 3L << 30; written += name.Length)
        {
            Write(sheet, "<row><c t=\"inlineStr\"><is><t>");
            sheet.Write(name);
            Write(sheet, "</t></is></c></row>");
        }
    }));

    /// <summary>One shared string of 600 million characters: the file declares 600 MB, under the default limit — only what
    /// is read as it inflates can stop it before a string of 1.2 GB is built.</summary>
    public static byte[] GiantSharedString => Shared600M.Value;
    private static readonly Lazy<byte[]> Shared600M = new(() => Workbook(Headings, sheet => { }, shared =>
    {
        Write(shared, $"<sst xmlns=\"{Main}\" count=\"1\" uniqueCount=\"1\"><si><t>");
        Repeat(shared, "a"u8.ToArray(), 600_000_000);
        Write(shared, "</t></si></sst>");
    }));

    /// <summary>A workbook with the headings in row 1 (inline strings), then what <paramref name="rows"/> writes into sheetData;
    /// <paramref name="shared"/> and <paramref name="styles"/> write those parts, <paramref name="more"/> adds entries of its own.</summary>
    public static byte[] Workbook(string[] headings, Action<Stream> rows, Action<Stream>? shared = null, Action<Stream>? styles = null, Action<ZipArchive>? more = null)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            Part(zip, "[Content_Types].xml", s => Write(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" +
                "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>" +
                "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>" +
                "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" +
                (shared is null ? "" : "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>") +
                "</Types>"));
            Part(zip, "_rels/.rels", s => Write(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
                "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"));
            Part(zip, "xl/workbook.xml", s => Write(s, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{Main}\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">" +
                "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"));
            Part(zip, "xl/_rels/workbook.xml.rels", s => Write(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
                "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>" +
                (shared is null ? "" : "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>") +
                (styles is null ? "" : "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>") +
                "</Relationships>"));
            Part(zip, "xl/worksheets/sheet1.xml", s =>
            {
                Write(s, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"{Main}\"><sheetData><row r=\"1\">");
                foreach (var h in headings) Write(s, $"<c t=\"inlineStr\"><is><t>{h}</t></is></c>");
                Write(s, "</row>");
                rows(s);
                Write(s, "</sheetData></worksheet>");
            });
            if (shared is not null) Part(zip, "xl/sharedStrings.xml", shared);
            if (styles is not null) Part(zip, "xl/styles.xml", styles);
            more?.Invoke(zip);
        }
        return ms.ToArray();
    }

    public static void Write(Stream s, string text) => s.Write(Encoding.UTF8.GetBytes(text));

    /// <summary><paramref name="unit"/> over and over, about <paramref name="bytes"/> in all, a megabyte at a time.</summary>
    public static void Repeat(Stream s, byte[] unit, long bytes)
    {
        var block = new byte[(1 << 20) / unit.Length * unit.Length];
        for (var i = 0; i < block.Length; i += unit.Length) unit.CopyTo(block, i);
        for (long written = 0; written < bytes; written += block.Length) s.Write(block, 0, (int)Math.Min(block.Length, bytes - written) / unit.Length * unit.Length);
    }

    private static void Part(ZipArchive zip, string name, Action<Stream> write)
    {
        using var s = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
        write(s);
    }
}

/// <summary>
/// The process's memory while something runs: the working set sampled every few milliseconds (and the GC heap), the
/// peak above what it was before. Printed by the tests that must keep it flat.
/// </summary>
public sealed class PeakMemory : IDisposable
{
    private readonly long _beforeRss, _beforeHeap;
    private long _peakRss, _peakHeap;
    private readonly Timer _timer;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public PeakMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        (_beforeRss, _beforeHeap) = (Environment.WorkingSet, GC.GetTotalMemory(false));
        (_peakRss, _peakHeap) = (_beforeRss, _beforeHeap);
        _timer = new Timer(_ => Sample(), null, 0, 5);
    }

    private void Sample()
    {
        Max(ref _peakRss, Environment.WorkingSet);
        Max(ref _peakHeap, GC.GetTotalMemory(false));
    }

    private static void Max(ref long peak, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, value, seen) != seen) { }
    }

    public TimeSpan Elapsed => _clock.Elapsed;
    public long GrowthMB => (Interlocked.Read(ref _peakRss) - _beforeRss) >> 20;

    public string Report() =>
        $"{_clock.Elapsed.TotalSeconds:N1} s; working set {_beforeRss >> 20} MB before, peak {Interlocked.Read(ref _peakRss) >> 20} MB (+{GrowthMB} MB); " +
        $"GC heap {_beforeHeap >> 20} MB before, peak {Interlocked.Read(ref _peakHeap) >> 20} MB; process peak working set so far {Process.GetCurrentProcess().PeakWorkingSet64 >> 20} MB";

    public void Dispose()
    {
        _timer.Dispose();
        _clock.Stop();
        Sample();
    }
}

/// <summary>Memory is measured: these tests run alone, not beside other test classes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredCollection
{
    public const string Name = "Measured memory";
}

[Collection(MeasuredCollection.Name)]
public sealed class ZipBombTests(AppFactory app, ITestOutputHelper output) : IClassFixture<AppFactory>
{
    /// <summary>Bounds generous enough for a shared, busy machine; a bomb that got through would blow far past them.</summary>
    public const int MaxGrowthMB = 300;
    public static readonly TimeSpan MaxSeconds = TimeSpan.FromSeconds(15);

    private async Task<(string Message, PeakMemory Memory)> RefusedAsync(byte[] xlsx)
    {
        var stats = await app.As("stats");
        using var memory = new PeakMemory();
        var r = await stats.PostAsync("/api/imports", ImportData.Upload(xlsx, name: "炸弹.xlsx"));
        memory.Dispose();
        output.WriteLine($"/api/imports, {xlsx.Length:N0}-byte upload: {(int)r.StatusCode} after {memory.Report()}");
        var body = await r.ExpectAsync(HttpStatusCode.BadRequest);
        return (JsonNode.Parse(body)!["errors"]!["file"]![0]!.GetValue<string>(), memory);
    }

    [Fact]
    public async Task ListUpload_SheetInflatingTo3GB_Is400AtTheDefaultLimit_InSecondsWithFlatMemory()
    {
        var (message, memory) = await RefusedAsync(ZipBomb.ThreeGigabyteSheet);
        Assert.Contains("解压后超过 1,024 MB", message, StringComparison.Ordinal);
        Assert.True(memory.Elapsed < MaxSeconds, memory.Report());
        Assert.True(memory.GrowthMB < MaxGrowthMB, memory.Report());
        Assert.False(await app.WithDbAsync(db => db.Set<ImportJob>().AnyAsync(i => i.FileName == "炸弹.xlsx"))); // nothing stored
    }

    [Fact]
    public async Task ListUpload_OneSharedStringOf600MB_UnderTheSizeLimit_Is400WhileInflating_WithFlatMemory()
    {
        var (message, memory) = await RefusedAsync(ZipBomb.GiantSharedString);
        Assert.Contains("超过 4 MB", message, StringComparison.Ordinal);
        Assert.True(memory.Elapsed < MaxSeconds, memory.Report());
        Assert.True(memory.GrowthMB < MaxGrowthMB, memory.Report());
    }

    [Fact]
    public async Task ListImport_GiantCellPastTheRowsTheUploadReads_EndsFailedWithTheReason_AndIsNotRetried()
    {
        // 20 good rows, then a name of 64 million characters: the upload reads the headings and a few rows only, the worker
        // meets it.
        var xlsx = ZipBomb.Workbook(ImportFields.ReturneeHeadings, sheet =>
        {
            for (var i = 0; i < 20; i++)
            {
                ZipBomb.Write(sheet, "<row>" + string.Concat(new[] { $"炸{i}", "男", RegisterPersonTests.NewIdNumber(), "13700000081", "春天大道1号楼", "湖北武汉", "2020-01-25", "火车", "G818" }
                    .Select(v => $"<c t=\"inlineStr\"><is><t>{v}</t></is></c>")) + "</row>");
            }
            ZipBomb.Write(sheet, "<row><c t=\"inlineStr\"><is><t>");
            ZipBomb.Repeat(sheet, "a"u8.ToArray(), 64_000_000);
            ZipBomb.Write(sheet, "</t></is></c></row>");
        });
        var stats = await app.As("stats");
        using var memory = new PeakMemory();
        var id = await ImportData.UploadAsync(stats, xlsx);
        var s = await ImportData.WaitAsync(stats, id);
        memory.Dispose();
        output.WriteLine($"import of {xlsx.Length:N0} bytes: {s["status"]} after {memory.Report()}");
        Assert.Equal("Failed", s["status"]!.GetValue<string>());
        Assert.Contains("超过 4 MB", s["failureReason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(memory.GrowthMB < MaxGrowthMB, memory.Report());

        // Failed for good: the worker, woken again, leaves it alone.
        app.Services.GetRequiredService<ImportQueue>().Wake(id);
        await Task.Delay(500);
        s = await stats.GetJsonAsync($"/api/imports/{id}");
        Assert.Equal("Failed", s["status"]!.GetValue<string>());
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<ImportJob>().Where(i => i.Id == id).Select(i => i.Resumes).SingleAsync()));
    }
}

/// <summary>Shared-string limits lowered (EpiGrid:Imports), so a small file passes them.</summary>
public sealed class LowLimitsFactory : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
    [
        new("EpiGrid:Imports:MaxSharedStrings", "1000"),
        new("EpiGrid:Imports:MaxSharedStringChars", "20000"),
    ];
}

public sealed class ImportLimitSettingsTests(LowLimitsFactory app) : IClassFixture<LowLimitsFactory>
{
    private static byte[] WithSharedStrings(int count, int length) => ZipBomb.Workbook(ImportFields.ReturneeHeadings, _ => { }, shared =>
    {
        ZipBomb.Write(shared, $"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"{count}\" uniqueCount=\"{count}\">");
        for (var i = 0; i < count; i++) ZipBomb.Write(shared, $"<si><t>{i.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(length, 'x')}</t></si>");
        ZipBomb.Write(shared, "</sst>");
    });

    [Theory]
    [InlineData(1001, 5, "1,000 条")]     // more strings than the setting
    [InlineData(500, 50, "20,000 个字符")] // fewer, but more characters
    public async Task ListUpload_MoreSharedStringsThanTheSettings_Is400OnTheFileField(int count, int length, string says)
    {
        var stats = await app.As("stats");
        var r = await stats.PostAsync("/api/imports", ImportData.Upload(WithSharedStrings(count, length)));
        var problem = JsonNode.Parse(await r.ExpectAsync(HttpStatusCode.BadRequest))!;
        Assert.Contains(says, problem["errors"]!["file"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListUpload_WithinTheSettings_IsAccepted()
    {
        var stats = await app.As("stats");
        await (await stats.PostAsync("/api/imports", ImportData.Upload(WithSharedStrings(1000, 20)))).ExpectAsync(HttpStatusCode.Accepted);
    }
}
