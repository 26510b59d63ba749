using System.IO.Compression;
using System.Text;
using EpiGrid.Features.Imports;
using MiniExcelLibs;

namespace EpiGrid.Tests.Imports;

/// <summary>
/// The import's own .xlsx reader (R1-speed3): what it gives must be what MiniExcel gave the import before — on
/// MiniExcel's files (inline strings, numbers, dates) and on Excel's (shared strings with rich text, number formats that
/// are dates, sparse rows and cells, more than one sheet).
/// </summary>
public class XlsxReaderTests
{
    private static List<(int Row, object?[] Cells)> Read(byte[] xlsx, int columns)
    {
        using var ms = new MemoryStream(xlsx);
        using var reader = XlsxReader.Open(ms);
        return [.. reader.Rows(columns)];
    }

    /// <summary>MiniExcel's rows as the import read them before (row numbers counted, gaps returned as empty rows).</summary>
    private static List<(int Row, object?[] Cells)> ReadWithMiniExcel(byte[] xlsx, int columns)
    {
        using var ms = new MemoryStream(xlsx);
        var rows = new List<(int, object?[])>();
        var row = 0;
        foreach (IDictionary<string, object?> r in ms.Query(useHeaderRow: false))
        {
            row++;
            var cells = new object?[columns];
            var i = 0;
            foreach (var v in r.Values)
            {
                if (i >= columns) break;
                cells[i++] = v;
            }
            if (cells.Any(c => c is not null)) rows.Add((row, cells));
        }
        return rows;
    }

    private static void SameAsMiniExcel(byte[] xlsx, int columns)
    {
        var expected = ReadWithMiniExcel(xlsx, columns);
        var actual = Read(xlsx, columns).Where(r => r.Cells.Any(c => c is not null)).ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Row, actual[i].Row);
            for (var c = 0; c < columns; c++)
            {
                var (e, a) = (expected[i].Cells[c], actual[i].Cells[c]);
                Assert.True(Equals(e, a), $"row {expected[i].Row}, column {c}: MiniExcel {e} ({e?.GetType().Name}), ours {a} ({a?.GetType().Name})");
                Assert.Equal(ImportFields.CellText(e), ImportFields.CellText(a));
            }
        }
    }

    [Fact]
    public void MiniExcelsOwnFile_ReadsTheSame_StringsNumbersDatesBooleansAndEmptyCells()
    {
        var rows = new List<Dictionary<string, object?>>();
        for (var i = 0; i < 300; i++)
        {
            rows.Add(new()
            {
                ["姓名"] = i % 7 == 0 ? null : "张三" + i, ["身份证号码"] = "42010219900101" + (1000 + i), ["联系电话"] = 13_800_000_000d + i,
                ["返回日期"] = i % 3 == 0 ? new DateTime(2020, 1, 10).AddDays(i % 20) : "2020-01-2" + (i % 10), ["序号"] = i, ["金额"] = i / 4.0,
                ["是否"] = i % 2 == 0, ["备注"] = i % 5 == 0 ? "" : "a_b <&> \"x\"",
            });
        }
        var xlsx = ImportData.Xlsx(rows);
        SameAsMiniExcel(xlsx, 8);
        var read = Read(xlsx, 8);
        Assert.Equal(301, read.Count);
        Assert.Equal("姓名", read[0].Cells[0]);
        Assert.Equal(new DateTime(2020, 1, 10), read[1].Cells[3]); // a DateTime written by MiniExcel comes back a DateTime
        Assert.Equal(13_800_000_000d, read[1].Cells[2]);
        Assert.Equal("13800000000", ImportFields.CellText(read[1].Cells[2]));
    }

    [Fact]
    public void ExcelsFile_SharedStringsRichTextDateFormatsSparseRowsAndCells()
    {
        var xlsx = Workbook(
            sheets: [("名单", """
                <dimension ref="A1:AB9"/>
                <sheetData>
                  <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="E1" t="s"><v>3</v></c></row>
                  <row r="2" spans="1:5"><c r="A2" t="s"><v>4</v></c><c r="B2"><v>420102199001011234</v></c><c r="C2" s="1"><v>43850</v></c><c r="E2" s="2"><v>43851.5</v></c></row>
                  <row r="5"><c r="A5" t="inlineStr"><is><t xml:space="preserve"> 李四 </t></is></c><c r="C5" s="3"><v>43852</v></c><c r="D5" t="str"><f>A5</f><v>李四</v></c><c r="E5" t="b"><v>1</v></c></row>
                  <row r="6"/>
                  <row r="7"><c r="A7" t="s"><v>5</v></c><c r="B7" t="e"><v>#N/A</v></c><c r="C7" s="4"><v>0.5</v></c></row>
                  <row r="9"><c r="A9" t="s"><v>6</v></c><c r="B9"><v>12.5</v></c><c r="AB9"><v>7</v></c></row>
                </sheetData>
                """)],
            shared: ["姓名", "身份证号码", "返回日期", "备注", "<r><t>王</t></r><r><rPr><b/></rPr><t>五</t></r><rPh sb=\"0\" eb=\"1\"><t>ワン</t></rPh>", "第_x000D_行", "赵六"],
            numFmts: """<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>""",
            xfs: ["0", "14", "22", "176", "20"]);

        var rows = Read(xlsx, 30);
        Assert.Equal([1, 2, 5, 7, 9], rows.Select(r => r.Row)); // sparse rows keep their numbers; an empty <row/> is not returned
        Assert.Equal(["姓名", "身份证号码", "返回日期", null, "备注"], rows[0].Cells.Take(5));
        Assert.Equal("王五", rows[1].Cells[0]); // rich text runs joined, the phonetic run left out
        Assert.Equal(420102199001011234d, rows[1].Cells[1]);
        Assert.Equal(new DateTime(2020, 1, 20), rows[1].Cells[2]); // numFmt 14: a date
        Assert.Equal(new DateTime(2020, 1, 21, 12, 0, 0), rows[1].Cells[4]); // numFmt 22: date and time
        Assert.Null(rows[1].Cells[3]);
        Assert.Equal(" 李四 ", rows[2].Cells[0]);
        Assert.Equal(new DateTime(2020, 1, 22), rows[2].Cells[2]); // a custom format with 年月日
        Assert.Equal("李四", rows[2].Cells[3]);
        Assert.Equal(true, rows[2].Cells[4]);
        Assert.Equal("第\r行", rows[3].Cells[0]);
        Assert.Equal("#N/A", rows[3].Cells[1]);
        Assert.Equal(TimeSpan.FromHours(12), rows[3].Cells[2]); // numFmt 20 (h:mm): a time
        Assert.Equal("赵六", rows[4].Cells[0]);
        Assert.Equal(12.5, rows[4].Cells[1]);
        Assert.Equal(7d, rows[4].Cells[27]);
        Assert.Equal("2020-01-20", ImportFields.CellText(rows[1].Cells[2]));

        SameAsMiniExcel(xlsx, 30);

        using var ms = new MemoryStream(xlsx);
        var head = ImportFiles.ReadHead(ms);
        Assert.Equal(["姓名", "身份证号码", "返回日期", "", "备注"], head.Headings);
        Assert.Equal(8, head.EstimatedRows); // the dimension says row 9
        Assert.Matches(@"^420102\*+\d{4}$", head.Preview[0][1]); // an ID number in the preview is masked
    }

    [Fact]
    public void TheFirstSheetIsTheWorkbooksFirst_NotTheFirstFileName()
    {
        var xlsx = Workbook(
            sheets: [("说明", """<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>说明</t></is></c></row></sheetData>"""),
                     ("名单", """<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row></sheetData>""")],
            shared: [], numFmts: "", xfs: ["0"], reverseFileNames: true);
        Assert.Equal("说明", Read(xlsx, 1)[0].Cells[0]);
        SameAsMiniExcel(xlsx, 1);
    }

    [Fact]
    public void CellsAndRowsWithoutReferences_FollowThePreviousOne()
    {
        var xlsx = Workbook(
            sheets: [("名单", """<sheetData><row><c t="inlineStr"><is><t>姓名</t></is></c><c t="inlineStr"><is><t>电话</t></is></c></row><row><c t="inlineStr"><is><t>赵六</t></is></c><c><v>13800000000</v></c></row></sheetData>""")],
            shared: [], numFmts: "", xfs: ["0"]);
        var rows = Read(xlsx, 2);
        Assert.Equal([1, 2], rows.Select(r => r.Row));
        Assert.Equal(["赵六", 13_800_000_000d], rows[1].Cells);
        SameAsMiniExcel(xlsx, 2);
    }

    [Theory]
    [InlineData("yyyy-mm-dd", true)]
    [InlineData("m/d/yy h:mm", true)]
    [InlineData("[$-804]yyyy\"年\"m\"月\"d\"日\";@", true)]
    [InlineData("[h]:mm", true)]
    [InlineData("0.00", false)]
    [InlineData("#,##0;[Red]-#,##0", false)]
    [InlineData("\"day\"0", false)]
    [InlineData("General", false)]
    [InlineData("@", false)]
    public void DateFormats_AreToldFromNumberFormats(string code, bool date) => Assert.Equal(date, XlsxReader.IsDateFormat(code));

    [Theory]
    [InlineData("A1", 0)]
    [InlineData("Z9", 25)]
    [InlineData("AA10", 26)]
    [InlineData("AB12", 27)]
    [InlineData("XFD1", 16_383)]
    public void CellReferences_GiveTheColumn(string reference, int column) => Assert.Equal(column, XlsxReader.ParseColumn(reference, -1));

    /// <summary>A workbook as Excel writes one (namespaced parts, relationships, shared strings, styles), built by hand.</summary>
    private static byte[] Workbook((string Name, string Body)[] sheets, string[] shared, string numFmts, string[] xfs, bool reverseFileNames = false)
    {
        const string Ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        const string R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string path, string xml)
            {
                using var w = new StreamWriter(zip.CreateEntry(path).Open(), new UTF8Encoding(false));
                w.Write("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" + xml);
            }
            string File(int i) => $"sheet{(reverseFileNames ? sheets.Length - i : i + 1)}.xml";
            Add("[Content_Types].xml", """<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>""");
            Add("_rels/.rels", """<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            Add("xl/workbook.xml", $"""<workbook xmlns="{Ns}" xmlns:r="{R}"><sheets>{string.Concat(sheets.Select((s, i) => $"<sheet name=\"{s.Name}\" sheetId=\"{i + 1}\" r:id=\"rId{i + 1}\"/>"))}</sheets></workbook>""");
            Add("xl/_rels/workbook.xml.rels", $"""<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{string.Concat(sheets.Select((s, i) => $"<Relationship Id=\"rId{i + 1}\" Type=\"{R}/worksheet\" Target=\"worksheets/{File(i)}\"/>"))}<Relationship Id="rId90" Type="{R}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId91" Type="{R}/styles" Target="styles.xml"/></Relationships>""");
            Add("xl/sharedStrings.xml", $"""<sst xmlns="{Ns}" count="{shared.Length}" uniqueCount="{shared.Length}">{string.Concat(shared.Select(s => s.StartsWith("<r>", StringComparison.Ordinal) ? $"<si>{s}</si>" : $"<si><t>{System.Security.SecurityElement.Escape(s)}</t></si>"))}</sst>""");
            Add("xl/styles.xml", $"""<styleSheet xmlns="{Ns}">{numFmts}<fonts count="1"><font><sz val="11"/></font></fonts><cellStyleXfs count="1"><xf numFmtId="0" fontId="0"/></cellStyleXfs><cellXfs count="{xfs.Length}">{string.Concat(xfs.Select(f => $"<xf numFmtId=\"{f}\" fontId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"))}</cellXfs></styleSheet>""");
            for (var i = 0; i < sheets.Length; i++) Add($"xl/worksheets/{File(i)}", $"""<worksheet xmlns="{Ns}" xmlns:r="{R}">{sheets[i].Body}</worksheet>""");
        }
        return ms.ToArray();
    }
}
