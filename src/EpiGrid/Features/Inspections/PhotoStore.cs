using EpiGrid.Platform;
using EpiGrid.Platform.Validation;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Inspections;

/// <summary>A file as it arrived (from the API's multipart body or the page's form).</summary>
public sealed record PhotoUpload(string? FileName, long Length, Func<Stream> Open)
{
    public static PhotoUpload From(IFormFile f) => new(f.FileName, f.Length, f.OpenReadStream);
}

/// <summary>
/// Photos: only JPEG, PNG and WebP, recognised by their first bytes (not the name or the declared type), at most
/// <c>EpiGrid:Uploads:MaxPhotoBytes</c>; stored under <c>&lt;EpiGrid:Uploads:Directory&gt;/inspections/</c> (default
/// <c>uploads</c> in the data directory, outside the web root; a shared mount when several nodes serve) with a random name. They are read back only through the scoped API.
/// </summary>
public sealed class PhotoStore(IOptions<EpiGridOptions> options)
{
    public sealed record Checked(byte[] Bytes, string ContentType, string Extension);

    public long MaxBytes => options.Value.Uploads.MaxPhotoBytes;

    public string Directory => Path.Combine(options.Value.Uploads.Directory ?? Path.Combine(options.Value.DataDirectory, "uploads"), "inspections");

    /// <summary>Reads and checks one upload; adds an error under <paramref name="field"/> and returns null when it is refused.</summary>
    public async Task<Checked?> CheckAsync(PhotoUpload? upload, Errors errors, string field, CancellationToken ct = default)
    {
        if (upload is null || upload.Length == 0)
        {
            errors.Add(field, "请选择照片");
            return null;
        }
        var max = MaxBytes;
        if (upload.Length > max)
        {
            errors.Add(field, $"照片不能超过 {FormatSize(max)}");
            return null;
        }
        await using var s = upload.Open();
        using var ms = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = await s.ReadAsync(buffer, ct)) > 0)
        {
            ms.Write(buffer, 0, n);
            if (ms.Length > max)
            {
                errors.Add(field, $"照片不能超过 {FormatSize(max)}");
                return null;
            }
        }
        var bytes = ms.ToArray();
        var type = Sniff(bytes);
        if (type is null)
        {
            errors.Add(field, "只能上传 JPEG、PNG 或 WebP 格式的图片");
            return null;
        }
        return new Checked(bytes, type.Value.ContentType, type.Value.Extension);
    }

    /// <summary>The image type by its magic bytes, or null.</summary>
    public static (string ContentType, string Extension)? Sniff(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return ("image/jpeg", ".jpg");
        if (b.Length >= 8 && b[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })) return ("image/png", ".png");
        if (b.Length >= 12 && b[..4].SequenceEqual("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8)) return ("image/webp", ".webp");
        return null;
    }

    /// <summary>Writes the checked bytes under a random name and returns that name.</summary>
    public async Task<string> WriteAsync(Checked photo, CancellationToken ct = default)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var name = Guid.NewGuid().ToString("N") + photo.Extension;
        await File.WriteAllBytesAsync(Path.Combine(Directory, name), photo.Bytes, ct);
        return name;
    }

    public void Delete(string storedName)
    {
        try { File.Delete(PathOf(storedName)); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>The full path of a stored photo; the name is ours (random), never the client's.</summary>
    public string PathOf(string storedName) => Path.Combine(Directory, Path.GetFileName(storedName));

    private static string FormatSize(long bytes) =>
        bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024.0):0.#} MB" : $"{Math.Max(1, bytes / 1024)} KB";
}
