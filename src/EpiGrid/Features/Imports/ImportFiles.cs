using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml;
using EpiGrid.Platform;
using EpiGrid.Platform.Privacy;
using Microsoft.Extensions.Options;
using MiniExcelLibs;

namespace EpiGrid.Features.Imports;

/// <summary>
/// The uploaded lists: kept only as the uploaded file, under <c>under <c>&lt;DataDirectory&gt;/uploads/imports/</c>lt;EpiGrid:Uploads:Directoryunder <c>&lt;DataDirectory&gt;/uploads/imports/</c>gt;/imports/</c> (default <c>uploads</c> in the data directory; shared by the nodes, S1) (beside the
/// inspection photos, <see cref="Inspections.PhotoStore"/>), encrypted with the data key (they are lists of ID numbers
/// and phones), under a random name. Read streaming with MiniExcel: a row at a time, never the whole sheet as objects.
/// </summary>
public sealed partial class ImportFiles(IOptions<EpiGridOptions> options, KeyRing keys)
{
    public const long MaxBytes = 50 * 1024 * 1024;
    public const int MaxRows = 500_000;
    private const string Purpose = "ImportFile";

    public string Directory => Path.Combine(options.Value.Uploads.Directory ?? Path.Combine(options.Value.DataDirectory, "uploads"), "imports");

    public async Task<string> WriteAsync(byte[] xlsx, CancellationToken ct = default)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var name = Guid.NewGuid().ToString("N") + ".xlsx.enc";
        await File.WriteAllTextAsync(Path.Combine(Directory, name), keys.Encrypt(Convert.ToBase64String(xlsx), Purpose), ct);
        return name;
    }

    public async Task<MemoryStream> OpenAsync(string storedName, CancellationToken ct = default)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(Directory, Path.GetFileName(storedName)), ct);
        return new MemoryStream(Convert.FromBase64String(keys.Decrypt(text, Purpose)), writable: false);
    }

    public bool Exists(string storedName) => File.Exists(Path.Combine(Directory, Path.GetFileName(storedName)));

    /// <summary>The sheet's rows, streaming: (spreadsheet row number, cells by column index). Row 1 is the headings.</summary>
    public static IEnumerable<(int Row, object?[] Cells)> Rows(Stream xlsx, int columns)
    {
        var row = 0;
        foreach (IDictionary<string, object?> r in xlsx.Query(useHeaderRow: false))
        {
            row++;
            var cells = new object?[columns];
            var i = 0;
            foreach (var v in r.Values)
            {
                if (i >= columns) break;
                cells[i++] = v;
            }
            yield return (row, cells);
        }
    }

    public sealed record Head(List<string> Headings, List<string[]> Preview, int EstimatedRows);

    /// <summary>The headings, the first rows (ID numbers and phones masked) and the declared row count.</summary>
    public static Head ReadHead(Stream xlsx, int previewRows = 5)
    {
        var headings = new List<string>();
        var preview = new List<string[]>();
        var first = true;
        foreach (IDictionary<string, object?> r in xlsx.Query(useHeaderRow: false))
        {
            if (first)
            {
                headings = [.. r.Values.Select(ImportFields.CellText)];
                while (headings.Count > 0 && headings[^1].Length == 0) headings.RemoveAt(headings.Count - 1);
                first = false;
                continue;
            }
            if (preview.Count >= previewRows) break;
            preview.Add([.. r.Values.Take(headings.Count).Select(v => MaskLooksPersonal(ImportFields.CellText(v)))]);
        }
        xlsx.Position = 0;
        return new Head(headings, preview, Math.Max(0, DeclaredRows(xlsx) - 1));
    }

    [GeneratedRegex(@"^(\d{17}[\dXx]|\d{15}|(\+?86)?1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")]
    private static partial Regex LooksPersonal();

    /// <summary>The preview is for choosing columns: numbers shaped like ID numbers or phones are shown masked.</summary>
    public static string MaskLooksPersonal(string v) =>
        LooksPersonal().IsMatch(v) ? PrivacyKit.Mask(v.Length >= 15 && !v.StartsWith('0') && !v.StartsWith('+') && v.Length != 13 ? ProtectedKind.IdNumber : ProtectedKind.Phone, v) : v;

    /// <summary>The last row of the first sheet's dimension (A1:I100001 → 100001), or 0 when it does not say.</summary>
    public static int DeclaredRows(Stream xlsx)
    {
        try
        {
            using var zip = new ZipArchive(xlsx, ZipArchiveMode.Read, leaveOpen: true);
            var sheet = zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal))
                .OrderBy(e => e.FullName, StringComparer.Ordinal).FirstOrDefault();
            if (sheet is null) return 0;
            using var s = sheet.Open();
            using var xml = XmlReader.Create(s, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            while (xml.Read())
            {
                if (xml.NodeType != XmlNodeType.Element) continue;
                if (xml.LocalName == "sheetData") return 0;
                if (xml.LocalName == "dimension" && xml.GetAttribute("ref") is { } r)
                {
                    var m = Regex.Match(r, @":[A-Z]+(\d+)$");
                    return m.Success && int.TryParse(m.Groups[1].Value, out var n) ? n : 0;
                }
            }
            return 0;
        }
        catch (Exception e) when (e is InvalidDataException or XmlException or IOException)
        {
            return 0;
        }
        finally
        {
            xlsx.Position = 0;
        }
    }
}
