using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EpiGrid.Data;

/// <summary>
/// A prepared SQLite statement run straight through SQLitePCL on a connection's handle, its values bound by position —
/// for the two hot bulk writers (gate passes, ADR-010; imports, ADR-013). <see cref="SqliteCommand"/> looks each parameter
/// up by name (a linear <c>strncmp</c> search) and makes a data reader on every run. Values are bound as
/// Microsoft.Data.Sqlite binds them, so EF reads the rows back unchanged (a test compares a row stored so with one EF
/// stored, column by column). It runs in whatever transaction the connection has open. Its per-row methods are compiled
/// optimized at their first call (<see cref="MethodImplOptions.AggressiveOptimization"/>, R1-speed4): a fresh process's
/// first import ran them as tier-0 code for much of its 100,000 rows while the JIT's tiering lagged on two busy cores.
/// </summary>
public sealed class SqliteStatement(SqliteConnection connection, sqlite3_stmt stmt) : IDisposable
{
    public static SqliteStatement Prepare(SqliteConnection connection, string sql)
    {
        var rc = raw.sqlite3_prepare_v2(connection.Handle!, sql, out var stmt);
        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        return new SqliteStatement(connection, stmt);
    }

    /// <summary>Binds the values (in column order), steps once and resets: true when a row was changed (false for an
    /// <c>INSERT … ON CONFLICT DO NOTHING</c> that met its conflict).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Run(IReadOnlyList<object?> values)
    {
        var handle = connection.Handle!;
        for (var c = 0; c < values.Count; c++) SqliteException.ThrowExceptionForRC(Bind(c + 1, values[c]), handle);
        var step = raw.sqlite3_step(stmt);
        var changed = step == raw.SQLITE_DONE && raw.sqlite3_changes(handle) == 1;
        raw.sqlite3_reset(stmt);
        raw.sqlite3_clear_bindings(stmt);
        if (step != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(step, handle);
        return changed;
    }

    /// <summary>GUIDs as upper-case text, dates as <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c>, decimals as invariant text,
    /// booleans and integers as integers — what Microsoft.Data.Sqlite does with the same values. Text goes to SQLite as
    /// UTF-8 written into one buffer of the statement's (SQLite copies it), not a new array per value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Bind(int i, object? value) => value switch
    {
        null or DBNull => raw.sqlite3_bind_null(stmt, i),
        string x => BindText(i, x),
        Guid x => BindGuid(i, x),
        bool x => raw.sqlite3_bind_int64(stmt, i, x ? 1 : 0),
        int x => raw.sqlite3_bind_int64(stmt, i, x),
        long x => raw.sqlite3_bind_int64(stmt, i, x),
        short x => raw.sqlite3_bind_int64(stmt, i, x),
        byte x => raw.sqlite3_bind_int64(stmt, i, x),
        double x => raw.sqlite3_bind_double(stmt, i, x),
        float x => raw.sqlite3_bind_double(stmt, i, x),
        decimal x => BindFormatted(i, x, "0.0###########################"),
        DateTime x => BindFormatted(i, x, @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF"),
        byte[] x => raw.sqlite3_bind_blob(stmt, i, x),
        _ => throw new InvalidOperationException($"No SQLite binding for {value.GetType().Name}"),
    };

    private byte[] _utf8 = new byte[512];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Span<byte> Buffer(int bytes)
    {
        if (_utf8.Length < bytes) _utf8 = new byte[Math.Max(bytes, _utf8.Length * 2)];
        return _utf8;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int BindText(int i, string text)
    {
        var buffer = Buffer(System.Text.Encoding.UTF8.GetMaxByteCount(text.Length));
        return raw.sqlite3_bind_text(stmt, i, buffer[..System.Text.Encoding.UTF8.GetBytes(text, buffer)]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int BindGuid(int i, Guid value)
    {
        var buffer = Buffer(36);
        value.TryFormat(buffer, out var n, "D");
        for (var k = 0; k < n; k++) if (buffer[k] is >= (byte)'a' and <= (byte)'f') buffer[k] -= 'a' - 'A';
        return raw.sqlite3_bind_text(stmt, i, buffer[..n]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int BindFormatted<T>(int i, T value, string format) where T : IUtf8SpanFormattable
    {
        var buffer = Buffer(64);
        if (!value.TryFormat(buffer, out var n, format, System.Globalization.CultureInfo.InvariantCulture)) throw new InvalidOperationException($"{value} does not fit");
        return raw.sqlite3_bind_text(stmt, i, buffer[..n]);
    }

    public void Dispose() => stmt.Dispose();
}
