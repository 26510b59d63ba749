using Microsoft.AspNetCore.Authorization;

namespace EpiGrid.Platform.Auth;

/// <summary>
/// One authorization policy per right of the rights table (docs/api.md, "Roles and rights"). Endpoints and pages
/// name a right, never a role: the table lives here once, and the authorization matrix test reads it.
/// </summary>
public static class Rights
{
    public const string ManageSystem = "ManageSystem";
    public const string ReadOrgTree = "ReadOrgTree";
    public const string ReadPeople = "ReadPeople";
    public const string EditPeople = "EditPeople";
    public const string Reveal = "Reveal";
    /// <summary>A complainant's phone in full (with a reason, audited): the roles that reveal, and the complaint desk, which must
    /// call back. Not a person's ID number or phone: the desk's Reveal of people stays closed.</summary>
    public const string RevealComplainant = "RevealComplainant";
    public const string GatePasses = "GatePasses";
    public const string HandleAlerts = "HandleAlerts";
    public const string ReadComplaints = "ReadComplaints";
    public const string HandleComplaints = "HandleComplaints";
    public const string AcknowledgeComplaints = "AcknowledgeComplaints";
    public const string RemindComplaints = "RemindComplaints";
    public const string ActOnDispatchedComplaints = "ActOnDispatchedComplaints";
    public const string Imports = "Imports";
    public const string ReadReports = "ReadReports";
    public const string SignReports = "SignReports";
    public const string FieldWork = "FieldWork";
    public const string CompleteDelivery = "CompleteDelivery";
    public const string Publicity = "Publicity";
    public const string ReadAudit = "ReadAudit";
    public const string ListUsers = "ListUsers";
    /// <summary>Put a compound under closed management (封闭管理) or lift it, and set outing limits; the leaders decide it.</summary>
    public const string CloseCompound = "CloseCompound";
    /// <summary>Any signed-in, active account.</summary>
    public const string SignedIn = "SignedIn";

    // Two rows of the table together, where one route serves both (ADR-007): a ticket's page and its API are read by
    // those who read complaints in their scope and by whoever it is dispatched to; what was done on it is logged by
    // the desk or by whoever it is dispatched to. The route's handler then applies the narrower rule to the record.
    /// <summary>Complaints: read in scope, or read one dispatched to oneself.</summary>
    public const string SeeComplaints = "SeeComplaints";
    /// <summary>Complaints: log what was done (the desk, or the handler/responder of the ticket).</summary>
    public const string WorkOnComplaints = "WorkOnComplaints";

    public static readonly IReadOnlyDictionary<string, string[]> RolesOf = new Dictionary<string, string[]>
    {
        [ManageSystem] = [Roles.Admin],
        [ReadOrgTree] = [Roles.Admin, Roles.Leader, Roles.Supervisor, Roles.GridWorker, Roles.Statistician, Roles.GateKeeper, Roles.ComplaintOfficer, Roles.Publicity],
        [ReadPeople] = [Roles.Admin, Roles.Leader, Roles.Supervisor, Roles.GridWorker, Roles.Statistician],
        [EditPeople] = [Roles.GridWorker, Roles.Statistician],
        [Reveal] = [Roles.Leader, Roles.GridWorker, Roles.Statistician],
        [RevealComplainant] = [Roles.Leader, Roles.GridWorker, Roles.Statistician, Roles.ComplaintOfficer],
        [GatePasses] = [Roles.GateKeeper],
        [HandleAlerts] = [Roles.Leader, Roles.Supervisor, Roles.GridWorker],
        [ReadComplaints] = [Roles.Leader, Roles.Supervisor, Roles.Statistician, Roles.ComplaintOfficer],
        [HandleComplaints] = [Roles.ComplaintOfficer],
        [AcknowledgeComplaints] = [Roles.Leader],
        [RemindComplaints] = [Roles.Supervisor],
        [ActOnDispatchedComplaints] = [Roles.Leader, Roles.Supervisor, Roles.GridWorker],
        [Imports] = [Roles.Statistician],
        [ReadReports] = [Roles.Leader, Roles.Supervisor, Roles.GridWorker, Roles.Statistician],
        [SignReports] = [Roles.Leader],
        [FieldWork] = [Roles.Leader, Roles.Supervisor, Roles.GridWorker],
        [CompleteDelivery] = [Roles.GridWorker, Roles.Volunteer],
        [Publicity] = [Roles.Leader, Roles.Publicity],
        [ReadAudit] = [Roles.Auditor],
        [ListUsers] = [Roles.Admin, Roles.Leader, Roles.Supervisor, Roles.Statistician, Roles.ComplaintOfficer],
        [CloseCompound] = [Roles.Admin, Roles.Leader],
        [SignedIn] = [.. Roles.All],
        [SeeComplaints] = [Roles.Leader, Roles.Supervisor, Roles.GridWorker, Roles.Statistician, Roles.ComplaintOfficer],
        [WorkOnComplaints] = [Roles.Leader, Roles.Supervisor, Roles.GridWorker, Roles.ComplaintOfficer],
    };

    public static void AddPolicies(AuthorizationOptions options)
    {
        foreach (var (right, roles) in RolesOf)
        {
            options.AddPolicy(right, p => p.RequireAuthenticatedUser().RequireRole(roles));
        }
    }

    public static bool Has(System.Security.Claims.ClaimsPrincipal user, string right) =>
        user.Identity?.IsAuthenticated == true && RolesOf[right].Any(user.IsInRole);
}
