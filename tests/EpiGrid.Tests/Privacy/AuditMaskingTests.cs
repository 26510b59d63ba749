using EpiGrid.Data;
using EpiGrid.Platform.Audit;
using EpiGrid.Platform.Privacy;
using EpiGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Privacy;

/// <summary>
/// The audit log's masking rules (ADR-019), walked over the EF model: every text column of an audited entity is recorded
/// masked unless it is declared not personal — and every such declaration is listed here, so adding one is a reviewed change.
/// A new personal column needs nothing: it is masked by default.
/// </summary>
public sealed class AuditMaskingTests(AppFactory app) : IClassFixture<AppFactory>
{
    /// <summary>The reviewed list of text columns the audit log records in clear (besides the <c>...Masked</c> column of each
    /// protected field, which is a mask already). Adding to it means: this column never holds a name, an address or other
    /// personal text.</summary>
    private static readonly string[] ReviewedInClear =
    [
        "Alert.DedupeKey",                      // ids and dates: "fever:{checkId}"
        "AppUser.UserName",                     // the staff account, as in the log's UserName column
        "Area.Address", "Area.Code", "Area.Name", "Area.Outline", "Area.Path", // the org tree: places, not people
        "CalendarDay.Name",                     // holidays
        "Complaint.Number", "Complaint.UpstreamNumber",
        "DailyReportLine.AreaName", "DailyReportLine.Code", "DailyReportLine.Figures", // counts per area
        "DisinfectionPlan.Agent", "DisinfectionPlan.Name", "DisinfectionPlan.Places", "DisinfectionRecord.Agent", "DisinfectionRecord.ComplaintNumber",
        "DutyMember.Branch", "DutyShift.Place", "ModelPost.Duties", "ModelPost.Location", "ModelPost.Name", "ShockTeam.Name", "ShockTeam.Task",
        "Gate.Name", "Grid.Code", "Grid.Name",
        "IdentityRole`1.Name",                  // role names
        "ImportJob.StoredName", "ImportTemplate.Name", // a random file name; a template's title
        "InspectionPhoto.ContentType", "InspectionPhoto.StoredName", "Premises.Address", "Premises.Name", // shops and public places
        "MaterialPosting.Place", "PublicityMaterial.Issuer", "PublicityMaterial.Title", "PublicityPoint.Location", "PublicityPoint.Name",
        "PublicityPoint.Shows", "PublicityVehicle.Name", "PublicityVehicle.Route", "VehicleRun.Content", "VehicleRun.Route",
        "PendingRegistration.Reference",        // the form's reference code
        "WorkGroup.Duties", "WorkGroup.Name", "WorkGroupMember.Title", // a group's duties, a member's post (not their name)
        "WorkTask.DedupeKey",
    ];

    private IModel Model => app.With(sp => sp.GetRequiredService<AppDbContext>().Model);

    private static bool Audited(IEntityType e) => e.ClrType != typeof(AuditEntry) && !Attribute.IsDefined(e.ClrType, typeof(NotAuditedAttribute));

    private static bool IsProtectedMask(IProperty p) =>
        p.Name.EndsWith("Masked", StringComparison.Ordinal) && p.DeclaringType.FindProperty(p.Name[..^"Masked".Length] + "Cipher") is { } c && ProtectedFields.IsHidden(c);

    [Fact]
    public void EveryTextColumnOfAnAuditedEntity_IsMaskedUnlessReviewedAsNotPersonal()
    {
        var inClear = new List<string>();
        var checkedColumns = 0;
        foreach (var entity in Model.GetEntityTypes().Where(Audited))
        {
            foreach (var p in entity.GetProperties())
            {
                if (ProtectedFields.IsHidden(p) || AuditInterceptorSecret(p.Name)) continue; // never recorded at all
                var type = Nullable.GetUnderlyingType(p.ClrType) ?? p.ClrType;
                if (AuditMask.InClear(p))
                {
                    if (type == typeof(string) && !IsProtectedMask(p)) inClear.Add($"{entity.ClrType.Name}.{p.Name}");
                    continue;
                }
                // Masked: a sample value comes out as the mask, whatever the column.
                checkedColumns++;
                Assert.Equal("张**", AuditMask.Field(p, "张三丰"));
            }
        }
        Assert.True(checkedColumns > 80, $"only {checkedColumns} masked columns found");
        var unreviewed = inClear.Except(ReviewedInClear).ToList();
        Assert.True(unreviewed.Count == 0, "Text columns recorded in clear that nobody reviewed (add them to ReviewedInClear if they never hold personal text, "
            + "else remove .NotPersonal()): " + string.Join(", ", unreviewed));
        Assert.Empty(ReviewedInClear.Except(inClear)); // the list stays true to the model
    }

    private static bool AuditInterceptorSecret(string name) => AuditInterceptor.IsSecret(name);

    [Fact]
    public void PersonalColumns_AreMasked_AndOtherValuesStayAsTheyAre()
    {
        var model = Model;
        IProperty P(string entity, string name) => model.GetEntityTypes().Single(e => e.ClrType.Name == entity).FindProperty(name)!;
        foreach (var (entity, name) in new[]
        {
            ("Person", "Name"), ("Person", "Address"), ("Person", "Companions"), ("Person", "Note"), ("Person", "TravelFrom"),
            ("Complaint", "ComplainantName"), ("Complaint", "Content"), ("Complaint", "Address"), ("ComplaintEvent", "Text"),
            ("Resident", "Name"), ("Household", "Room"), ("PendingRegistration", "Symptoms"), ("HealthCheck", "Symptoms"),
            ("Alert", "Subject"), ("AppUser", "DisplayName"), ("AppUser", "Email"), ("SupplyRequest", "DeliveryAddress"), ("SupplyLink", "TokenHash"),
        })
        {
            Assert.False(AuditMask.InClear(P(entity, name)), $"{entity}.{name} must be masked");
        }
        Assert.True(AuditMask.InClear(P("Person", "IdNumberMasked")));
        Assert.True(AuditMask.InClear(P("Person", "Status")));      // an enum
        Assert.True(AuditMask.InClear(P("HealthCheck", "Temperature"))); // a number
        Assert.True(AuditMask.InClear(P("Person", "ArrivedAt")));   // a date
        Assert.Equal(36.5m, AuditMask.Field(P("HealthCheck", "Temperature"), 36.5m));
        Assert.Null(AuditMask.Field(P("Person", "Note"), null));
        Assert.Equal("", AuditMask.Field(P("Person", "Note"), ""));
    }

    [Fact]
    public void EntityNames_AreUnique_SoTheRewriteFindsAStoredEntrysModel()
    {
        var names = Model.GetEntityTypes().GroupBy(e => e.ClrType.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(names);
    }

    [Theory]
    [InlineData("张三丰", "张**")]
    [InlineData("春天大道3号楼2单元501", "春**")]
    [InlineData("张", "*")]
    [InlineData("", "")]
    [InlineData("张**", "张**")]          // masking a mask gives it back
    [InlineData("*", "*")]
    [InlineData("𠀀𠀁乙", "𠀀**")]          // the first character, not half of it
    public void TheMaskingRule(string value, string masked) => Assert.Equal(masked, AuditMask.Text(value));

    [Theory]
    [InlineData("关键字=张三；类别=返乡人员；状态=在管", "关键字=张**；类别=返乡人员；状态=在管")]
    [InlineData("自2020-02-01 至2020-02-07", "自2020-02-01 至2020-02-07")]
    [InlineData("受理日期=2020-02-01至2020-02-07", "受理日期=2020-02-01至2020-02-07")]
    [InlineData("名单：张三等人.xlsx", "名单：张**")]
    [InlineData("春天大道东门 2020-02-07", "春** 2020-02-07")]
    [InlineData("类型=餐饮 仅两次不合格", "类型=餐饮 仅两次不合格")]
    [InlineData("工单=XG20200207-0031", "工单=XG20200207-0031")]
    [InlineData("", "")]
    public void ExportFilters_KeepKindsAndDates_AndMaskTheRest(string filter, string recorded)
    {
        Assert.Equal(recorded, AuditMask.Filter(filter));
        Assert.Equal(recorded, AuditMask.Filter(recorded));
    }

    [Fact]
    public void EventDetails_AreMaskedUnlessTheirKeyIsReviewed()
    {
        Assert.Equal(
            ["FromName", "Moved", "Reason", "ToName", "by", "fields", "headFileHash", "headFileState", "oldChainReason", "oldLastHash", "rule", "tasks", "userName"],
            AuditMask.EventKeysInClear.Order(StringComparer.Ordinal));
        var person = Guid.NewGuid();
        Assert.Equal($$$"""{"fields":["idNumber"],"reason":"为**","personId":"{{{person}}}","endsAt":"2020-02-07T02:00:00Z","rows":3,"masked":true,"filter":"关键字=张**","note":{"who":"李**"}}""",
            AuditMask.EventDetails($$$"""{"fields":["idNumber"],"reason":"为联系张三","personId":"{{{person}}}","endsAt":"2020-02-07T02:00:00Z","rows":3,"masked":true,"filter":"关键字=张三","note":{"who":"李四"}}"""));
        Assert.Equal("\"不**\"", AuditMask.EventDetails("不是 JSON"));
    }

    [Fact]
    public async Task EventsAddedByAnyPath_AreMaskedByTheInterceptor()
    {
        await app.WithDbAsync(async db =>
        {
            // An event written as an AuditEntry of its own (as the import worker does), not through AuditLog.Event.
            db.Add(new AuditEntry { Action = "Probe", Entity = "Test", EntityId = "1", Details = """{"who":"王五六","count":2}""" });
            AuditLog.Event(db, "Probe", "Test", "2", new { who = "赵七八", userName = "grid1" });
            await db.SaveChangesAsync();
        });
        var details = await app.WithDbAsync(db => db.Set<AuditEntry>().Where(a => a.Action == "Probe").OrderBy(a => a.Seq).Select(a => a.Details).ToListAsync());
        Assert.Equal(["""{"who":"王**","count":2}""", """{"who":"赵**","userName":"grid1"}"""], details);
    }
}
