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
    /// <summary>The reviewed list of text columns the audit log records in clear. Adding to it means: this column never holds a
    /// name, an address or other personal text — free text a user types (a plan's places, a team's task, a shop's name) does.
    /// The <c>...Masked</c> column of a protected field is not on it: a mask that keeps digits is still too much for the log.</summary>
    private static readonly string[] ReviewedInClear =
    [
        "Alert.DedupeKey",                      // ids and dates: "fever:{checkId}"
        "AppUser.UserName",                     // the staff account, as in the log's UserName column
        "Area.Address", "Area.Code", "Area.Name", "Area.Outline", "Area.Path", // the org tree: places, not people
        "CalendarDay.Name",                     // holidays
        "Complaint.Number", "Complaint.UpstreamNumber",
        "DailyReportLine.AreaName", "DailyReportLine.Code", "DailyReportLine.Figures", // counts per area
        "DisinfectionPlan.Agent", "DisinfectionPlan.Name", "DisinfectionRecord.Agent", "DisinfectionRecord.ComplaintNumber",
        "DutyMember.Branch", "ModelPost.Location", "ModelPost.Name", "ShockTeam.Name",
        "Gate.Name", "Grid.Code", "Grid.Name",
        "IdentityRole`1.Name",                  // role names
        "ImportJob.StoredName", "ImportTemplate.Name", // a random file name; a template's title
        "InspectionPhoto.ContentType", "InspectionPhoto.StoredName",
        "MaterialPosting.Place", "PublicityMaterial.Title", "PublicityPoint.Location", "PublicityPoint.Name",
        "PublicityVehicle.Name", "PublicityVehicle.Route", "VehicleRun.Route",
        "PendingRegistration.Reference",        // the form's reference code
        "WorkGroup.Name",
        "WorkTask.DedupeKey",
    ];

    private IModel Model => app.With(sp => sp.GetRequiredService<AppDbContext>().Model);

    private static bool Audited(IEntityType e) => e.ClrType != typeof(AuditEntry) && !Attribute.IsDefined(e.ClrType, typeof(NotAuditedAttribute));

    /// <summary>The reviewed event keys in clear, per action: adding one is a reviewed change, here too.</summary>
    [Fact]
    public void TheEventKeysInClear_AreTheReviewedOnes()
    {
        var actual = AuditMask.EventKeysInClear.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => p.Key + ": " + string.Join(", ", p.Value.Order(StringComparer.Ordinal)));
        Assert.Equal(
        [
            "AuditChainRewritten: headFileHash, headFileState, oldChainReason, oldLastHash, rule",
            "AuditHeadWritten: by, headFileHash",
            "AuditRestored: by",
            "Export: filter",
            "Import: tasks",
            "Move: FromName, Moved, Reason, ToName",
            "PasswordResetByOperator: by, userName",
            "Reveal: fields",
        ], actual);
    }

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
                    if (type == typeof(string)) inClear.Add($"{entity.ClrType.Name}.{p.Name}");
                    continue;
                }
                // Masked: a sample value comes out as the mask, whatever the column.
                checkedColumns++;
                Assert.Equal("***", AuditMask.Field(p, "张三丰"));
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
            ("HealthCheck", "ClinicOutcome"), ("PassCard", "TokenHash"),
            // The masks of protected fields (they keep 6 + 4 digits of an ID number, 7 of a phone's).
            ("Person", "IdNumberMasked"), ("Person", "PhoneMasked"), ("Resident", "IdNumberMasked"), ("AppUser", "PhoneMasked"),
            // Free text that can hold a name.
            ("DisinfectionPlan", "Places"), ("ShockTeam", "Task"), ("WorkGroup", "Duties"), ("ModelPost", "Duties"), ("DutyShift", "Place"),
            ("VehicleRun", "Content"), ("PublicityPoint", "Shows"), ("Premises", "Name"), ("Premises", "Address"), ("WorkGroupMember", "Title"),
            ("PublicityMaterial", "Issuer"),
        })
        {
            Assert.False(AuditMask.InClear(P(entity, name)), $"{entity}.{name} must be masked");
        }
        Assert.Equal("***", AuditMask.Field(P("Person", "IdNumberMasked"), "610303********1234"));
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
    [InlineData("张三丰", "***")]
    [InlineData("春天大道3号楼2单元501", "***")]
    [InlineData("张", "***")]              // neither the length...
    [InlineData("确诊", "***")]            // ...nor the first character: a clinic's outcome (确/排/疑) would be the finding
    [InlineData("Fever,Cough", "***")]
    [InlineData("", "")]
    [InlineData("***", "***")]            // masking a mask gives it back
    public void TheMaskingRule(string value, string masked) => Assert.Equal(masked, AuditMask.Text(value));

    [Fact]
    public async Task EventsAddedByAnyPath_AreMaskedByTheInterceptor()
    {
        await app.WithDbAsync(async db =>
        {
            // An event written as an AuditEntry of its own (as the import worker does), not through AuditLog.Event.
            db.Add(new AuditEntry { Action = "Probe", Entity = "Test", EntityId = "1", Details = """{"who":"王五六","count":2}""" });
            AuditLog.Event(db, "Probe", "Test", "2", new { who = "赵七八", userName = "grid1" });
            // A reviewed key is in clear only at the top of its own action's details, not nested in another object.
            AuditLog.Event(db, "PasswordResetByOperator", "AppUser", "3", new { userName = "grid1", by = "command line", note = new { userName = "钱秘九", fields = "孙秘十" } });
            await db.SaveChangesAsync();
        });
        var rows = await app.WithDbAsync(AuditPrivacyTests.RawAuditRowsAsync);
        Assert.Contains(rows, r => r.EndsWith(" | Probe | Test | 1 | {\"who\":\"***\",\"count\":2}", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.EndsWith(" | Probe | Test | 2 | {\"who\":\"***\",\"userName\":\"***\"}", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.EndsWith(" | PasswordResetByOperator | AppUser | 3 | {\"userName\":\"grid1\",\"by\":\"command line\",\"note\":{\"userName\":\"***\",\"fields\":\"***\"}}", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.Contains("秘九", StringComparison.Ordinal) || r.Contains("秘十", StringComparison.Ordinal));
    }
}
