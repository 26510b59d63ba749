using System.Net;
using EpiGrid.Tests.Infrastructure;
using static EpiGrid.Tests.Complaints.ComplaintTestKit;

namespace EpiGrid.Tests.Complaints;

/// <summary>
/// Time limits on the admin's working-day calendar, through the API with the app's clock moved (one test: the fake
/// clock only goes forward). Urgent: 24 clock hours whatever the day; help: 3 working days; complaint: 13.
/// </summary>
public sealed class ComplaintDeadlineTests(ComplaintClockFactory app) : IClassFixture<ComplaintClockFactory>
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private static DateTimeOffset Local(int y, int m, int d, int h = 10, int min = 0, int s = 0) => new(y, m, d, h, min, s, Beijing);

    private static DateTimeOffset EndOf(int y, int m, int d) => Local(y, m, d, 23, 59, 59);

    [Fact]
    public async Task Deadlines_SkipWeekendsAndHolidays_CountMakeUpWorkdays_UrgentCountsClockHours()
    {
        var admin = await app.As("admin");
        var hotline = await app.As("hotline");
        var area = (await Demo.AreaAsync(app, "春天大道")).Id;
        // The calendar this test counts on, as the admin keeps it (the 2020 Labour Day and National Day holidays).
        foreach (var d in new[] { "2020-05-01", "2020-05-02", "2020-05-03", "2020-05-04", "2020-05-05", "2020-10-01", "2020-10-02", "2020-10-03", "2020-10-04", "2020-10-05", "2020-10-06", "2020-10-07", "2020-10-08" })
            await (await admin.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/calendar/{d}") { Content = JsonContent(new { kind = "Holiday", name = "假日" }) })).ExpectAsync(HttpStatusCode.OK);
        foreach (var d in new[] { "2020-04-26", "2020-05-09", "2020-09-27", "2020-10-10" })
            await (await admin.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/calendar/{d}") { Content = JsonContent(new { kind = "Workday", name = "调休上班" }) })).ExpectAsync(HttpStatusCode.OK);
        var cal = await hotline.GetJsonAsync("/api/calendar?year=2020");
        Assert.Contains(cal["items"]!.AsArray(), i => i!["date"]!.GetValue<string>() == "2020-05-09" && i["kind"]!.GetValue<string>() == "Workday");

        async Task<DateTimeOffset> DueAsync(string category, string urgency = "Normal") =>
            Time((await hotline.FileAsync(Ticket(area, category, urgency)))["dueAt"]);

        // Friday 2020-02-07 10:00: help → Mon, Tue, Wed (the weekend does not count).
        Assert.Equal(Local(2020, 2, 7), app.Clock.GetUtcNow());
        Assert.Equal(EndOf(2020, 2, 12), await DueAsync("Help"));
        Assert.Equal(EndOf(2020, 2, 12), await DueAsync("Enquiry"));

        // Thursday 2020-04-30: the Labour Day holiday (1–5 May) and the weekend inside it → Wed 6, Thu 7, Fri 8.
        app.Clock.SetUtcNow(Local(2020, 4, 30));
        Assert.Equal(EndOf(2020, 5, 8), await DueAsync("Help"));

        // Wednesday 2020-05-06: Thu 7, Fri 8 and Saturday 9 May, a make-up workday (调休).
        app.Clock.SetUtcNow(Local(2020, 5, 6));
        Assert.Equal(EndOf(2020, 5, 9), await DueAsync("Help"));

        // Saturday 2020-05-16 10:00, urgent: 24 clock hours, the weekend notwithstanding.
        app.Clock.SetUtcNow(Local(2020, 5, 16));
        Assert.Equal(Local(2020, 5, 17), await DueAsync("Help", "Urgent"));
        Assert.Equal(Local(2020, 5, 17), await DueAsync("Complaint", "Urgent"));

        // Monday 2020-09-28, a complaint: 13 working days across the National Day holiday and its make-up Saturday.
        // 29, 30 Sep; (1–8 Oct off); 9, 10(Sat, worked), 12–16, 19–22 Oct.
        app.Clock.SetUtcNow(Local(2020, 9, 28));
        Assert.Equal(EndOf(2020, 10, 22), await DueAsync("Complaint"));
        Assert.Equal(EndOf(2020, 10, 22), await DueAsync("Report"));

        // The admin clears a make-up day: the deadline moves.
        await (await admin.DeleteAsync("/api/calendar/2020-10-10")).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(EndOf(2020, 10, 23), await DueAsync("Suggestion"));
        // Only the admin keeps the calendar.
        await (await hotline.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/calendar/2020-10-10") { Content = JsonContent(new { kind = "Workday" }) })).ExpectAsync(HttpStatusCode.Forbidden);
    }

    private static StringContent JsonContent(object o) =>
        new(System.Text.Json.JsonSerializer.Serialize(o, Http.Json), System.Text.Encoding.UTF8, "application/json");
}
