using EpiGrid.Data;
using EpiGrid.Platform.Privacy;

namespace EpiGrid.Platform;

/// <summary>Operator commands: <c>dotnet run --project src/EpiGrid -- rotate-key</c>.</summary>
public static class Commands
{
    public static async Task<bool> TryRunAsync(WebApplication app, string[] args)
    {
        switch (args[0])
        {
            case "rotate-key":
            {
                await app.StartEpiGridAsync();
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var (id, n) = await KeyRotation.RotateAsync(db, app.Services.GetRequiredService<KeyRing>(), app.Services.GetRequiredService<TimeProvider>());
                Console.WriteLine($"数据密钥已轮换：新密钥 #{id}，已重新加密 {n} 个值。Data key rotated to #{id}; {n} values re-encrypted.");
                return true;
            }
            default:
                return false;
        }
    }
}
