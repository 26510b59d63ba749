using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Platform.Audit;

/// <summary>
/// One line of the audit log: a change to a record (Insert/Update/Delete) or an event (Reveal, Export, SignIn...).
/// Append-only for the application; each entry carries the keyed hash of the one before it, so altering or removing
/// a row breaks the chain at that row, and removing the newest rows shows against the head file (<see cref="AuditChain"/>).
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    /// <summary>The entry's place in the chain, assigned under the chain's lock (1, 2, 3...).</summary>
    public long Seq { get; set; }
    public DateTime At { get; set; }
    public Guid? UserId { get; set; }
    public string UserName { get; set; } = "";
    /// <summary>Insert, Update, Delete, Reveal, Export, ...</summary>
    public string Action { get; set; } = "";
    public string Entity { get; set; } = "";
    public string EntityId { get; set; } = "";
    /// <summary>JSON: for changes { field: [old, new] }, for events their details — personal text only masked (ADR-019).</summary>
    public string Details { get; set; } = "";
    public string PrevHash { get; set; } = "";
    public string Hash { get; set; } = "";
    /// <summary>The chain rule the writer follows (<see cref="AuditChain.Version"/>). NOT NULL without a default: a build from
    /// before the keyed chain, which does not name this column, cannot append (ADR-019). Not part of the hash.</summary>
    public int ChainVersion { get; set; } = AuditChain.Version;
}

/// <summary>Entities exempt from per-row audit: high-volume immutable records whose own table is the record.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class NotAuditedAttribute : Attribute;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("AuditLog");
        b.HasIndex(a => a.Seq).IsUnique();
        b.Property(a => a.UserName).HasMaxLength(100);
        b.Property(a => a.Action).HasMaxLength(30);
        b.Property(a => a.Entity).HasMaxLength(100);
        b.Property(a => a.EntityId).HasMaxLength(200);
        b.Property(a => a.PrevHash).HasMaxLength(64);
        b.Property(a => a.Hash).HasMaxLength(64);
        // Required and without a database default: every insert names it (the migration AuditChainVersion gave existing rows 2).
        b.Property(a => a.ChainVersion);
        b.HasIndex(a => a.At);
        b.HasIndex(a => new { a.Entity, a.EntityId });
        b.HasIndex(a => new { a.UserId, a.Action, a.At });
    }
}
