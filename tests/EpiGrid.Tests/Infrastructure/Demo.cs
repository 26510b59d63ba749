using EpiGrid.Features.OrgTree;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Tests.Infrastructure;

/// <summary>Looks up the demo office's records by name.</summary>
public static class Demo
{
    public static Task<Area> AreaAsync(AppFactory f, string name) =>
        f.WithDbAsync(db => db.Areas.AsNoTracking().FirstAsync(a => a.Name == name));

    public static Task<Gate> GateAsync(AppFactory f, string name) =>
        f.WithDbAsync(db => db.Gates.AsNoTracking().FirstAsync(g => g.Name == name));

    public static Task<Guid> UserIdAsync(AppFactory f, string userName) =>
        f.WithDbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Id).FirstAsync());
}
