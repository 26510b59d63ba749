namespace EpiGrid.Platform;

/// <summary>Settings under <c>EpiGrid:</c> (environment: <c>EpiGrid__Name</c>), as README ("Settings") names them.</summary>
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

    /// <summary>The office's public address (<c>https://xg.example.gov.cn</c>), read at start: the self-registration link and
    /// its QR code and a household's supplies link are built from it, never from the request's Host header. Required outside
    /// Development; there it defaults to the address <c>dotnet run</c> listens on. When set (and <c>AllowedHosts</c> is not),
    /// only its host name and the loopback names are answered (host filtering, README "Settings").</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Secure cookies; default on outside Development.</summary>
    public bool? SecureCookies { get; set; }

    /// <summary>The reverse proxies (nginx, docs/deploy.md) whose X-Forwarded-For and X-Forwarded-Proto are believed: addresses
    /// (10.0.1.10) or networks (10.0.1.0/24). Empty (the default): the headers are ignored and the connection's address is
    /// the client's — rate limits per address and the sign-in log then see the proxy behind one.</summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>Bearer token lifetime (a long shift).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How long a node may reuse an account's stamp, disabled flag and scope before reading them again (ADR-009).
    /// Changes made on the same node take effect at once; another node's within this many seconds. 0 = read every request.</summary>
    public double AccountCacheSeconds { get; set; } = 5;

    /// <summary>Gate passes through the group-commit writer (ADR-010). false = one EF transaction per pass, the naive path
    /// the benchmark compares with (and a way out if the writer ever misbehaves).</summary>
    public bool GatePassGroupCommit { get; set; } = true;

    /// <summary>Rows one account may export in a day before an alert is raised.</summary>
    public int ExportAlertRowsPerDay { get; set; } = 2000;

    /// <summary>Requests per minute per client address (docs/api.md: sign-in 100, public endpoints 30).</summary>
    public RateLimitOptions RateLimits { get; set; } = new();

    /// <summary>The largest request body outside the upload routes (which name their own limit); default 1 MB. Larger → 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How long personal data is kept, per kind of record (README "Retention").</summary>
    public RetentionOptions Retention { get; set; } = new();

    /// <summary>Uploaded files (inspection photos): <c>EpiGrid:Uploads:MaxPhotoBytes</c>.</summary>
    public UploadOptions Uploads { get; set; } = new();

    /// <summary>The app's own backups and the copies a restore moves aside: where, and how long they are kept.</summary>
    public EpiGrid.Platform.Backup.BackupOptions Backup { get; set; } = new();

    /// <summary>The audit log: <c>EpiGrid:Audit:HeadFile</c> (ADR-019).</summary>
    public EpiGrid.Platform.Audit.AuditOptions Audit { get; set; } = new();
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

    /// <summary>The sign-in form and <c>POST /api/auth/login</c>, per client address and minute.</summary>
    public int SignInPerMinute { get; set; } = 100;

    /// <summary>Sign-in attempts per account name and minute, whatever the address.</summary>
    public int SignInPerAccountPerMinute { get; set; } = 20;

    /// <summary>Public requests served at once over all addresses (the rest wait in a queue of <see cref="PublicQueue"/>, then 429).</summary>
    public int PublicConcurrent { get; set; } = 16;

    public int PublicQueue { get; set; } = 200;
}

public sealed class RetentionOptions
{
    /// <summary>Days after the end of observation (the person released, transferred or closed; left Active with no running
    /// order: the last step of the work on them) before de-identification (with the text copied from the file into alerts,
    /// tasks, care, orders, contacts and supply requests); also the days after a household visit before its note is removed,
    /// after a disinfection tied to no complaint before its place and note are, and after a daily report's date before
    /// its remarks are; default 180.</summary>
    public int Days { get; set; } = 180;

    /// <summary>The audit log is never pruned by the app; this is the floor any outside pruning must respect (months).</summary>
    public int AuditMonths { get; set; } = 6;

    /// <summary>Days after a visitor's gate pass before its name, ID number, phone, from, to, plate and reason are removed
    /// (the pass stays for the gates' counts), with its fever alert's text (also a gate fever of a resident with no file);
    /// default 30.</summary>
    public int VisitorPassDays { get; set; } = 30;

    /// <summary>Days after a self-registration was confirmed or rejected (or, never reviewed, submitted) before it is
    /// deleted; default 30.</summary>
    public int RegistrationDays { get; set; } = 30;

    /// <summary>Days after an import ended (or, never started, was uploaded) before its rows, row errors and encrypted
    /// file are deleted (the import's counts stay); default 90.</summary>
    public int ImportDays { get; set; } = 90;

    /// <summary>Days after a complaint was closed — or, never closed, after its last step — before the complainant's name,
    /// phone, address, the 12345 platform's number and the free texts (description, concerning, reply, timeline notes; its
    /// overdue alerts' note; the place and note of a disinfection recorded for it) are removed (number, category, area,
    /// dates and outcome stay); default 730 (two years).</summary>
    public int ClosedComplaintDays { get; set; } = 730;

    /// <summary>Days after a resident moved out (or their household was deregistered) before the resident row is deleted,
    /// their passes lose the link and the name, and a deregistered household loses its note and address; default 30.</summary>
    public int ResidentDays { get; set; } = 30;

    /// <summary>Days after a pass made by a resident (not a visitor) before its name, plate, approval reason and the links
    /// to the resident and the pass card are removed (gate, time, direction, temperature, outcome stay); default 30, as a
    /// visitor's: the same tracing window, and at least the longest outing limit (30 days) that looks back at passes.</summary>
    public int ResidentPassDays { get; set; } = 30;

    /// <summary>Days after an inspection's date before its findings and note are removed and its photos deleted (with the
    /// requirement of a rectification it issued, once closed); default 730 (two years).</summary>
    public int InspectionDays { get; set; } = 730;

    /// <summary>Days after a sign-in attempt before its record (client address, the name as typed) is deleted; at least
    /// 180 (network logs are kept six months or more); default 180.</summary>
    public int SignInDays { get; set; } = 180;
}
