using EpiGrid.Features.Duty;
using EpiGrid.Features.People;
using EpiGrid.Features.Publicity;
using EpiGrid.Features.Supplies;
using EpiGrid.Platform.Privacy;
using EpiGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.FieldWork2;

/// <summary>Field work II records made straight in the database (no scope), e.g. in a compound a test user cannot see.</summary>
public static class FieldWork2Data
{
    public sealed record Set(Guid PersonId, Guid RequestId, Guid VehicleId, Guid RunId, Guid PointId, Guid PostingId, Guid MemberId, Guid PostId, Guid TeamId, Guid ShiftId);

    /// <summary>
    /// A quarantined person with a supplies request (assigned to grid2's account, so no volunteer of the tests has it),
    /// a vehicle with a run, a point, a posting, a person on duty on a model post and a shock team, and a shift — all in
    /// the compound named (or its community).
    /// </summary>
    public static async Task<Set> InCompoundAsync(AppFactory app, string compoundName)
    {
        var compound = await Demo.AreaAsync(app, compoundName);
        var community = compound.ParentId!.Value;
        var admin = await Demo.UserIdAsync(app, "admin");
        var grid2 = await Demo.UserIdAsync(app, "grid2");
        var kit = app.With(sp => sp.GetRequiredService<PrivacyKit>());
        return await app.WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            var person = new Person { Name = "隔离测试", CompoundId = compound.Id, Address = compoundName + "1号楼", CreatedAt = now, UpdatedAt = now };
            person.SetIdNumber(kit.Protect(ProtectedKind.IdNumber, People.RegisterPersonTests.NewIdNumber()));
            db.Add(person);
            db.Add(new PersonCategoryRow { PersonId = person.Id, Category = PersonCategory.HomeObservation });
            var request = new SupplyRequest
            {
                PersonId = person.Id, CompoundId = compound.Id, DeliveryAddress = compoundName + "1号楼", Items = "大米、蔬菜", RequestedAt = now,
                RequestedById = grid2, Status = SupplyStatus.Assigned, VolunteerUserId = grid2, AssigneeName = "李强", AssignedAt = now,
            };
            var vehicle = new PublicityVehicle { Name = "测试宣传车", Route = "测试路", AreaId = community, CreatedAt = now };
            var run = new VehicleRun { VehicleId = vehicle.Id, AreaId = community, Date = new DateOnly(2020, 2, 6), StartedAt = now.AddHours(-3), EndedAt = now.AddHours(-2), Route = "测试路", RecordedAt = now, RecordedById = admin };
            var point = new PublicityPoint { Name = "测试宣传点", AreaId = compound.Id, Shows = "展板", CreatedAt = now };
            var material = new PublicityMaterial { Kind = MaterialKind.Leaflet, Title = "测试明白纸" + Guid.NewGuid().ToString("N")[..8], CreatedAt = now };
            var posting = new MaterialPosting { MaterialId = material.Id, AreaId = compound.Id, Method = PostingMethod.Posted, Quantity = 3, Date = new DateOnly(2020, 2, 6), DoneBy = "测试", RecordedAt = now, RecordedById = admin };
            var member = new DutyMember { Name = "值守测试", Kind = DutyMemberKind.PartyMember, AreaId = community, CreatedAt = now };
            var post = new ModelPost { Name = "测试示范岗", AreaId = compound.Id, Location = "正门", CreatedAt = now };
            var team = new ShockTeam { Name = "测试突击队", AreaId = community, LeaderId = member.Id, CreatedAt = now };
            var shift = new DutyShift { MemberId = member.Id, AreaId = compound.Id, Place = "正门", StartsAt = now.AddDays(1), EndsAt = now.AddDays(1).AddHours(8), CreatedAt = now, CreatedById = admin };
            db.AddRange(request, vehicle, run, point, material, posting, member, post, team, shift);
            db.Add(new ModelPostMember { PostId = post.Id, MemberId = member.Id });
            db.Add(new ShockTeamMember { TeamId = team.Id, MemberId = member.Id });
            await db.SaveChangesAsync();
            return new Set(person.Id, request.Id, vehicle.Id, run.Id, point.Id, posting.Id, member.Id, post.Id, team.Id, shift.Id);
        });
    }

    public static Task<int> CountAsync<T>(AppFactory app) where T : class =>
        app.WithDbAsync(db => db.Set<T>().IgnoreQueryFilters().CountAsync());
}
