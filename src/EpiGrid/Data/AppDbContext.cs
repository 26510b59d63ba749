using System.Linq.Expressions;
using System.Reflection;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Data;

/// <summary>
/// The one model. Each provider has a thin subclass (<see cref="SqliteAppDbContext"/>,
/// <see cref="PostgresAppDbContext"/>) with its own migrations. Entities marked <see cref="ScopedByAttribute"/>
/// are filtered to the caller's scope.
/// </summary>
public abstract class AppDbContext : IdentityDbContext<AppUser, IdentityRole<Guid>, Guid>
{
    private readonly DataScope _scope;

    protected AppDbContext(DbContextOptions options, DataScope? scope) : base(options)
    {
        _scope = scope ?? new DataScope();
    }

    // Read by the query filters; EF parameterizes them per query.
    internal bool ScopeActive => _scope.Active;
    internal List<Guid> ScopeAreaIds => _scope.AreaIds;
    internal bool ScopeByGates => _scope.GateIds is not null;
    internal List<Guid> ScopeGateIds => _scope.GateIds ?? [];

    public DataScope Scope => _scope;

    /// <summary>Set while a saved change to accounts, scopes or the org tree waits for its commit (AccountChangeInterceptor).</summary>
    internal bool AccountChangePending { get; set; }

    public DbSet<UserScope> UserScopes => Set<UserScope>();
    public DbSet<UserGate> UserGates => Set<UserGate>();
    public DbSet<Area> Areas => Set<Area>();
    public DbSet<Gate> Gates => Set<Gate>();
    public DbSet<Grid> Grids => Set<Grid>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<AppUser>(b =>
        {
            b.Property(u => u.DisplayName).HasMaxLength(50);
            // The staff account's name: recorded in clear, as the audit log's UserName column is (ADR-019); its display
            // name (a person's name), e-mail and phone number are masked.
            b.Property(u => u.UserName).NotPersonal();
            b.HasProtected("Phone");
        });
        builder.Entity<IdentityRole<Guid>>(b => b.Property(r => r.Name).NotPersonal());
        builder.Entity<UserScope>(b =>
        {
            b.HasKey(s => new { s.UserId, s.AreaId });
            b.HasOne<AppUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<Area>().WithMany().HasForeignKey(s => s.AreaId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<UserGate>(b =>
        {
            b.HasKey(s => new { s.UserId, s.GateId });
            b.HasOne<AppUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<Gate>().WithMany().HasForeignKey(s => s.GateId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly,
            t => t.Namespace?.StartsWith("EpiGrid.", StringComparison.Ordinal) == true);

        // Every DateTime is UTC: stored as such, read back as Kind=Utc.
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            foreach (var p in entity.GetProperties())
            {
                if (p.ClrType == typeof(DateTime)) p.SetValueConverter(UtcConverter);
                else if (p.ClrType == typeof(DateTime?)) p.SetValueConverter(NullableUtcConverter);
            }
        }

        ApplyScopeFilters(builder);
    }

    private static readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime> UtcConverter =
        new(v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private static readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime?, DateTime?> NullableUtcConverter =
        new(v => v == null ? v : (v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime()),
            v => v == null ? v : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));

    private void ApplyScopeFilters(ModelBuilder builder)
    {
        var self = Expression.Constant(this);
        var active = Expression.Property(self, nameof(ScopeActive));
        var areaIds = Expression.Property(self, nameof(ScopeAreaIds));
        var contains = typeof(List<Guid>).GetMethod(nameof(List<Guid>.Contains))!;

        foreach (var entity in builder.Model.GetEntityTypes().ToList())
        {
            var attr = entity.ClrType.GetCustomAttribute<ScopedByAttribute>();
            if (attr is null) continue;
            var e = Expression.Parameter(entity.ClrType, "e");
            Expression visible = Expression.Call(areaIds, contains, Expression.Property(e, attr.AreaIdProperty));
            if (entity.ClrType == typeof(Gate))
            {
                // A gate keeper's scope is their gates, not the compound.
                var byGates = Expression.Property(self, nameof(ScopeByGates));
                var gateIds = Expression.Property(self, nameof(ScopeGateIds));
                visible = Expression.Condition(byGates, Expression.Call(gateIds, contains, Expression.Property(e, nameof(Gate.Id))), visible);
            }
            var body = Expression.OrElse(Expression.Not(active), visible);
            builder.Entity(entity.ClrType).HasQueryFilter(Expression.Lambda(body, e));
        }
    }
}
