using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace EpiGrid.Features.Imports;

/// <summary>
/// Reads the first sheet of an uploaded .xlsx a row at a time, in one pass (R1-speed3). MiniExcel, which the exports
/// keep using, first walks the whole sheet when it has no <c>&lt;dimension&gt;</c> element (generated lists have none) —
/// 0.5–1 s and ~840 MB of allocations for a 100,000-row list before its first row, at the upload and again in the worker —
/// and builds a dictionary per row. This reader gives the cells of each row by column index, with MiniExcel's values:
/// shared and inline strings (rich text runs joined, <c>_xHHHH_</c> escapes decoded) and formula strings as text, numbers
/// as <see cref="double"/> (text that is not a number stays text), booleans as <see cref="bool"/>, numbers whose cell style
/// has a date format as <see cref="DateTime"/> (Excel serials; built-in formats 14–16, 22 and 58, and custom formats with
/// date or time parts) and those with a built-in time format (18–21, 45–47) as <see cref="TimeSpan"/>. Cell references
/// ("AB12") give the column and row; cells and rows without one follow the previous. Missing cells are null; a row
/// element with no cells is not returned (MiniExcel does the same); rows missing between two present ones are not
/// returned either (MiniExcel returned them empty, and every caller skips empty rows).
/// <para>
/// An upload is a zip: a few megabytes can inflate to gigabytes (a zip bomb). The reader keeps <see cref="Limits"/>: the
/// entries' declared sizes together, checked when it opens; the bytes actually inflated, counted as they are read (all
/// parts together, and per XML node — see <see cref="MaxNodeBytes"/>); the shared strings it keeps, by count and characters.
/// What a small file's structure would make it hold is limited too: the zip's entries (<see cref="MaxEntries"/>, counted in
/// the zip's end record before the zip reader builds an object per entry), the distinct XML names (<see cref="MaxNames"/>),
/// the nesting (<see cref="MaxDepth"/>), the cell and number formats (<see cref="MaxCellFormats"/>, <see cref="MaxNumberFormats"/>).
/// Past a limit it throws <see cref="XlsxLimitException"/> with the reason in Chinese, before holding more than that.
/// </para>
/// </summary>
public sealed class XlsxReader : IDisposable
{
    /// <summary>What one workbook may inflate to and keep (<see cref="ImportOptions"/>).</summary>
    public sealed record Limits(long MaxUncompressedBytes, int MaxSharedStrings, long MaxSharedStringChars)
    {
        public static readonly Limits Default = new(ImportOptions.DefaultMaxUncompressedBytes, ImportOptions.DefaultMaxSharedStrings, ImportOptions.DefaultMaxSharedStringChars);
    }

    /// <summary>
    /// The inflated bytes the XML reader may take for one node (a cell, a shared string, any other element or text) before
    /// the reader moves on to the next: Excel's own limit is 32,767 characters a cell. Without it one text node of a
    /// gigabyte — under the total limit — would be built whole in memory (several times: the parser's buffer, the string).
    /// </summary>
    public const int MaxNodeBytes = 4 * 1024 * 1024;

    /// <summary>The entries a workbook's zip may hold (a workbook has a dozen, a few hundred with many sheets and pictures);
    /// read from the zip's end record before <see cref="ZipArchive"/> builds an object for each.</summary>
    public const int MaxEntries = 1_000;

    /// <summary>The central directory's bytes (a kB an entry, generously): past it, entries are refused whatever the count says.</summary>
    public const long MaxCentralDirectoryBytes = MaxEntries * 1024L;

    /// <summary>The distinct element, attribute, prefix and namespace names of all parts (the XML reader keeps each for its
    /// life); a workbook uses a few hundred.</summary>
    public const int MaxNames = 10_000;

    /// <summary>How deep elements may nest (a sheet's deepest is ~7); the XML reader keeps state for every level.</summary>
    public const int MaxDepth = 64;

    /// <summary>Cell formats (<c>&lt;xf&gt;</c> of cellXfs): Excel's own limit.</summary>
    public const int MaxCellFormats = 65_490;

    /// <summary>Custom number formats (<c>&lt;numFmt&gt;</c>).</summary>
    public const int MaxNumberFormats = 5_000;

    private const string MainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string StrictNs = "http://purl.oclc.org/ooxml/spreadsheetml/main";
    private const string RelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string StrictRelNs = "http://purl.oclc.org/ooxml/officeDocument/relationships";

    private static readonly XmlReaderSettings Settings = new()
    {
        IgnoreComments = true, IgnoreWhitespace = true, IgnoreProcessingInstructions = true, DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null,
        CloseInput = true,
    };

    private static readonly System.Buffers.SearchValues<char> TimeParts = System.Buffers.SearchValues.Create("hHmMsS");

    /// <summary>What a cell style says about a number in it.</summary>
    private enum Kind : byte { None, Date, Time }

    private readonly ZipArchive _zip;
    private readonly Limits _limits;
    private readonly Dictionary<string, ZipArchiveEntry> _entries;
    /// <summary>Bytes inflated so far (all parts), and where the node being read began.</summary>
    private long _inflated, _mark;
    private long _sharedChars;
    private readonly List<string> _shared = [];
    private readonly List<Kind> _styles = [];
    private readonly string _sheetPath;

    // Atomized names: compared by reference.
    private readonly NameTable _names = new CappedNames();
    private readonly string _main, _strict, _row, _c, _v, _is, _t, _r, _rPh, _si, _sheetData, _dimension;

    private XlsxReader(Stream xlsx, Limits limits)
    {
        _limits = limits;
        CheckEntries(xlsx);
        _zip = new ZipArchive(xlsx, ZipArchiveMode.Read, leaveOpen: true);
        _entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.OrdinalIgnoreCase);
        // What the entries say they inflate to, all of them (read or not): a bomb that says so is refused before a byte is inflated.
        long declared = 0;
        foreach (var e in _zip.Entries)
        {
            declared += e.Length;
            if (declared > _limits.MaxUncompressedBytes) throw TooLarge();
            _entries.TryAdd(e.FullName.TrimStart('/'), e);
        }
        _main = _names.Add(MainNs); _strict = _names.Add(StrictNs);
        _row = _names.Add("row"); _c = _names.Add("c"); _v = _names.Add("v"); _is = _names.Add("is"); _t = _names.Add("t"); _r = _names.Add("r");
        _rPh = _names.Add("rPh"); _si = _names.Add("si"); _sheetData = _names.Add("sheetData"); _dimension = _names.Add("dimension");
        _sheetPath = FirstSheet() ?? throw new InvalidDataException("The workbook has no sheet.");
        ReadSharedStrings();
        ReadStyles();
    }

    /// <summary>Opens the workbook in <paramref name="xlsx"/> (seekable; left open) and reads its shared strings and styles,
    /// within <paramref name="limits"/> (default: <see cref="Limits.Default"/>).</summary>
    public static XlsxReader Open(Stream xlsx, Limits? limits = null) => new(xlsx, limits ?? Limits.Default);

    /// <summary>The last row of the sheet's <c>&lt;dimension&gt;</c> (A1:I100001 → 100001) once <see cref="Rows"/> has passed it; 0 when it does not say.</summary>
    public int DeclaredRows { get; private set; }

    public void Dispose() => _zip.Dispose();

    /// <summary>The distinct names the XML reader atomizes, all parts together, up to <see cref="MaxNames"/>.</summary>
    private sealed class CappedNames : NameTable
    {
        private int _count;

        public override string Add(string key) => Get(key) ?? base.Add(Counted(key));

        public override string Add(char[] key, int start, int len) =>
            len == 0 ? string.Empty : Get(key, start, len) ?? base.Add(key, start, Counted(len));

        private T Counted<T>(T key)
        {
            if (++_count > MaxNames) throw new XlsxLimitException($"表格中的 XML 名称超过 {MaxNames:N0} 个，已拒绝：请检查文件是否为正常的 .xlsx 表格");
            return key;
        }
    }

    private static XlsxLimitException TooDeep() => new($"表格中的 XML 元素嵌套超过 {MaxDepth} 层，已拒绝：请检查文件是否为正常的 .xlsx 表格");

    /// <summary>
    /// Refuses a zip of more than <see cref="MaxEntries"/> entries (or a central directory past <see cref="MaxCentralDirectoryBytes"/>),
    /// from its end record (and the Zip64 one, when there is one), before <see cref="ZipArchive"/> reads them. A stream
    /// without an end record is left to <see cref="ZipArchive"/> (which refuses it).
    /// </summary>
    private static void CheckEntries(Stream zip)
    {
        const int EndSize = 22, LocatorSize = 20;
        var start = zip.Position;
        var tail = (int)Math.Min(zip.Length - start, EndSize + ushort.MaxValue);
        if (tail < EndSize) return;
        var buffer = new byte[tail];
        zip.Seek(-tail, SeekOrigin.End);
        zip.ReadExactly(buffer);
        var at = -1;
        for (var i = tail - EndSize; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(i)) == 0x06054b50) { at = i; break; }
        }
        try
        {
            if (at < 0) return;
            var end = buffer.AsSpan(at);
            ulong entries = Math.Max(BinaryPrimitives.ReadUInt16LittleEndian(end[8..]), BinaryPrimitives.ReadUInt16LittleEndian(end[10..]));
            ulong directory = BinaryPrimitives.ReadUInt32LittleEndian(end[12..]);
            // Zip64: the locator just before the end record points at the Zip64 end record, whose counts are 64-bit.
            var endAt = zip.Length - tail + at;
            if (at >= LocatorSize && BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at - LocatorSize)) == 0x07064b50)
            {
                var offset = BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(at - LocatorSize + 8));
                if (offset > (ulong)(endAt - LocatorSize - 56)) throw TooManyEntries();
                var zip64 = new byte[56];
                zip.Seek((long)offset, SeekOrigin.Begin);
                zip.ReadExactly(zip64);
                if (BinaryPrimitives.ReadUInt32LittleEndian(zip64) != 0x06064b50) throw TooManyEntries();
                entries = Math.Max(entries, Math.Max(BinaryPrimitives.ReadUInt64LittleEndian(zip64.AsSpan(24)), BinaryPrimitives.ReadUInt64LittleEndian(zip64.AsSpan(32))));
                directory = Math.Max(directory, BinaryPrimitives.ReadUInt64LittleEndian(zip64.AsSpan(40)));
            }
            if (entries > MaxEntries || directory > MaxCentralDirectoryBytes) throw TooManyEntries();
        }
        finally
        {
            zip.Position = start;
        }
    }

    private static XlsxLimitException TooManyEntries() =>
        new($"压缩包中的文件超过 {MaxEntries:N0} 个（或其目录过大），已拒绝：请检查文件是否为正常的 .xlsx 表格");

    /// <summary><see cref="XmlReader.Read"/>, refusing nesting past <see cref="MaxDepth"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Read(XmlReader x)
    {
        var more = x.Read();
        if (x.Depth > MaxDepth) throw TooDeep();
        return more;
    }

    /// <summary><see cref="XmlReader.Skip"/> a node at a time, refusing nesting past <see cref="MaxDepth"/> (XmlReader's own
    /// would follow a subtree as deep as it goes).</summary>
    private static void Skip(XmlReader x)
    {
        if (x.NodeType != XmlNodeType.Element || x.IsEmptyElement)
        {
            Read(x);
            return;
        }
        var depth = x.Depth;
        while (Read(x) && !(x.NodeType == XmlNodeType.EndElement && x.Depth == depth)) { }
        Read(x);
    }

    private XmlReader Xml(ZipArchiveEntry entry)
    {
        Mark();
        return XmlReader.Create(new Inflating(entry.Open(), this), Settings, new XmlParserContext(_names, null, null, XmlSpace.None));
    }

    /// <summary>A new node begins: the per-node count starts again.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Mark() => _mark = _inflated;

    /// <summary>Called with every block the inflater gives the XML reader (a few kB): counts it against the limits.</summary>
    private void Inflated(int bytes)
    {
        _inflated += bytes;
        if (_inflated > _limits.MaxUncompressedBytes) throw TooLarge();
        if (_inflated - _mark > MaxNodeBytes) throw new XlsxLimitException($"表格中有一项内容超过 {MaxNodeBytes / 1024 / 1024} MB（Excel 每个单元格最多 32,767 个字符），已拒绝：请检查文件");
    }

    private XlsxLimitException TooLarge() =>
        new($"文件解压后超过 {_limits.MaxUncompressedBytes / 1024 / 1024:N0} MB，已拒绝：请检查文件是否为正常的 .xlsx 表格");

    /// <summary>An entry's inflating stream, counting the bytes it gives (not trusting the sizes the zip declares).</summary>
    private sealed class Inflating(Stream inner, XlsxReader owner) : Stream
    {
        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            owner.Inflated(n);
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            owner.Inflated(n);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    private bool Ours(XmlReader x) => ReferenceEquals(x.NamespaceURI, _main) || ReferenceEquals(x.NamespaceURI, _strict);

    /// <summary>The workbook's first sheet (its order in workbook.xml, through the relationships), else the first worksheet part.</summary>
    private string? FirstSheet()
    {
        string? rid = null;
        if (_entries.TryGetValue("xl/workbook.xml", out var wb))
        {
            using var x = Xml(wb);
            while (Step(x))
            {
                if (x.NodeType == XmlNodeType.Element && x.LocalName == "sheet")
                {
                    rid = x.GetAttribute("id", RelNs) ?? x.GetAttribute("id", StrictRelNs);
                    break;
                }
            }
        }
        if (rid is not null && _entries.TryGetValue("xl/_rels/workbook.xml.rels", out var rels))
        {
            using var x = Xml(rels);
            while (Step(x))
            {
                if (x.NodeType != XmlNodeType.Element || x.LocalName != "Relationship" || x.GetAttribute("Id") != rid) continue;
                var target = x.GetAttribute("Target") ?? "";
                var path = target.StartsWith('/') ? target.TrimStart('/') : "xl/" + target;
                if (_entries.ContainsKey(path)) return path;
                break;
            }
        }
        return _entries.Keys.Where(k => k.StartsWith("xl/worksheets/sheet", StringComparison.OrdinalIgnoreCase) && k.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
            .OrderBy(k => k.Length).ThenBy(k => k, StringComparer.OrdinalIgnoreCase).FirstOrDefault();
    }

    private void ReadSharedStrings()
    {
        if (!_entries.TryGetValue("xl/sharedStrings.xml", out var entry)) return;
        using var x = Xml(entry);
        Read(x);
        while (!x.EOF)
        {
            Mark();
            if (x.NodeType == XmlNodeType.Element && ReferenceEquals(x.LocalName, _si) && Ours(x))
            {
                // Every shared string is kept (cells refer to them by index): their number and characters are limited.
                if (_shared.Count >= _limits.MaxSharedStrings)
                {
                    throw new XlsxLimitException($"表格中的文本超过 {_limits.MaxSharedStrings:N0} 条（共享字符串），已拒绝：请检查文件或分批导入");
                }
                var text = Decode(StringItem(x));
                _sharedChars += text.Length;
                if (_sharedChars > _limits.MaxSharedStringChars)
                {
                    throw new XlsxLimitException($"表格中的文本超过 {_limits.MaxSharedStringChars:N0} 个字符（共享字符串），已拒绝：请检查文件或分批导入");
                }
                _shared.Add(text);
            }
            else Read(x);
        }
    }

    /// <summary><see cref="XmlReader.Read"/> for the small parts' loops, a node at a time within <see cref="MaxNodeBytes"/>.</summary>
    private bool Step(XmlReader x)
    {
        Mark();
        return Read(x);
    }

    /// <summary>The number format of each cell style (cellXfs, by index), as date, time or neither.</summary>
    private void ReadStyles()
    {
        if (!_entries.TryGetValue("xl/styles.xml", out var entry)) return;
        var custom = new Dictionary<int, Kind>();
        var formats = new List<int>();
        var numFmts = 0;
        using (var x = Xml(entry))
        {
            var inCellXfs = false;
            while (Step(x))
            {
                if (x.NodeType == XmlNodeType.EndElement && x.LocalName == "cellXfs") inCellXfs = false;
                if (x.NodeType != XmlNodeType.Element) continue;
                switch (x.LocalName)
                {
                    case "numFmt":
                        if (++numFmts > MaxNumberFormats) throw new XlsxLimitException($"表格中的数字格式超过 {MaxNumberFormats:N0} 个，已拒绝：请检查文件是否为正常的 .xlsx 表格");
                        if (int.TryParse(x.GetAttribute("numFmtId"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
                        {
                            custom[id] = IsDateFormat(x.GetAttribute("formatCode")) ? Kind.Date : Kind.None;
                        }
                        break;
                    case "cellXfs":
                        inCellXfs = !x.IsEmptyElement;
                        break;
                    case "xf" when inCellXfs:
                        if (formats.Count >= MaxCellFormats) throw new XlsxLimitException($"表格中的单元格格式超过 {MaxCellFormats:N0} 个，已拒绝：请检查文件是否为正常的 .xlsx 表格");
                        formats.Add(int.TryParse(x.GetAttribute("numFmtId"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var f) ? f : 0);
                        break;
                }
            }
        }
        foreach (var f in formats)
        {
            _styles.Add(f switch
            {
                14 or 15 or 16 or 22 or 58 => Kind.Date,
                18 or 19 or 20 or 21 or 45 or 46 or 47 => Kind.Time,
                _ => custom.GetValueOrDefault(f),
            });
        }
    }

    /// <summary>
    /// Whether a custom number format shows a date or time: a y, m, d, h or s outside quoted text, escaped characters and
    /// bracketed parts ([Red], [$-804]) — elapsed-time brackets ([h], [mm], [ss]) count. Only the first section is looked at.
    /// </summary>
    public static bool IsDateFormat(string? code)
    {
        if (string.IsNullOrEmpty(code)) return false;
        for (var i = 0; i < code.Length; i++)
        {
            var ch = code[i];
            switch (ch)
            {
                case ';': return false;
                case '"':
                    i = code.IndexOf('"', i + 1);
                    if (i < 0) return false;
                    break;
                case '\\' or '_' or '*': i++; break;
                case '[':
                    var end = code.IndexOf(']', i + 1);
                    if (end < 0) return false;
                    var inside = code.AsSpan(i + 1, end - i - 1);
                    if (inside.Length > 0 && inside.IndexOfAnyExcept(TimeParts) < 0) return true;
                    i = end;
                    break;
                case 'y' or 'Y' or 'm' or 'M' or 'd' or 'D' or 'h' or 'H' or 's' or 'S': return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The rows of the first sheet: (spreadsheet row number, the first <paramref name="columns"/> cells by column index).
    /// One pass, streaming; each row gets a new array (callers keep them).
    /// </summary>
    public IEnumerable<(int Row, object?[] Cells)> Rows(int columns)
    {
        using var x = Xml(_entries[_sheetPath]);
        // To <sheetData>, noting the dimension on the way.
        while (Step(x))
        {
            if (x.NodeType != XmlNodeType.Element || !Ours(x)) continue;
            if (ReferenceEquals(x.LocalName, _dimension)) DeclaredRows = DimensionRows(x.GetAttribute("ref"));
            else if (ReferenceEquals(x.LocalName, _sheetData)) break;
        }
        if (x.EOF || x.IsEmptyElement) yield break;
        var dataDepth = x.Depth;
        var row = 0;
        var resume = false;
        Read(x);
        while (NextRow(x, columns, dataDepth, ref row, ref resume) is { } cells) yield return (row, cells);
    }

    /// <summary>
    /// Reads on to the end of the next row with cells and gives its cells (null at <c>&lt;/sheetData&gt;</c> or the end);
    /// <paramref name="resume"/> says the reader still stands on the previous row's end. Not an iterator's body, so that it
    /// can be compiled optimized at its first call: an import runs it 100,000 times in its first seconds, and the iterator's
    /// tier-0 code (and its recompilations, on a busy second core) cost the first import after a start ~1 s (R1-speed4).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private object?[]? NextRow(XmlReader x, int columns, int dataDepth, ref int row, ref bool resume)
    {
        if (resume)
        {
            Read(x);
            resume = false;
        }
        object?[]? cells = null;
        var column = -1;
        while (!x.EOF)
        {
            if (x.NodeType == XmlNodeType.EndElement)
            {
                if (x.Depth == dataDepth) return null; // </sheetData>
                if (cells is not null && ReferenceEquals(x.LocalName, _row))
                {
                    resume = true;
                    return cells;
                }
                Read(x);
                continue;
            }
            if (x.NodeType != XmlNodeType.Element || !Ours(x))
            {
                Skip(x);
                continue;
            }
            if (ReferenceEquals(x.LocalName, _row))
            {
                Mark();
                row = ParseRow(x.GetAttribute("r"), row);
                column = -1;
                if (x.IsEmptyElement) { Read(x); continue; } // <row r="7"/>: nothing to return
                cells = new object?[columns];
                Read(x);
                continue;
            }
            if (ReferenceEquals(x.LocalName, _c) && cells is not null)
            {
                Mark();
                column = ParseColumn(x.GetAttribute("r"), column);
                var type = x.GetAttribute("t");
                var style = x.GetAttribute("s");
                var value = Cell(x, type);
                if (value is not null && style is not null) value = Styled(style, value);
                if (column >= 0 && column < columns) cells[column] = value;
                continue;
            }
            Skip(x);
        }
        return null;
    }

    /// <summary>The value of the <c>&lt;c&gt;</c> the reader is on; leaves the reader after its end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private object? Cell(XmlReader x, string? type)
    {
        if (x.IsEmptyElement)
        {
            Read(x);
            return null;
        }
        var depth = x.Depth;
        object? value = null;
        Read(x);
        while (!x.EOF && !(x.NodeType == XmlNodeType.EndElement && x.Depth == depth))
        {
            if (x.NodeType == XmlNodeType.Element && ReferenceEquals(x.LocalName, _v) && Ours(x))
            {
                var raw = x.ReadElementContentAsString();
                if (raw.Length > 0) value = Convert(raw, type);
            }
            else if (x.NodeType == XmlNodeType.Element && ReferenceEquals(x.LocalName, _is) && Ours(x))
            {
                var raw = StringItem(x);
                if (raw.Length > 0) value = Convert(raw, type);
            }
            else Skip(x);
        }
        Read(x);
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private object? Convert(string raw, string? type)
    {
        switch (type)
        {
            case "s":
                return int.TryParse(raw, NumberStyles.Any, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < _shared.Count ? _shared[i] : null;
            case "inlineStr" or "str":
                return Decode(raw);
            case "b":
                return raw == "1";
            case "d":
                return DateTime.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AllowLeadingWhite | DateTimeStyles.AllowTrailingWhite, out var d)
                    ? d : raw;
            case "e":
                return raw;
            default:
                return double.TryParse(raw, NumberStyles.Any, CultureInfo.InvariantCulture, out var n) ? n : raw;
        }
    }

    /// <summary>A number in a cell whose style shows a date (or a time) becomes one; anything else stays as it is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private object Styled(string style, object value)
    {
        if (!int.TryParse(style, NumberStyles.Any, CultureInfo.InvariantCulture, out var s) || s < 0 || s >= _styles.Count) return value;
        var kind = _styles[s];
        if (kind == Kind.None) return value;
        var number = value switch
        {
            double dv => dv,
            string sv when double.TryParse(sv, NumberStyles.Any, CultureInfo.InvariantCulture, out var p) => p,
            _ => double.NaN,
        };
        if (double.IsNaN(number)) return value;
        if (kind == Kind.Time) return TimeSpan.FromDays(number);
        // Outside the OLE Automation range (MiniExcel threw there): the number stays a number.
        return number is > -657435.0 and < 2958466.0 ? DateTime.FromOADate(number) : value;
    }

    /// <summary>A <c>&lt;si&gt;</c> or <c>&lt;is&gt;</c>: its text runs joined, phonetic runs left out; leaves the reader after its end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string StringItem(XmlReader x)
    {
        if (x.IsEmptyElement)
        {
            Read(x);
            return "";
        }
        var depth = x.Depth;
        string? one = null;
        StringBuilder? many = null;
        Read(x);
        while (!x.EOF && !(x.NodeType == XmlNodeType.EndElement && x.Depth == depth))
        {
            if (x.NodeType == XmlNodeType.Element && ReferenceEquals(x.LocalName, _t))
            {
                var text = x.ReadElementContentAsString();
                if (one is null) one = text;
                else (many ??= new StringBuilder(one)).Append(text);
            }
            else if (x.NodeType == XmlNodeType.Element && ReferenceEquals(x.LocalName, _r)) Read(x); // a rich text run: its <t> inside
            else if (x.NodeType == XmlNodeType.Element) Skip(x); // <rPh>, <phoneticPr>, <rPr>
            else Read(x);
        }
        Read(x);
        return many?.ToString() ?? one ?? "";
    }

    /// <summary>Excel's <c>_xHHHH_</c> escapes (a control character, or <c>_x005F_</c> for an underscore) as characters.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Decode(string s)
    {
        var at = s.IndexOf("_x", StringComparison.Ordinal);
        if (at < 0) return s;
        var sb = new StringBuilder(s.Length);
        var i = 0;
        while (at >= 0)
        {
            if (at + 7 <= s.Length && s[at + 6] == '_' && ushort.TryParse(s.AsSpan(at + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                sb.Append(s, i, at - i).Append((char)code);
                i = at + 7;
                at = s.IndexOf("_x", i, StringComparison.Ordinal);
            }
            else at = s.IndexOf("_x", at + 1, StringComparison.Ordinal);
        }
        return sb.Append(s, i, s.Length - i).ToString();
    }

    /// <summary>"AB12" → 27 (0-based column); no reference (or not one) → the column after the previous cell.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int ParseColumn(string? reference, int previous)
    {
        if (string.IsNullOrEmpty(reference)) return previous + 1;
        var column = 0;
        var i = 0;
        for (; i < reference.Length; i++)
        {
            var ch = reference[i];
            if (ch is >= 'A' and <= 'Z') column = column * 26 + (ch - 'A' + 1);
            else if (ch is >= 'a' and <= 'z') column = column * 26 + (ch - 'a' + 1);
            else break;
            if (column > 16_384) return previous + 1;
        }
        return i == 0 ? previous + 1 : column - 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ParseRow(string? r, int previous) =>
        int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : previous + 1;

    /// <summary>A1:I100001 → 100001; A1 → 1; anything else → 0.</summary>
    private static int DimensionRows(string? reference)
    {
        if (string.IsNullOrEmpty(reference)) return 0;
        var last = reference[(reference.LastIndexOf(':') + 1)..];
        var digits = last.AsSpan().TrimStart("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz$").TrimStart('$');
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }
}

/// <summary>A workbook past one of <see cref="XlsxReader.Limits"/> (or <see cref="XlsxReader.MaxNodeBytes"/>): the message says which, in Chinese.</summary>
public sealed class XlsxLimitException(string message) : Exception(message);
