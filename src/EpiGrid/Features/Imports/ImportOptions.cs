namespace EpiGrid.Features.Imports;

/// <summary>
/// Settings under <c>EpiGrid:Imports</c>: what an uploaded workbook — a list (R1) or a household register — may inflate
/// to and keep in memory (<see cref="XlsxReader.Limits"/>). An upload is a zip: a few megabytes can inflate to gigabytes.
/// Past a limit the upload is a 400 (field <c>file</c>), or, found by the worker further down the sheet, the import ends
/// Failed with the reason (not retried).
/// </summary>
public sealed class ImportOptions
{
    public const string Section = "EpiGrid:Imports";

    /// <summary>1 GiB: a 500,000-row returnee list (the most an import takes) inflates to roughly 250 MB (~500 bytes of XML a row).</summary>
    public const long DefaultMaxUncompressedBytes = 1L << 30;
    /// <summary>Ten text cells of their own for each of 500,000 rows.</summary>
    public const int DefaultMaxSharedStrings = 5_000_000;
    /// <summary>About 100 MB in memory (UTF-16); a 500,000-row list's names, ID numbers, phones and addresses are ~26 M.</summary>
    public const long DefaultMaxSharedStringChars = 50_000_000;

    /// <summary>The workbook's parts together, inflated: the sizes its zip declares, and the bytes actually inflated.</summary>
    public long MaxUncompressedBytes { get; set; } = DefaultMaxUncompressedBytes;

    /// <summary>Shared strings (the workbook's table of texts, all kept while the sheet is read): how many.</summary>
    public int MaxSharedStrings { get; set; } = DefaultMaxSharedStrings;

    /// <summary>Shared strings: their characters together.</summary>
    public long MaxSharedStringChars { get; set; } = DefaultMaxSharedStringChars;

    public XlsxReader.Limits Limits => new(MaxUncompressedBytes, MaxSharedStrings, MaxSharedStringChars);
}
