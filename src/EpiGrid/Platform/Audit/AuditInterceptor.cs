using System.Security.Claims;
using System.Text.Json;
using EpiGrid.Data;
using EpiGrid.Platform.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace EpiGrid.Platform.Audit;

/// <summary>
/// Records every insert, update and delete (who, when, entity, id, field, old → new) in the audit log, in the
/// same transaction as the change. Text is recorded masked unless its column is declared not personal, events' details
/// by the event rules (<see cref="AuditMask"/>, ADR-019); protected fields' cipher, hash and last 4 and secrets
/// (password hashes, stamps) not at all. Audit entries themselves can only be added. Entries are chained (HMAC under the
/// chain key) under a write lock so that concurrent requests cannot fork the chain.
/// </summary>
public sealed class AuditInterceptor(IHttpContextAccessor http, TimeProvider time, AuditChainKey chainKey) : SaveChangesInterceptor
{
    private static readonly HashSet<string> Secret = new(StringComparer.Ordinal)
    {
        "PasswordHash", "SecurityStamp", "ConcurrencyStamp", "NormalizedUserName", "NormalizedEmail", "NormalizedName",
    };

    /// <summary>Columns never recorded, not even masked.</summary>
    internal static bool IsSecret(string name) => Secret.Contains(name);

    private IDbContextTransaction? _own;

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is AppDbContext db) Prepare(db);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is AppDbContext db) await PrepareAsync(db, cancellationToken);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (_own is not null) { _own.Commit(); _own.Dispose(); _own = null; }
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (_own is not null) { await _own.CommitAsync(cancellationToken); await _own.DisposeAsync(); _own = null; }
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (_own is not null) { _own.Rollback(); _own.Dispose(); _own = null; }
        DropUnsavedEntries(eventData.Context);
    }

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (_own is not null) { await _own.RollbackAsync(cancellationToken); await _own.DisposeAsync(); _own = null; }
        DropUnsavedEntries(eventData.Context);
    }

    // A failed save must not leave its audit lines queued for the next one.
    private static void DropUnsavedEntries(DbContext? db)
    {
        if (db is null) return;
        foreach (var e in db.ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added).ToList())
        {
            e.State = EntityState.Detached;
        }
    }

    private void Prepare(AppDbContext db) => PrepareAsync(db, CancellationToken.None, sync: true).GetAwaiter().GetResult();

    private async Task PrepareAsync(AppDbContext db, CancellationToken ct, bool sync = false)
    {
        db.ChangeTracker.DetectChanges();
        foreach (var e in db.ChangeTracker.Entries<AuditEntry>())
        {
            if (e.State is EntityState.Modified or EntityState.Deleted)
            {
                throw new InvalidOperationException("The audit log is append-only.");
            }
        }

        // Events added by the features (AuditLog.Event, or an AuditEntry of their own): their details by the event rules.
        foreach (var e in db.ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added))
        {
            e.Entity.Details = AuditMask.EventDetails(e.Entity.Action, e.Entity.Details);
        }

        var changes = db.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Where(e => e.Entity is not AuditEntry && !Attribute.IsDefined(e.Entity.GetType(), typeof(NotAuditedAttribute)))
            .ToList();
        var who = CurrentUser();
        var now = Truncate(time.GetUtcNow().UtcDateTime);
        foreach (var entry in changes)
        {
            var details = Describe(entry);
            if (details is null) continue;
            db.Add(new AuditEntry
            {
                At = now,
                UserId = who.Id,
                UserName = who.Name,
                Action = entry.State switch { EntityState.Added => "Insert", EntityState.Deleted => "Delete", _ => "Update" },
                Entity = entry.Metadata.ClrType.Name,
                EntityId = KeyOf(entry),
                Details = details,
            });
        }

        var pending = db.ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (pending.Count == 0) return;

        if (db.Database.CurrentTransaction is null)
        {
            _own = sync ? db.Database.BeginTransaction() : await db.Database.BeginTransactionAsync(ct);
        }
        if (db.Database.IsNpgsql())
        {
            // One chain: appends are serialized for the length of the transaction (SQLite's BEGIN IMMEDIATE already is).
            if (sync) db.Database.ExecuteSqlRaw("SELECT pg_advisory_xact_lock(72031)");
            else await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(72031)", ct);
        }
        // Under the lock, the entries take the next sequence numbers: the chain's order is Seq, whatever order
        // EF sends the inserts in.
        var lastQuery = db.Set<AuditEntry>().AsNoTracking().OrderByDescending(a => a.Seq).Select(a => new { a.Seq, a.Hash });
        var last = sync ? lastQuery.FirstOrDefault() : await lastQuery.FirstOrDefaultAsync(ct);
        var prev = last?.Hash ?? "";
        var seq = last?.Seq ?? 0;
        foreach (var a in pending)
        {
            a.Seq = ++seq;
            if (a.At == default) a.At = now;
            if (a.UserName.Length == 0) (a.UserId, a.UserName) = who;
            a.At = Truncate(a.At);
            a.PrevHash = prev;
            a.Hash = AuditChain.HashOf(a, chainKey.Value);
            prev = a.Hash;
        }
    }

    // PostgreSQL keeps microseconds: hash what the database will give back.
    internal static DateTime Truncate(DateTime utc) => new(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);

    private (Guid? Id, string Name) CurrentUser()
    {
        var user = http.HttpContext?.User;
        if (user?.Identity?.IsAuthenticated == true)
        {
            var id = Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var g) ? g : (Guid?)null;
            return (id, user.Identity.Name ?? "");
        }
        return (null, http.HttpContext is null ? "system" : "anonymous");
    }

    private static string KeyOf(EntityEntry entry)
    {
        var key = entry.Metadata.FindPrimaryKey();
        if (key is null) return "";
        return string.Join(",", key.Properties.Select(p => Convert.ToString(entry.Property(p.Name).CurrentValue, System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static string? Describe(EntityEntry entry)
    {
        var fields = new SortedDictionary<string, object?[]>(StringComparer.Ordinal);
        foreach (var p in entry.Properties)
        {
            var name = p.Metadata.Name;
            if (Secret.Contains(name) || ProtectedFields.IsHidden(p.Metadata)) continue;
            switch (entry.State)
            {
                case EntityState.Added:
                    if (p.CurrentValue is not null) fields[name] = [null, AuditMask.Field(p.Metadata, p.CurrentValue)];
                    break;
                case EntityState.Deleted:
                    fields[name] = [AuditMask.Field(p.Metadata, p.OriginalValue), null];
                    break;
                default:
                    // Compared in clear, recorded masked: a changed name shows as changed, not what it became.
                    if (p.IsModified && !Equals(p.OriginalValue, p.CurrentValue)) fields[name] = [AuditMask.Field(p.Metadata, p.OriginalValue), AuditMask.Field(p.Metadata, p.CurrentValue)];
                    break;
            }
        }
        if (entry.State == EntityState.Modified && fields.Count == 0) return null;
        return JsonSerializer.Serialize(fields, AuditLog.Json);
    }
}
