using System.Threading.Channels;
using EpiGrid.Data;
using EpiGrid.Platform.Auth;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Imports;

/// <summary>Wakes the worker when an import is queued (the database is the queue; this only saves the wait).</summary>
public sealed class ImportQueue
{
    private readonly Channel<Guid> _channel = Channel.CreateUnbounded<Guid>();
    public void Wake(Guid importId) => _channel.Writer.TryWrite(importId);
    internal ChannelReader<Guid> Reader => _channel.Reader;
}

/// <summary>
/// The background worker (a hosted service): takes imports from the database — Queued ones, and Running ones whose
/// heartbeat is older than <see cref="StaleAfter"/> (their process died: a restart, a crash, another node gone) — claims
/// each with a conditional UPDATE (so two nodes never run the same import), and runs it. A resumed import goes on after
/// its last committed row; one interrupted <see cref="MaxResumes"/> times, or whose file is gone, ends Failed with a reason.
/// </summary>
public sealed class ImportWorker(IServiceScopeFactory scopes, ImportQueue queue, TimeProvider time, ILogger<ImportWorker> log) : BackgroundService
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);
    public const int MaxResumes = 3;
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await ClaimAndRunAsync(stoppingToken)) { }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                log.LogError(e, "Import worker: claiming an import failed");
            }
            try
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wait.CancelAfter(Poll);
                await queue.Reader.ReadAsync(wait.Token);
                while (queue.Reader.TryRead(out _)) { }
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Claims the oldest waiting import and runs it; false when there was none.</summary>
    public async Task<bool> ClaimAndRunAsync(CancellationToken ct)
    {
        Guid id;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var now = time.GetUtcNow().UtcDateTime;
            var stale = now - StaleAfter;
            var candidate = await db.Set<ImportJob>().AsNoTracking()
                .Where(i => i.Status == ImportStatus.Queued || (i.Status == ImportStatus.Running && (i.HeartbeatAt == null || i.HeartbeatAt < stale)))
                .OrderBy(i => i.CreatedAt).Select(i => new { i.Id, i.Status, i.HeartbeatAt, i.Resumes }).FirstOrDefaultAsync(ct);
            if (candidate is null) return false;
            var resumed = candidate.Status == ImportStatus.Running;
            if (resumed && candidate.Resumes >= MaxResumes)
            {
                await FailAsync(db, candidate.Id, $"导入已中断 {candidate.Resumes + 1} 次，已停止；请检查文件后重新上传", ct);
                return true;
            }
            var claimed = await db.Set<ImportJob>()
                .Where(i => i.Id == candidate.Id && i.Status == candidate.Status && i.HeartbeatAt == candidate.HeartbeatAt)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ImportStatus.Running).SetProperty(i => i.HeartbeatAt, now)
                    .SetProperty(i => i.StartedAt, i => i.StartedAt ?? now).SetProperty(i => i.Resumes, i => i.Resumes + (resumed ? 1 : 0)), ct);
            if (claimed == 0) return true; // another node took it
            id = candidate.Id;
            if (resumed) log.LogWarning("Import {Id}: resumed after an interruption", id);
        }

        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            try
            {
                var job = await db.Set<ImportJob>().AsNoTracking().FirstAsync(i => i.Id == id, ct);
                if (!scope.ServiceProvider.GetRequiredService<ImportFiles>().Exists(job.StoredName))
                {
                    await FailAsync(db, id, "上传的文件已不存在", ct);
                    return true;
                }
                if (await RestrictToUploaderAsync(scope.ServiceProvider, job, ct) is { } refused)
                {
                    await FailAsync(db, id, refused, ct);
                    return true;
                }
                await scope.ServiceProvider.GetRequiredService<RunImport>().RunAsync(id, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw; // shutting down: the import stays Running and is resumed by the next start
            }
            catch (ImportFailedException e)
            {
                await FailAsync(db, id, e.Message, CancellationToken.None);
            }
            catch (Exception e)
            {
                log.LogError(e, "Import {Id} failed", id);
                await FailAsync(db, id, $"导入出错（{e.GetType().Name}），已导入的批次保留；请联系管理员", CancellationToken.None);
            }
        }
        return true;
    }

    /// <summary>
    /// The import runs with its uploader's scope narrowed to its own node and what lies under it, as a request of theirs
    /// would see (ScopeMiddleware) but no further than whoever reads the import: a background job has none of its own, and an
    /// import is stored at one node (the uploader's highest) and read by everyone whose scope covers that node. With the
    /// uploader's whole scope, a statistician of two communities listing the other's ID numbers got its people matched, with
    /// their names, phones, addresses and travel in differences that a reader of the first community saw. Admins and scopes
    /// that cover the whole tree get the import's node and what lies under it. An import without an uploader (made by a
    /// command or a test) or whose uploader is gone sees the same. An uploader since disabled, without the right to import,
    /// or whose scope no longer covers the import's node: the import does not run (the reason, for <see cref="FailAsync"/>).
    /// </summary>
    internal static async Task<string?> RestrictToUploaderAsync(IServiceProvider services, ImportJob job, CancellationToken ct)
    {
        var db = services.GetRequiredService<AppDbContext>();
        var scope = services.GetRequiredService<DataScope>();
        var areas = db.Areas.IgnoreQueryFilters().AsNoTracking();
        var path = await areas.Where(a => a.Id == job.AreaId).Select(a => a.Path).FirstAsync(ct);
        var under = await areas.Where(a => a.Path.StartsWith(path)).Select(a => a.Id).ToListAsync(ct);
        if (job.CreatedBy is { } userId
            && await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.IsDisabled }).FirstOrDefaultAsync(ct) is { } user)
        {
            if (user.IsDisabled) return "上传人的账号已停用，导入未执行；请由在职的统计员重新上传";
            var roles = await db.UserRoles.AsNoTracking().Where(r => r.UserId == userId)
                .Join(db.Roles.AsNoTracking(), ur => ur.RoleId, r => r.Id, (ur, r) => r.Name).ToListAsync(ct);
            var mayImport = Rights.RolesOf[Rights.Imports];
            if (!roles.Contains(Roles.Admin))
            {
                if (!roles.Any(r => r is not null && mayImport.Contains(r))) return "上传人已没有导入名单的权限，导入未执行";
                var state = await services.GetRequiredService<AccountCache>().GetAsync(services, userId, gatesOnly: roles is [Roles.GateKeeper]);
                if (state is null || state.Disabled) return "上传人的账号已停用，导入未执行；请由在职的统计员重新上传";
                if (state.Restricted)
                {
                    var covered = state.AreaIds.ToHashSet();
                    if (!covered.Contains(job.AreaId)) return "上传人的管辖范围已不含本名单所在的区域，导入未执行";
                    under = [.. under.Where(covered.Contains)];
                }
            }
        }
        if (under.Count < await areas.CountAsync(ct)) scope.Restrict(under);
        return null;
    }

    private async Task FailAsync(AppDbContext db, Guid id, string reason, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var now = time.GetUtcNow().UtcDateTime;
        // The worker's own bookkeeping, whatever scope the import ran with.
        await db.Set<ImportJob>().IgnoreQueryFilters().Where(i => i.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Status, ImportStatus.Failed).SetProperty(i => i.FailureReason, reason).SetProperty(i => i.CompletedAt, now), ct);
    }
}
