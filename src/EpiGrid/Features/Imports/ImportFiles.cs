using System.Text.RegularExpressions;
using EpiGrid.Platform;
using EpiGrid.Platform.Privacy;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Imports;

/// <summary>
/// The uploaded lists: kept only as the uploaded file, under <c>&lt;EpiGrid:Uploads:Directory&gt;/imports/</c> (default <c>uploads</c> in the data directory; shared by the nodes, S1) (beside the
/// inspection photos, <see cref="Inspections.PhotoStore"/>), encrypted with the data key (they are lists of ID numbers
/// and phones), under a random name. Read streaming with <see cref="XlsxReader"/>: a row at a time, in one pass, never the whole sheet as objects.
/// </summary>
public sealed partial class ImportFiles(IOptions<EpiGridOptions> options, IOptions<ImportOptions> imports, KeyRing keys)
{
    /// <summary>What a stored or uploaded workbook may inflate to and keep (settings <c>EpiGrid:Imports</c>).</summary>
    public XlsxReader.Limits Limits => imports.Value.Limits;

    public const long MaxBytes = 50 * 1024 * 1024;
    public const int MaxRows = 500_000;
    private const string Purpose = "ImportFile";

    public string Directory => Path.Combine(options.Value.Uploads.Directory ?? Path.Combine(options.Value.DataDirectory, "uploads"), "imports");

    /// <summary>Stored files begin with this; older ones (base64 text of one sealed value) are still read.</summary>
    private static ReadOnlySpan<byte> Magic => "EGI1"u8;
    private const int ChunkBytes = 64 * 1024; // below the large-object heap's 85 kB

    /// <summary>
    /// Stores an upload encrypted, streaming: 64 kB blocks, each sealed (AES-GCM) with its index and whether it is the
    /// last one in its associated data, so blocks cannot be reordered, dropped or the file cut short unnoticed. Never holds
    /// more than one block: a 50 MB list costs no more memory than a small one. <paramref name="xlsx"/> must be seekable.
    /// </summary>
    public async Task<string> WriteAsync(Stream xlsx, CancellationToken ct = default)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var name = Guid.NewGuid().ToString("N") + ".xlsx.enc";
        xlsx.Position = 0;
        var remaining = xlsx.Length;
        var buffer = new byte[ChunkBytes];
        var header = new byte[9];
        var path = Path.Combine(Directory, name);
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
            await file.WriteAsync(Magic.ToArray(), ct);
            var keyId = -1;
            long index = 0;
            do
            {
                var n = (int)Math.Min(ChunkBytes, remaining);
                await xlsx.ReadExactlyAsync(buffer.AsMemory(0, n), ct);
                remaining -= n;
                var last = remaining == 0;
                var sealedBytes = keys.SealBytes(buffer.AsSpan(0, n), Aad(index, last), out var id);
                if (keyId < 0)
                {
                    keyId = id;
                    await file.WriteAsync(BitConverter.GetBytes(keyId), ct);
                }
                else if (id != keyId) throw new IOException("The data key changed while a list was being stored."); // a rotation mid-upload: upload again
                BitConverter.TryWriteBytes(header.AsSpan(0, 4), n);
                header[4] = last ? (byte)1 : (byte)0;
                await file.WriteAsync(header.AsMemory(0, 5), ct);
                await file.WriteAsync(sealedBytes, ct);
                index++;
            }
            while (remaining > 0);
        }
        catch
        {
            // Nothing half-stored: a partial encrypted copy of a list of people is not left behind.
            File.Delete(path);
            throw;
        }
        return name;
    }

    private static byte[] Aad(long index, bool last)
    {
        var aad = new byte[Purpose.Length + 9];
        System.Text.Encoding.ASCII.GetBytes(Purpose, aad);
        BitConverter.TryWriteBytes(aad.AsSpan(Purpose.Length, 8), index);
        aad[^1] = last ? (byte)1 : (byte)0;
        return aad;
    }

    /// <summary>The stored file decrypted into memory (the xlsx reader needs to seek): one copy of the file, no more.</summary>
    public async Task<MemoryStream> OpenAsync(string storedName, Data.AppDbContext? db = null, CancellationToken ct = default)
    {
        var path = Path.Combine(Directory, Path.GetFileName(storedName));
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        var magic = new byte[4];
        if (await file.ReadAtLeastAsync(magic, 4, throwOnEndOfStream: false, ct) < 4 || !magic.AsSpan().SequenceEqual(Magic))
        {
            file.Position = 0;
            using var reader = new StreamReader(file);
            var text = await reader.ReadToEndAsync(ct);
            return new MemoryStream(Convert.FromBase64String(keys.Decrypt(text, Purpose)), writable: false);
        }
        var keyBytes = new byte[4];
        await file.ReadExactlyAsync(keyBytes, ct);
        var keyId = BitConverter.ToInt32(keyBytes);
        // Stored by a node that has rotated the key since this one loaded its keys: read the new key from the database.
        if (!keys.Has(keyId) && db is not null) await keys.RefreshAsync(db, ct);
        var output = new MemoryStream((int)Math.Min(int.MaxValue, file.Length));
        var header = new byte[5];
        var sealedBuffer = new byte[ChunkBytes + 28];
        var plain = new byte[ChunkBytes];
        long index = 0;
        while (true)
        {
            if (await file.ReadAtLeastAsync(header, 5, throwOnEndOfStream: false, ct) < 5) throw new IOException("The stored list is cut short.");
            var n = BitConverter.ToInt32(header, 0);
            if (n is < 0 or > ChunkBytes) throw new IOException("The stored list is damaged.");
            var last = header[4] == 1;
            await file.ReadExactlyAsync(sealedBuffer.AsMemory(0, n + 28), ct);
            keys.OpenBytes(keyId, sealedBuffer.AsSpan(0, n + 28), Aad(index, last), plain.AsSpan(0, n));
            output.Write(plain, 0, n);
            index++;
            if (last) break;
        }
        output.Position = 0;
        return output;
    }

    public bool Exists(string storedName) => storedName.Length > 0 && File.Exists(Path.Combine(Directory, Path.GetFileName(storedName)));

    /// <summary>Why an import's file and rows are no longer there: its retention period passed (<c>EpiGrid:Retention:ImportDays</c>).</summary>
    public const string Expired = "名单已超过保存期限，原文件和逐行结果已删除";

    /// <summary>The sheet's rows, streaming: (spreadsheet row number, cells by column index). Row 1 is the headings.</summary>
    public static IEnumerable<(int Row, object?[] Cells)> Rows(Stream xlsx, int columns, XlsxReader.Limits? limits = null)
    {
        using var reader = XlsxReader.Open(xlsx, limits);
        foreach (var r in reader.Rows(columns)) yield return r;
    }

    public sealed record Head(List<string> Headings, List<string[]> Preview, int EstimatedRows);

    /// <summary>Columns read for the headings: more than the 200 an upload may have, so a wider sheet is still refused.</summary>
    private const int HeadColumns = 1024;

    /// <summary>The headings (row 1), the first rows (ID numbers and phones masked) and the declared row count.</summary>
    public static Head ReadHead(Stream xlsx, int previewRows = 5, XlsxReader.Limits? limits = null)
    {
        var headings = new List<string>();
        var preview = new List<string[]>();
        int declared;
        using (var reader = XlsxReader.Open(xlsx, limits))
        {
            foreach (var (row, cells) in reader.Rows(HeadColumns))
            {
                if (row == 1)
                {
                    headings = [.. cells.Select(ImportFields.CellText)];
                    while (headings.Count > 0 && headings[^1].Length == 0) headings.RemoveAt(headings.Count - 1);
                    continue;
                }
                if (preview.Count >= previewRows) break;
                preview.Add([.. cells.Take(headings.Count).Select(v => MaskLooksPersonal(ImportFields.CellText(v)))]);
            }
            declared = reader.DeclaredRows;
        }
        xlsx.Position = 0;
        return new Head(headings, preview, Math.Max(0, declared - 1));
    }

    [GeneratedRegex(@"^(\d{17}[\dXx]|\d{15}|(\+?86)?1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")]
    private static partial Regex LooksPersonal();

    /// <summary>The preview is for choosing columns: numbers shaped like ID numbers or phones are shown masked.</summary>
    public static string MaskLooksPersonal(string v) =>
        LooksPersonal().IsMatch(v) ? PrivacyKit.Mask(v.Length >= 15 && !v.StartsWith('0') && !v.StartsWith('+') && v.Length != 13 ? ProtectedKind.IdNumber : ProtectedKind.Phone, v) : v;
}
