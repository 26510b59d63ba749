using System.Security.Claims;
using EpiGrid.Data;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EpiGrid.Features.Complaints;

/// <summary>
/// Intake (受理): the hotline desk's form and <c>POST /api/complaints</c>, and a resident's form on the public page.
/// Gives the ticket its number, its deadline and the first line of its timeline.
/// </summary>
public sealed class FileComplaint(AppDbContext db, OfficeClock clock, PrivacyKit kit, ComplaintDeadlines deadlines, ComplaintSteps steps, IOptions<ComplaintOptions> options)
{
    public sealed record Input(ComplaintChannel? Channel, ComplaintCategory? Category, ComplaintUrgency? Urgency, string? Content,
        string? ComplainantName, string? ComplainantPhone, Guid? AreaId, string? Address, string? Concerning,
        string? UpstreamNumber, DateTimeOffset? UpstreamDueAt);

    public sealed record PublicInput(ComplaintCategory? Category, string? Content, string? ComplainantName, string? ComplainantPhone,
        Guid? AreaId, string? Address, bool? Consent);

    /// <summary>By the hotline desk (any channel).</summary>
    public async Task<Complaint> FileAsync(Input input, ClaimsPrincipal user)
    {
        var errors = new Errors();
        var channel = errors.Required("channel", input.Channel);
        var category = errors.Required("category", input.Category);
        var urgency = errors.Required("urgency", input.Urgency);
        var upstream = errors.Text("upstreamNumber", input.UpstreamNumber, 50, required: channel == ComplaintChannel.Hotline12345);
        var now = clock.UtcNow;
        DateTime? upstreamDue = null;
        if (input.UpstreamDueAt is { } due)
        {
            upstreamDue = due.UtcDateTime;
            if (upstreamDue < now.AddDays(-30) || upstreamDue > now.AddYears(1)) errors.Add("upstreamDueAt", "办理时限不在合理范围内");
        }
        var c = await CommonAsync(errors, category, input.Content, input.ComplainantName, input.ComplainantPhone, input.AreaId, input.Address, input.Concerning);
        errors.Throw();

        c.Channel = channel!.Value;
        c.Urgency = urgency!.Value;
        c.UpstreamNumber = upstream;
        c.UpstreamDueAt = upstreamDue;
        c.ReceivedBy = user.Identity?.IsAuthenticated == true ? Platform.Auth.AuthSetup.UserId(user) : null;
        return await SaveNewAsync(c, user, now, upstreamDue);
    }

    /// <summary>By a resident on the public page: online, normal urgency, only with consent to the privacy notice.</summary>
    public async Task<Complaint> FileFromPublicAsync(PublicInput input)
    {
        var errors = new Errors();
        if (input.Consent != true) errors.Add("consent", "请阅读并同意个人信息收集使用说明");
        var category = errors.Required("category", input.Category);
        var c = await CommonAsync(errors, category, input.Content, input.ComplainantName, input.ComplainantPhone, input.AreaId, input.Address, null);
        errors.Throw();
        c.Channel = ComplaintChannel.Online;
        c.Urgency = ComplaintUrgency.Normal;
        return await SaveNewAsync(c, null, clock.UtcNow, null);
    }

    private async Task<Complaint> CommonAsync(Errors errors, ComplaintCategory? category, string? content, string? name, string? phone,
        Guid? areaId, string? address, string? concerning)
    {
        var c = new Complaint
        {
            Content = errors.Text("content", content, 2000, multiline: true) ?? "",
            ComplainantName = errors.Text("complainantName", name, 50) ?? "",
            Address = errors.Text("address", address, 200, required: false),
            Concerning = errors.Text("concerning", concerning, 100, required: false),
        };
        var normalized = Phone.Validate(phone);
        if (string.IsNullOrWhiteSpace(phone)) errors.Add("complainantPhone", "必填");
        else if (normalized is null) errors.Add("complainantPhone", "电话号码格式不正确（手机 11 位，或区号-号码）");
        if (areaId is { } a)
        {
            // Staff: an area in their scope (the filter); residents: any area of the office.
            if (!await db.Areas.AnyAsync(x => x.Id == a)) errors.Add("areaId", "所选区域不存在");
            else c.AreaId = a;
        }
        else
        {
            // Address only: the ticket belongs to the subdistrict.
            var root = await RootAreaAsync();
            if (root is null || !db.Scope.Covers(root.Value)) errors.Add("areaId", "请选择所在社区或小区");
            else c.AreaId = root.Value;
        }
        if (!errors.Any)
        {
            c.Category = category!.Value;
            c.SetPhone(kit.Protect(ProtectedKind.Phone, normalized));
        }
        return c;
    }

    private async Task<Guid?> RootAreaAsync() =>
        await db.Areas.IgnoreQueryFilters().AsNoTracking()
            .OrderBy(a => a.Kind == AreaKind.Subdistrict ? 0 : 1).ThenBy(a => a.Depth).ThenBy(a => a.Code)
            .Select(a => (Guid?)a.Id).FirstOrDefaultAsync();

    private async Task<Complaint> SaveNewAsync(Complaint c, ClaimsPrincipal? user, DateTime now, DateTime? upstreamDue)
    {
        c.ReceivedAt = now;
        c.DueAt = upstreamDue ?? await deadlines.DueAtAsync(c.Category, c.Urgency, now);
        c.NumberDate = DateOnly.FromDateTime(clock.ToLocal(now));
        db.Add(c);
        steps.Record(c, ComplaintEventKind.Received, user,
            $"{Complaint.Name(c.Channel)}受理：{Complaint.Name(c.Category)}（{Complaint.Name(c.Urgency)}）" + (c.UpstreamNumber is null ? "" : $"，12345 工单号 {c.UpstreamNumber}"));
        // The day's next number, taken under a lock so that two desks taking a call in the same instant queue here:
        // SQLite's transaction is BEGIN IMMEDIATE (one writer), PostgreSQL takes an advisory lock for numbering. The
        // unique index is the last guard: on a collision anyway, the whole attempt is repeated in a new transaction.
        for (var attempt = 1; ; attempt++)
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            if (db.Database.IsNpgsql()) await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(72032)");
            var last = await db.Set<Complaint>().AsNoTracking().Where(x => x.NumberDate == c.NumberDate).MaxAsync(x => (int?)x.NumberSeq) ?? 0;
            c.NumberSeq = last + 1;
            c.Number = $"{options.Value.NumberPrefix}{c.NumberDate:yyyyMMdd}-{c.NumberSeq:D4}";
            try
            {
                await db.SaveChangesAsync();
                await tx.CommitAsync();
                return c;
            }
            catch (DbUpdateException e) when (attempt < 5 && DbErrors.IsUniqueViolation(e))
            {
                await tx.RollbackAsync();
            }
        }
    }
}
