using System.Text;
using System.Xml.Linq;
using EpiGrid.Data;
using EpiGrid.Platform.Privacy;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Platform.Cluster;

/// <summary>
/// One ASP.NET Core Data Protection key (it protects cookies, bearer tokens and antiforgery tokens), as the key
/// manager wrote it. The secret inside is wrapped by the key-encryption key (<see cref="KekXmlEncryptor"/>), which
/// never enters the database: a dump alone cannot forge a token.
/// </summary>
[Audit.NotAudited] // key material; its creation is not a user's act
public sealed class ProtectionKey
{
    public int Id { get; set; }
    public string? FriendlyName { get; set; }
    public string Xml { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

internal sealed class ProtectionKeyConfiguration : IEntityTypeConfiguration<ProtectionKey>
{
    public void Configure(EntityTypeBuilder<ProtectionKey> b)
    {
        b.Property(k => k.FriendlyName).HasMaxLength(100);
        b.Property(k => k.Xml).HasMaxLength(8000);
    }
}

/// <summary>
/// The Data Protection key ring in the database, so every node reads the same keys: a token or cookie issued by
/// one node is valid on the others. (Data Protection re-reads the ring every 24 h and creates the next key two days
/// before it is needed, so a key added by one node reaches the others before it is used.)
/// </summary>
public sealed class DatabaseXmlRepository(IServiceScopeFactory scopes, TimeProvider time) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return [.. db.Set<ProtectionKey>().AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList().Select(x => XElement.Parse(x))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Add(new ProtectionKey
        {
            FriendlyName = friendlyName,
            Xml = element.ToString(SaveOptions.DisableFormatting),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        });
        db.SaveChanges();
    }
}

/// <summary>Wraps a Data Protection key's secret with the key-encryption key (AES-GCM), as the data keys are (ADR-004).</summary>
public sealed class KekXmlEncryptor(KeyRing keys) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var wrapped = keys.SealWithKek(plain, KekXmlDecryptor.Purpose);
        var element = new XElement("kekWrapped",
            new XComment(" Wrapped by EpiGrid's key-encryption key (EpiGrid:KeyFile). "),
            new XElement("value", Convert.ToBase64String(wrapped)));
        return new EncryptedXmlInfo(element, typeof(KekXmlDecryptor));
    }
}

/// <summary>Opens what <see cref="KekXmlEncryptor"/> wrapped. Data Protection creates it by type, with the services.</summary>
public sealed class KekXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    internal static ReadOnlySpan<byte> Purpose => "dataprotection"u8;

    public XElement Decrypt(XElement encryptedElement)
    {
        var keys = services.GetRequiredService<KeyRing>();
        var wrapped = Convert.FromBase64String((string?)encryptedElement.Element("value") ?? "");
        return XElement.Parse(Encoding.UTF8.GetString(keys.OpenWithKek(wrapped, Purpose)));
    }
}
