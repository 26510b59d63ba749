using EpiGrid.Features.Disinfection;
using EpiGrid.Features.Inspections;
using EpiGrid.Platform;
using EpiGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Inspections;

/// <summary>Field-work records made straight in the database (no scope), e.g. in a community a test user cannot see.</summary>
public static class FieldWorkData
{
    public sealed record Set(Guid PremisesId, Guid InspectionId, Guid PhotoId, Guid RectificationId, Guid PlanId, Guid RecordId);

    public static DateOnly Today(AppFactory app) => app.With(sp => sp.GetRequiredService<OfficeClock>().Today);

    /// <summary>A premises with a failed inspection, its order and a photo row, a plan and a record — all in the compound named.</summary>
    public static async Task<Set> InCompoundAsync(AppFactory app, string compoundName)
    {
        var compound = await Demo.AreaAsync(app, compoundName);
        var admin = await Demo.UserIdAsync(app, "admin");
        var today = Today(app);
        return await app.WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            var p = new Premises { Kind = PremisesKind.Pharmacy, Name = "测试药店" + Guid.NewGuid().ToString("N")[..6], CompoundId = compound.Id, CreatedAt = now };
            var i = new Inspection
            {
                PremisesId = p.Id, CompoundId = compound.Id, Date = today, Inspectors = "测试", WildAnimals = CheckResult.Pass,
                FeverMedicineRegister = CheckResult.Fail, StaffMasks = CheckResult.Pass, Disinfection = CheckResult.Pass, Other = CheckResult.NotApplicable,
                Findings = "未登记购药人信息", Passed = false, RecordedAt = now, RecordedById = admin,
            };
            var r = new Rectification { PremisesId = p.Id, CompoundId = compound.Id, InspectionId = i.Id, Requirement = "限期整改", Deadline = today.AddDays(3), IssuedAt = now };
            var photo = new InspectionPhoto { InspectionId = i.Id, CompoundId = compound.Id, StoredName = Guid.NewGuid().ToString("N") + ".jpg", ContentType = "image/jpeg", Size = 10, UploadedAt = now, UploadedById = admin };
            var plan = new DisinfectionPlan
            {
                Name = "测试计划", AreaId = compound.Id, CommunityId = compound.ParentId!.Value, Places = "垃圾站", Agent = "84消毒液",
                TimesPerDay = 2, StartDate = today, CreatedAt = now.AddDays(-1),
            };
            var rec = new DisinfectionRecord { AreaId = compound.Id, Date = today, Place = "3号楼", Agent = "84消毒液", DoneBy = "测试", DoneAt = now, RecordedAt = now, RecordedById = admin };
            db.AddRange(p, i, r, photo, plan, rec);
            await db.SaveChangesAsync();
            return new Set(p.Id, i.Id, photo.Id, r.Id, plan.Id, rec.Id);
        });
    }
}
