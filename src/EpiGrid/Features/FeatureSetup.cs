using EpiGrid.Features.Account;
using EpiGrid.Features.Accounts;
using EpiGrid.Features.Alerts;
using EpiGrid.Features.Observation;
using EpiGrid.Features.Tasks;
using EpiGrid.Features.AuditLog;
using EpiGrid.Features.Calendar;
using EpiGrid.Features.Command;
using EpiGrid.Features.Households;
using EpiGrid.Features.People;
using EpiGrid.Features.SelfRegistration;
using EpiGrid.Features.Disinfection;
using EpiGrid.Features.Inspections;
using EpiGrid.Features.Complaints;
using EpiGrid.Features.Duty;
using EpiGrid.Features.Publicity;
using EpiGrid.Features.Supplies;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform.Jobs;
using EpiGrid.Platform.Privacy;

namespace EpiGrid.Features;

/// <summary>Composes the features: their use cases, their API routes. Pages are found by Razor under Features/.</summary>
public static class FeatureSetup
{
    public static IServiceCollection AddEpiGridFeatures(this IServiceCollection services)
    {
        services.AddScoped<SignInUser>();
        // T1: sign-in history, retention.
        services.AddScoped<SignIns.SignInHistory>();
        services.AddPeriodicCheck<Retention.AnonymiseExpired>(TimeSpan.FromHours(1));
        services.AddPeriodicCheck<Retention.PurgeExpired>(TimeSpan.FromHours(1));
        services.AddScoped<ManageAccount>();
        services.AddScoped<EditOrgTree>();
        services.AddScoped<Matrix>();
        // P2: tasks, observation, live alerts.
        services.AddOptions<ObservationOptions>().BindConfiguration(ObservationOptions.Section);
        services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.Section);
        services.AddScoped<AssignTasks>();
        services.AddScoped<RecordAttempt>();
        services.AddScoped<ObservePerson>();
        services.AddScoped<PersonFollowUp>();
        services.AddScoped<EpiGrid.Features.Feed.ChangeFeed>();
        services.AddSingleton<AlertPush>();
        // Live connections are checked again while they last: account disabled, password or roles changed, scope moved (T2).
        services.AddSingleton<LiveConnections>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveConnections>());
        services.AddSingleton<AlertDeliveries>();
        services.AddPeriodicCheck<SendQueuedAlerts>(TimeSpan.FromSeconds(30)); // the outbox: retries, and what a dead node left
        services.AddHttpClient();
        services.AddSingleton<IAlertNotifier, WebhookNotifier>();
        services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddPeriodicCheck<MissedCheckRule>(TimeSpan.FromMinutes(1));
        services.AddPeriodicCheck<ReleaseRule>(TimeSpan.FromMinutes(1));
        services.AddPeriodicCheck<EscalationRule>(TimeSpan.FromMinutes(1));
        services.AddScoped<EpiGrid.Features.Today.TodayBoard>();
        services.AddScoped<RegisterPerson>();
        services.AddScoped<ContactChain>();
        services.AddScoped<CaseActions>();
        services.AddScoped<MovePerson>();
        services.AddScoped<KeepRegister>();
        services.AddScoped<ImportRegister>();
        services.AddScoped<Coverage>();
        services.AddScoped<SubmitRegistration>();
        services.AddPeriodicCheck<KeyMaintenance>(TimeSpan.FromMinutes(1), everyNode: true); // each process adopts a rotated key
        // Field work I (W1): inspections and disinfection.
        services.AddSingleton<PhotoStore>();
        services.AddScoped<EditPremises>();
        services.AddScoped<RecordInspection>();
        services.AddScoped<EditDisinfectionPlan>();
        services.AddScoped<RecordDisinfection>();
        services.AddScoped<DisinfectionBoard>();
        services.AddPeriodicCheck<RectificationOverdueCheck>(TimeSpan.FromMinutes(1));
        services.AddPeriodicCheck<DisinfectionMissedCheck>(TimeSpan.FromMinutes(1));
        services.AddScoped<WorkCalendar>();
        services.AddScoped<EditCalendar>();
        services.AddOptions<ComplaintOptions>().BindConfiguration(ComplaintOptions.Section);
        services.AddScoped<ComplaintDeadlines>();
        services.AddScoped<ComplaintSteps>();
        services.AddScoped<FileComplaint>();
        services.AddScoped<AcknowledgeComplaint>();
        services.AddScoped<DispatchComplaint>();
        services.AddScoped<LogComplaintAction>();
        services.AddScoped<ReplyToComplaint>();
        services.AddScoped<FollowUpComplaint>();
        services.AddScoped<RemindHandler>();
        services.AddScoped<ReadComplaint>();
        services.AddScoped<LookUpComplaint>();
        services.AddScoped<ExportReceipt>();
        services.AddScoped<FindDuplicates>();
        services.AddScoped<MergeComplaint>();
        services.AddScoped<ComplaintStats>();
        services.AddScoped<ExportComplaints>();
        services.AddPeriodicCheck<ComplaintDeadlineCheck>(TimeSpan.FromMinutes(1));
        // Compound gates (G1).
        services.AddScoped<EpiGrid.Features.Gates.RecordPass>();
        services.AddSingleton<EpiGrid.Features.Gates.GateDirectory>();
        services.AddSingleton<EpiGrid.Features.Gates.PassWriter>();
        services.AddScoped<EpiGrid.Features.Gates.GateRecords>();
        // G2: pass cards, the shared phone's lock.
        services.AddOptions<EpiGrid.Features.Gates.GateOptions>().BindConfiguration(EpiGrid.Features.Gates.GateOptions.Section);
        services.AddScoped<EpiGrid.Features.Gates.KeeperLock>();
        services.AddScoped<EpiGrid.Features.PassCards.IssuePassCard>();
        services.AddScoped<EpiGrid.Features.PassCards.GateCards>();
        // Field work II (W2): supplies for quarantined homes, publicity, party posts and duty rosters.
        services.AddOptions<SuppliesOptions>().BindConfiguration(SuppliesOptions.Section)
            .Validate(o => o.LinkDays is >= 1 and <= 365, "EpiGrid:Supplies:LinkDays must be 1 to 365 (days a household's supplies link works)").ValidateOnStart();
        services.AddScoped<SupplyBoard>();
        services.AddScoped<RequestSupplies>();
        services.AddScoped<DeliverSupplies>();
        services.AddPeriodicCheck<SuppliesOverdueCheck>(TimeSpan.FromMinutes(1));
        services.AddScoped<EditPublicity>();
        services.AddScoped<PublicityBoard>();
        services.AddOptions<DutyOptions>().BindConfiguration(DutyOptions.Section);
        services.AddScoped<EditDuty>();
        services.AddScoped<ScheduleShift>();
        services.AddScoped<DutyRoster>();
        // Daily report and the leaders' dashboard (R2).
        services.AddOptions<EpiGrid.Features.Reports.ReportOptions>().BindConfiguration(EpiGrid.Features.Reports.ReportOptions.Section);
        services.AddScoped<EpiGrid.Features.Reports.DailyFigures>();
        services.AddScoped<EpiGrid.Features.Reports.DailyReports>();
        services.AddScoped<EpiGrid.Features.Reports.ReviewDailyReport>();
        services.AddScoped<EpiGrid.Features.Reports.SignDailyReport>();
        services.AddScoped<EpiGrid.Features.Reports.ReportWorkbook>();
        services.AddOptions<EpiGrid.Features.Dashboard.DashboardOptions>().BindConfiguration(EpiGrid.Features.Dashboard.DashboardOptions.Section);
        services.AddMemoryCache();
        services.AddSingleton<EpiGrid.Features.Dashboard.LiveRefresh>();
        services.AddScoped<EpiGrid.Features.Dashboard.DashboardFigures>();
        services.AddSingleton<EpiGrid.Features.Dashboard.DashboardRefresher>();
        // Imports of upper-level lists (R1): a background worker reads the queue (the Imports table).
        services.AddOptions<EpiGrid.Features.Imports.ImportOptions>().BindConfiguration(EpiGrid.Features.Imports.ImportOptions.Section);
        services.AddSingleton<EpiGrid.Features.Imports.ImportFiles>();
        services.AddSingleton<EpiGrid.Features.Imports.ImportQueue>();
        services.AddScoped<EpiGrid.Features.Imports.StartImport>();
        services.AddScoped<EpiGrid.Features.Imports.RunImport>();
        services.AddScoped<EpiGrid.Features.Imports.ReviewImport>();
        services.AddHostedService<EpiGrid.Features.Imports.ImportWorker>();
        return services;
    }

    public static IEndpointRouteBuilder MapEpiGridFeatures(this IEndpointRouteBuilder app)
    {
        app.MapAuthApi();
        SignIns.SignInsApi.MapSignInsApi(app);
        app.MapAccountsApi();
        app.MapOrgTreeApi();
        app.MapCommandApi();
        app.MapAuditApi();
        app.MapAlertsApi();
        // A connection ends when the token or cookie that opened it expires, as a request would be refused (T2).
        app.MapHub<LiveHub>("/hubs/live", o => o.CloseOnAuthenticationExpiration = true);
        app.MapTasksApi();
        app.MapObservationApi();
        EpiGrid.Features.Feed.ChangeFeed.MapFeedApi(app);
        app.MapPeopleApi();
        app.MapHouseholdsApi();
        app.MapRegistrationsApi();
        app.MapInspectionsApi();
        app.MapDisinfectionApi();
        app.MapCalendarApi();
        app.MapComplaintsApi();
        EpiGrid.Features.Gates.GatesApi.MapGatesApi(app);
        EpiGrid.Features.PassCards.PassCardsApi.MapPassCardsApi(app);
        app.MapSuppliesApi();
        app.MapPublicityApi();
        app.MapDutyApi();
        EpiGrid.Features.Reports.ReportsApi.MapReportsApi(app);
        EpiGrid.Features.Dashboard.DashboardApi.MapDashboardApi(app);
        EpiGrid.Features.Imports.ImportsApi.MapImportsApi(app);
        return app;
    }
}
