using EpiGrid.Data;
using EpiGrid.Features.Demo;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EpiGrid.Platform;

/// <summary>
/// First start: the roles; then, in demo mode on an empty database, the Xiguan demo office; otherwise only the
/// admin, whose password must be given in <c>EpiGrid__AdminPassword</c>. Runs once: a second start changes nothing.
/// </summary>
public static class Seeding
{
    public static async Task RunAsync(IServiceProvider sp, ILogger log)
    {
        var options = sp.GetRequiredService<IOptions<EpiGridOptions>>().Value;
        var roles = sp.GetRequiredService<RoleManager<IdentityRole<Guid>>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole<Guid>(role));
        }

        var db = sp.GetRequiredService<AppDbContext>();
        if (await db.Users.AnyAsync()) return;

        if (options.Demo == true)
        {
            await DemoOffice.SeedAsync(sp);
            log.LogWarning("Demo mode: the Xiguan demo office is loaded. Demo logins (password {Password}): {Users}",
                DemoOffice.Password, string.Join(", ", DemoOffice.Accounts.Select(a => a.UserName)));
            Console.WriteLine($"演示模式 Demo mode — 登录 logins: {string.Join(" ", DemoOffice.Accounts.Select(a => a.UserName))} / 密码 password: {DemoOffice.Password}");
            return;
        }

        if (string.IsNullOrWhiteSpace(options.AdminPassword))
        {
            throw new InvalidOperationException(
                "首次启动需要管理员密码：请设置环境变量 EpiGrid__AdminPassword。First start outside demo mode needs EpiGrid__AdminPassword.");
        }
        var users = sp.GetRequiredService<UserManager<AppUser>>();
        var admin = new AppUser { UserName = "admin", DisplayName = "系统管理员", CreatedAt = sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime };
        var result = await users.CreateAsync(admin, options.AdminPassword);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                "管理员密码 EpiGrid__AdminPassword 不符合密码规则（至少 10 位，且不是常见密码）：" + string.Join("；", result.Errors.Select(e => e.Description))
                + "。EpiGrid__AdminPassword breaks the password rule: at least 10 characters and not a common password.");
        }
        await users.AddToRoleAsync(admin, Roles.Admin);
        Console.WriteLine("已创建管理员账号 admin。The admin account was created.");
    }
}
