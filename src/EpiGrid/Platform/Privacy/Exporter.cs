using EpiGrid.Data;
using EpiGrid.Features.Alerts;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Audit;
using EpiGrid.Platform.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using MiniExcelLibs;

namespace EpiGrid.Platform.Privacy;

/// <summary>One column of an export: a heading and how to get the value; protected columns carry both forms.</summary>
public sealed record ExportColumn<T>(string Heading, Func<T, object?> Value, ProtectedKind? Kind = null, Func<T, string>? Cipher = null)
{
    /// <summary>A protected field: masked, or in full for a role that may reveal.</summary>
    public static ExportColumn<T> Protected(string heading, ProtectedKind kind, Func<T, string> masked, Func<T, string> cipher) =>
        new(heading, t => masked(t), kind, cipher);
}

/// <summary>The record of one export, for the daily volume check (the audit log has the export as an event).</summary>
[NotAudited]
public sealed class ExportRecord
{
    public long Id { get; set; }
    public Guid UserId { get; set; }
    public DateTime At { get; set; }
    public string What { get; set; } = "";
    public int Rows { get; set; }
}

internal sealed class ExportRecordConfiguration : IEntityTypeConfiguration<ExportRecord>
{
    public void Configure(EntityTypeBuilder<ExportRecord> b)
    {
        b.Property(e => e.What).HasMaxLength(100);
        b.HasIndex(e => new { e.UserId, e.At });
    }
}

/// <summary>
/// The one export helper every list export uses: an .xlsx (MiniExcel) whose first line is a watermark (who, when,
/// filter), personal fields masked unless the role may reveal, the export and its row count in the audit log, and
/// an <see cref="AlertKind.ExportVolume"/> alert when one account passes the day's row limit.
/// </summary>
public sealed class Exporter(AppDbContext db, IHttpContextAccessor http, OfficeClock clock, TimeProvider time, PrivacyKit kit, KeyRing keyRing, IOptions<EpiGridOptions> options)
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>A small export, built in memory (a few hundred rows: receipts, rosters, lists of premises).</summary>
    public async Task<byte[]> ExportAsync<T>(string what, ExportFilter filter, IReadOnlyList<ExportColumn<T>> columns, IEnumerable<T> rows, CancellationToken ct = default)
    {
        using var ms = new MemoryStream();
        await WriteAsync(ms, what, filter, columns, rows, ct);
        return ms.ToArray();
    }

    /// <summary>
    /// A large export, streamed: the sheet is written to a temporary file as <paramref name="rows"/> yields them (pass
    /// a query enumerated lazily, not a list), so memory does not grow with the row count; the file is deleted once sent.
    /// </summary>
    public async Task<IResult> ExportFileAsync<T>(string what, ExportFilter filter, IReadOnlyList<ExportColumn<T>> columns, IEnumerable<T> rows, string fileName, CancellationToken ct = default)
    {
        var file = new FileStream(Path.Combine(Path.GetTempPath(), "epigrid-export-" + Guid.NewGuid().ToString("N") + ".xlsx"),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        try
        {
            await WriteAsync(file, what, filter, columns, rows, ct);
            file.Position = 0;
            return Results.File(file, ContentType, $"{fileName}.xlsx"); // disposed (and so deleted) after it is sent
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    private async Task WriteAsync<T>(Stream output, string what, ExportFilter filter, IReadOnlyList<ExportColumn<T>> columns, IEnumerable<T> rows, CancellationToken ct)
    {
        var user = http.HttpContext?.User ?? throw new InvalidOperationException("Exports need a signed-in user.");
        var full = Rights.Has(user, Rights.Reveal);
        // Keys rotated on another node are read before the rows are: a streamed export's query holds the connection, and
        // a key looked up in the middle of it would be a second command on that connection.
        if (full) await keyRing.RefreshAsync(db, ct);
        var now = clock.UtcNow;

        var keys = columns.Select((_, i) => "c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var watermark = $"导出：{user.DisplayName()}（{user.Identity?.Name}） 时间：{clock.Format(now)} 条件：{(filter.ToString() is { Length: > 0 } shown ? shown : "全部")} — 含个人信息，仅限防控工作使用，不得外传";
        var count = 0;
        IEnumerable<Dictionary<string, object?>> Sheet()
        {
            yield return keys.Select((k, i) => (k, (object?)(i == 0 ? watermark : null))).ToDictionary(x => x.k, x => x.Item2);
            yield return keys.Select((k, i) => (k, (object?)columns[i].Heading)).ToDictionary(x => x.k, x => x.Item2);
            foreach (var row in rows)
            {
                ct.ThrowIfCancellationRequested();
                count++;
                var line = new Dictionary<string, object?>(keys.Length);
                for (var i = 0; i < columns.Count; i++)
                {
                    var c = columns[i];
                    line[keys[i]] = full && c.Kind is { } kind && c.Cipher is not null ? kit.Reveal(kind, c.Cipher(row), db) : c.Value(row);
                }
                yield return line;
            }
        }
        await output.SaveAsAsync(Sheet(), printHeader: false, sheetName: what, cancellationToken: ct);

        var userId = user.UserId();
        var dayStart = clock.StartOfDayUtc(clock.Today);
        var before = await db.Set<ExportRecord>().Where(e => e.UserId == userId && e.At >= dayStart).SumAsync(e => (int?)e.Rows, ct) ?? 0;
        db.Add(new ExportRecord { UserId = userId, At = now, What = what, Rows = count });
        AuditLog.Event(db, "Export", what, "", new { rows = count, filter = filter.ForAudit(), masked = !full });
        var limit = options.Value.ExportAlertRowsPerDay;
        if (before <= limit && before + count > limit)
        {
            await RaiseAlert.AddAsync(db, time, AlertKind.ExportVolume,
                $"{user.DisplayName()}（{user.Identity?.Name}）今日已导出 {before + count:N0} 行，超过 {limit:N0} 行的限额",
                await AlertAreaAsync(userId, ct), dedupeKey: $"export-volume:{userId:N}:{clock.Today:yyyyMMdd}", userId: userId, ct: ct);
        }
        await db.SaveChangesAsync(ct);
    }

    // The alert lies at the exporter's first scope node, else at the top of the tree, so the leaders above see it.
    private async Task<Guid> AlertAreaAsync(Guid userId, CancellationToken ct) =>
        await db.UserScopes.Where(s => s.UserId == userId).Select(s => (Guid?)s.AreaId).FirstOrDefaultAsync(ct)
        ?? await db.Areas.IgnoreQueryFilters().OrderBy(a => a.Depth).Select(a => a.Id).FirstAsync(ct);

    public static IResult File(byte[] bytes, string name) =>
        Results.File(bytes, ContentType, $"{name}.xlsx");
}
