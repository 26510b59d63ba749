using System.Security.Claims;
using EpiGrid.Platform.Auth;

namespace EpiGrid.Platform.Web;

/// <summary>The modules of the sidebar (and, for phone roles, the bottom tab bar): shown to those with the right.</summary>
public static class Navigation
{
    /// <summary>A module; <paramref name="Phone"/> puts it in the phone roles' tab bar before the others.</summary>
    public sealed record Item(string Title, string Url, string Icon, string Right, bool Phone = false);

    public static readonly IReadOnlyList<Item> Items =
    [
        new("首页", "/", "bi-house", Rights.SignedIn),
        new("指挥看板", "/Dashboard", "bi-speedometer2", Rights.ReadReports),
        new("今日工作", "/Today", "bi-list-check", Rights.ReadPeople),
        new("重点人员", "/People", "bi-person-vcard", Rights.ReadPeople, Phone: true),
        new("户籍走访", "/Households", "bi-houses", Rights.ReadPeople, Phone: true),
        new("自主登记", "/Registrations", "bi-qr-code", Rights.ReadPeople),
        new("变动动态", "/Feed", "bi-activity", Rights.ReadPeople),
        new("名单导入", "/Imports", "bi-file-earmark-spreadsheet", Rights.Imports),
        new("我的工单", "/Complaints/Mine", "bi-inbox", Rights.ActOnDispatchedComplaints, Phone: true),
        new("组织架构", "/OrgTree", "bi-diagram-3", Rights.ReadOrgTree),
        new("卡口登记", "/Gates", "bi-thermometer-half", Rights.GatePasses, Phone: true),
        new("卡口记录", "/Gates/Records", "bi-clipboard-data", Rights.ReadPeople),
        new("出入证", "/PassCards", "bi-qr-code-scan", Rights.ReadPeople),
        new("卡口", "/OrgTree/Gates", "bi-door-open", Rights.ReadOrgTree),
        new("网格", "/OrgTree/Grids", "bi-grid-3x3", Rights.ReadOrgTree),
        new("指挥部与包抓", "/Command", "bi-people", Rights.ReadOrgTree),
        new("场所检查", "/Inspections", "bi-shop", Rights.FieldWork, Phone: true),
        new("消杀", "/Disinfection", "bi-droplet-half", Rights.FieldWork, Phone: true),
        // After the grid workers' five phone modules, so their six tabs stay as they are; a volunteer's tab bar is 首页 + 我的配送.
        new("我的配送", "/Supplies/Mine", "bi-bicycle", Rights.CompleteDelivery, Phone: true),
        new("物资配送", "/Supplies", "bi-basket", Rights.FieldWork),
        new("宣传", "/Publicity", "bi-megaphone", Rights.Publicity),
        new("党员与值守", "/Duty", "bi-flag", Rights.Publicity),
        new("日报", "/Reports", "bi-table", Rights.ReadReports),
        new("投诉工单", "/Complaints", "bi-telephone-inbound", Rights.ReadComplaints),
        new("投诉统计", "/Complaints/Stats", "bi-bar-chart-line", Rights.ReadComplaints),
        new("账号管理", "/Accounts", "bi-person-gear", Rights.ManageSystem),
        new("工作日历", "/Calendar", "bi-calendar3", Rights.ManageSystem),
        new("审计日志", "/AuditLog", "bi-shield-check", Rights.ReadAudit),
        new("登录记录", "/SignIns/Audit", "bi-box-arrow-in-right", Rights.ReadAudit),
    ];

    public static IEnumerable<Item> For(ClaimsPrincipal user) => Items.Where(i => Rights.Has(user, i.Right));

    /// <summary>Phone roles (grid worker, gate keeper, volunteer) get a bottom tab bar with their daily pages only.</summary>
    public static bool IsPhoneUser(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && Roles.All.Where(user.IsInRole).All(Roles.PhoneRoles.Contains);

    /// <summary>Home first, then the modules marked for the phone, then the rest, four in all.</summary>
    public static IEnumerable<Item> Tabs(ClaimsPrincipal user) =>
        For(user).OrderBy(i => i.Url == "/" ? 0 : i.Phone ? 1 : 2).Take(6);
}
