namespace EpiGrid.Platform.Auth;

/// <summary>The roles of docs/api.md ("Roles and rights"), with their Chinese names.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Leader = "Leader";
    public const string Supervisor = "Supervisor";
    public const string GridWorker = "GridWorker";
    public const string Statistician = "Statistician";
    public const string GateKeeper = "GateKeeper";
    public const string ComplaintOfficer = "ComplaintOfficer";
    public const string Publicity = "Publicity";
    public const string Volunteer = "Volunteer";
    public const string Auditor = "Auditor";

    public static readonly IReadOnlyList<string> All =
        [Admin, Leader, Supervisor, GridWorker, Statistician, GateKeeper, ComplaintOfficer, Publicity, Volunteer, Auditor];

    public static readonly IReadOnlyDictionary<string, string> ChineseNames = new Dictionary<string, string>
    {
        [Admin] = "系统管理员",
        [Leader] = "领导",
        [Supervisor] = "督办",
        [GridWorker] = "网格员",
        [Statistician] = "统计员",
        [GateKeeper] = "卡口值守",
        [ComplaintOfficer] = "投诉处置",
        [Publicity] = "宣传",
        [Volunteer] = "志愿者",
        [Auditor] = "审计员",
    };

    /// <summary>Roles that work on a phone: their pages get a bottom tab bar.</summary>
    public static readonly IReadOnlySet<string> PhoneRoles = new HashSet<string> { GridWorker, GateKeeper, Volunteer };
}
