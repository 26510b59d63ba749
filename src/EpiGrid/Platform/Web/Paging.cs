using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Platform.Web;

/// <summary>A page of a list: <c>{ items, total }</c> (docs/api.md, "Conventions").</summary>
public sealed record PageOf<T>(IReadOnlyList<T> Items, int Total);

public static class Paging
{
    public const int MaxPageSize = 200;

    /// <summary>Page numbers beyond this are refused (400): page × size must stay a valid OFFSET.</summary>
    public const int MaxPage = 1_000_000;

    /// <summary>Counts and pages on the server; page from 1, pageSize at most 200 (400 otherwise).</summary>
    public static async Task<PageOf<T>> PageAsync<T>(this IQueryable<T> query, int? page, int? pageSize, int defaultSize = 50, CancellationToken ct = default)
    {
        var errors = new Errors();
        if (page is < 1 or > MaxPage) errors.Add("page", $"页码应在 1 到 {MaxPage} 之间");
        if (pageSize is < 1 or > MaxPageSize) errors.Add("pageSize", $"每页条数应在 1 到 {MaxPageSize} 之间");
        errors.Throw();
        var size = pageSize ?? defaultSize;
        var total = await query.CountAsync(ct);
        var items = await query.Skip(((page ?? 1) - 1) * size).Take(size).ToListAsync(ct);
        return new PageOf<T>(items, total);
    }
}

public static class InMemoryPaging
{
    /// <summary>Pages a list already in memory (small reference data such as the tree), with the same rules.</summary>
    public static Task<PageOf<T>> PageInMemoryAsync<T>(this IQueryable<T> list, int? page, int? pageSize)
    {
        var errors = new Errors();
        if (page is < 1 or > Paging.MaxPage) errors.Add("page", $"页码应在 1 到 {Paging.MaxPage} 之间");
        if (pageSize is < 1 or > Paging.MaxPageSize) errors.Add("pageSize", $"每页条数应在 1 到 {Paging.MaxPageSize} 之间");
        errors.Throw();
        var size = pageSize ?? Paging.MaxPageSize;
        var all = list.ToList();
        return Task.FromResult(new PageOf<T>([.. all.Skip(((page ?? 1) - 1) * size).Take(size)], all.Count));
    }
}
