using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using EpiGrid.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EpiGrid.Platform.Privacy;

/// <summary>A data key, stored wrapped (AES-GCM) under the key-encryption key that lives outside the database.</summary>
[Audit.NotAudited] // its creation is audited as a KeyRotation event; the wrapped bytes stay out of the log
public sealed class DataKey
{
    public int Id { get; set; }
    /// <summary>"Data" encrypts values; "Index" keys the HMAC used for exact lookup (never rotated: lookups depend on it).</summary>
    public string Purpose { get; set; } = "";
    public string Wrapped { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

internal sealed class DataKeyConfiguration : IEntityTypeConfiguration<DataKey>
{
    public void Configure(EntityTypeBuilder<DataKey> b)
    {
        b.Property(k => k.Id).ValueGeneratedNever();
        b.Property(k => k.Purpose).HasMaxLength(10);
        b.Property(k => k.Wrapped).HasMaxLength(200);
    }
}

/// <summary>
/// Holds the unwrapped data keys of this process. The key-encryption key (KEK) is read from
/// <c>EpiGrid:KeyFile</c>, created on first start with owner-only permissions. Values are encrypted under the
/// newest data key; older keys stay readable until the rotation job has re-encrypted everything.
/// </summary>
public sealed class KeyRing
{
    private readonly byte[] _kek;
    private readonly ConcurrentDictionary<int, byte[]> _dataKeys = new();
    private volatile int _activeId;
    private byte[] _indexKey = [];

    public KeyRing(string keyFile)
    {
        KeyFile = keyFile;
        _kek = LoadOrCreateKek(keyFile);
    }

    public string KeyFile { get; }
    public int ActiveKeyId => _activeId;

    private static byte[] LoadOrCreateKek(string path)
    {
        if (File.Exists(path))
        {
            var key = Convert.FromBase64String(File.ReadAllText(path).Trim());
            if (key.Length != 32) throw new InvalidOperationException($"The key file {path} does not hold a 256-bit key.");
            return key;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var fresh = RandomNumberGenerator.GetBytes(32);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var fs = new FileStream(path, options))
        using (var w = new StreamWriter(fs))
        {
            w.Write(Convert.ToBase64String(fresh));
        }
        return fresh;
    }

    /// <summary>Loads the wrapped keys from the database, creating the first ones in an empty database.</summary>
    public async Task LoadAsync(AppDbContext db, TimeProvider time, CancellationToken ct = default)
    {
        var keys = await db.Set<DataKey>().AsNoTracking().OrderBy(k => k.Id).ToListAsync(ct);
        if (keys.Count == 0)
        {
            var now = time.GetUtcNow().UtcDateTime;
            keys =
            [
                new DataKey { Id = 1, Purpose = "Index", Wrapped = Wrap(RandomNumberGenerator.GetBytes(32)), CreatedAt = now },
                new DataKey { Id = 2, Purpose = "Data", Wrapped = Wrap(RandomNumberGenerator.GetBytes(32)), CreatedAt = now },
            ];
            db.AddRange(keys);
            await db.SaveChangesAsync(ct);
            foreach (var k in keys) db.Entry(k).State = EntityState.Detached;
        }
        Absorb(keys);
    }

    private void Absorb(IEnumerable<DataKey> keys)
    {
        foreach (var k in keys)
        {
            var raw = Unwrap(k.Wrapped);
            if (k.Purpose == "Index") _indexKey = raw;
            else
            {
                _dataKeys[k.Id] = raw;
                if (k.Id > _activeId) _activeId = k.Id;
            }
        }
    }

    /// <summary>Whether the data key <paramref name="keyId"/> is loaded on this node.</summary>
    public bool Has(int keyId) => _dataKeys.ContainsKey(keyId);

    /// <summary>Picks up keys added by another process (a rotation run elsewhere).</summary>
    public async Task RefreshAsync(AppDbContext db, CancellationToken ct = default)
    {
        var known = _activeId;
        Absorb(await db.Set<DataKey>().AsNoTracking().Where(k => k.Purpose == "Data" && k.Id > known).ToListAsync(ct));
    }

    /// <summary>Adds a new data key and makes it the active one. Existing values stay readable.</summary>
    public async Task<int> RotateAsync(AppDbContext db, TimeProvider time, CancellationToken ct = default)
    {
        var next = (await db.Set<DataKey>().MaxAsync(k => (int?)k.Id, ct) ?? 0) + 1;
        var key = new DataKey { Id = next, Purpose = "Data", Wrapped = Wrap(RandomNumberGenerator.GetBytes(32)), CreatedAt = time.GetUtcNow().UtcDateTime };
        db.Add(key);
        await db.SaveChangesAsync(ct);
        db.Entry(key).State = EntityState.Detached;
        Absorb([key]);
        return next;
    }

    /// <summary>
    /// Seals a block of bytes (a chunk of an uploaded file, R1) under the active data key: nonce, ciphertext, tag.
    /// <paramref name="keyId"/> names the key, to be stored beside the blocks and given back to <see cref="OpenBytes"/>.
    /// </summary>
    public byte[] SealBytes(ReadOnlySpan<byte> plain, ReadOnlySpan<byte> aad, out int keyId)
    {
        keyId = _activeId;
        var output = new byte[12 + plain.Length + 16];
        RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        GcmFor(_dataKeys[keyId]).Encrypt(output.AsSpan(0, 12), plain, output.AsSpan(12, plain.Length), output.AsSpan(12 + plain.Length), aad);
        return output;
    }

    /// <summary>Opens a block sealed by <see cref="SealBytes"/> into <paramref name="plain"/> (its length: the sealed length − 28).</summary>
    public void OpenBytes(int keyId, ReadOnlySpan<byte> sealedBytes, ReadOnlySpan<byte> aad, Span<byte> plain)
    {
        if (!_dataKeys.TryGetValue(keyId, out var key)) throw new CryptographicException($"Data key #{keyId} is not loaded.");
        GcmFor(key).Decrypt(sealedBytes[..12], sealedBytes.Slice(12, plain.Length), sealedBytes[(12 + plain.Length)..], plain, aad);
    }

    /// <summary>
    /// A key for another purpose, derived from the key-encryption key with HKDF-SHA256 and <paramref name="purpose"/> as its
    /// label (the audit chain's HMAC key, ADR-019): the same on every node that has the same key file, never stored.
    /// </summary>
    public byte[] DeriveKey(string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _kek, 32, salt: "EpiGrid"u8.ToArray(), info: Encoding.UTF8.GetBytes(purpose));

    /// <summary>Wraps other key material (the Data Protection keys, S1) with the key-encryption key.</summary>
    public byte[] SealWithKek(byte[] plain, ReadOnlySpan<byte> purpose) => Seal(_kek, plain, purpose);

    /// <summary>Opens what <see cref="SealWithKek"/> wrapped; throws if the key file is not the one that wrapped it.</summary>
    public byte[] OpenWithKek(byte[] wrapped, ReadOnlySpan<byte> purpose) => Open(_kek, wrapped, purpose);

    private string Wrap(byte[] key) => Convert.ToBase64String(Seal(_kek, key, "kek"u8));
    private byte[] Unwrap(string wrapped) => Open(_kek, Convert.FromBase64String(wrapped), "kek"u8);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string Encrypt(string plaintext, string field)
    {
        var id = _activeId;
        var sealedBytes = Seal(_dataKeys[id], Encoding.UTF8.GetBytes(plaintext), Encoding.UTF8.GetBytes(field));
        return id.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + Convert.ToBase64String(sealedBytes);
    }

    public string Decrypt(string cipher, string field, AppDbContext? db = null)
    {
        var colon = cipher.IndexOf(':');
        if (colon <= 0) throw new CryptographicException("Not a protected value.");
        var id = int.Parse(cipher.AsSpan(0, colon), System.Globalization.CultureInfo.InvariantCulture);
        if (!_dataKeys.TryGetValue(id, out var key))
        {
            // Another node rotated the key: read the new one from the database.
            if (db is null) throw new CryptographicException($"Data key {id} is not loaded.");
            Absorb(db.Set<DataKey>().AsNoTracking().Where(k => k.Id == id).ToList());
            key = _dataKeys[id];
        }
        var plain = Open(key, Convert.FromBase64String(cipher[(colon + 1)..]), Encoding.UTF8.GetBytes(field));
        return Encoding.UTF8.GetString(plain);
    }

    public static int KeyIdOf(string cipher) =>
        int.Parse(cipher.AsSpan(0, cipher.IndexOf(':')), System.Globalization.CultureInfo.InvariantCulture);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string Hmac(string normalized, string field)
    {
        // One keyed HMAC per thread: the one-shot HashData sets up (and tears down) OpenSSL's MAC context on every call,
        // which at a busy gate cost more than the hash itself (G1's profile).
        var hmac = t_hmac;
        if (hmac is null || !ReferenceEquals(t_hmacKey, _indexKey))
        {
            hmac?.Dispose();
            t_hmac = hmac = new HMACSHA256(_indexKey);
            t_hmacKey = _indexKey;
        }
        Span<byte> hash = stackalloc byte[32];
        hmac.TryComputeHash(Encoding.UTF8.GetBytes(field + "\n" + normalized), hash, out _);
        return Convert.ToHexStringLower(hash);
    }

    // Per thread, for the last key used: AesGcm and HMACSHA256 instances are not thread-safe, and making one per call
    // re-runs the key schedule and OpenSSL's context set-up each time.
    [ThreadStatic] private static HMACSHA256? t_hmac;
    [ThreadStatic] private static byte[]? t_hmacKey;
    [ThreadStatic] private static AesGcm? t_gcm;
    [ThreadStatic] private static byte[]? t_gcmKey;

    private static AesGcm GcmFor(byte[] key)
    {
        var gcm = t_gcm;
        if (gcm is null || !ReferenceEquals(t_gcmKey, key))
        {
            gcm?.Dispose();
            t_gcm = gcm = new AesGcm(key, 16);
            t_gcmKey = key;
        }
        return gcm;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static byte[] Seal(byte[] key, byte[] plain, ReadOnlySpan<byte> aad)
    {
        var output = new byte[12 + plain.Length + 16];
        var nonce = output.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        GcmFor(key).Encrypt(nonce, plain, output.AsSpan(12, plain.Length), output.AsSpan(12 + plain.Length), aad);
        return output;
    }

    private static byte[] Open(byte[] key, byte[] sealedBytes, ReadOnlySpan<byte> aad)
    {
        var plain = new byte[sealedBytes.Length - 28];
        GcmFor(key).Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(12, plain.Length), sealedBytes.AsSpan(12 + plain.Length), plain, aad);
        return plain;
    }
}
