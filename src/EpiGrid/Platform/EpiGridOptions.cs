namespace EpiGrid.Platform;

/// <summary>Settings under <c>EpiGrid:</c> (environment: <c>EpiGrid__Name</c>), as API.md names them.</summary>
public sealed class EpiGridOptions
{
    public const string Section = "EpiGrid";

    /// <summary>Where the SQLite file, uploads and local keys live. Relative paths are under the content root.</summary>
    public string DataDirectory { get; set; } = "App_Data";

    /// <summary>Seeds the Xiguan demo office into an empty database. Defaults to true only in Development.</summary>
    public bool? Demo { get; set; }

    /// <summary>The first admin's password when not in demo mode.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>The key-encryption key file; default <c>epigrid.kek</c> in the data directory.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The office's time zone: dates in queries and on pages are in it.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Name shown in the top bar and on printouts.</summary>
    public string OfficeName { get; set; } = "西关街道";

    /// <summary>Secure cookies; default on outside Development.</summary>
    public bool? SecureCookies { get; set; }

    /// <summary>Bearer token lifetime (a long shift).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Rows one account may export in a day before an alert is raised.</summary>
    public int ExportAlertRowsPerDay { get; set; } = 2000;

    /// <summary>Requests per minute per client address (API.md: sign-in 100, public endpoints 30).</summary>
    public RateLimitOptions RateLimits { get; set; } = new();

    /// <summary>Uploaded files (inspection photos): <c>EpiGrid:Uploads:MaxPhotoBytes</c>.</summary>
    public UploadOptions Uploads { get; set; } = new();
}

public sealed class UploadOptions
{
    /// <summary>The largest photo accepted, in bytes; default 5 MB.</summary>
    public long MaxPhotoBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Where uploaded files live (<c>EpiGrid:Uploads:Directory</c>); default <c>uploads</c> in the data directory.
    /// With several nodes, a directory every node mounts (ADR-009).</summary>
    public string? Directory { get; set; }
}

public sealed class RateLimitOptions
{
    /// <summary><c>/api/public/*</c> and the public pages, per client address and minute.</summary>
    public int PublicPerMinute { get; set; } = 30;

    /// <summary><c>POST /api/auth/login</c>, per client address and minute.</summary>
    public int SignInPerMinute { get; set; } = 100;
}
