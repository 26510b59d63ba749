using EpiGrid.Platform.Privacy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace EpiGrid.Platform.Cluster;

/// <summary>
/// What lets several stateless nodes serve one office (ADR-014; docs/deploy.md): the Data Protection keys in the
/// database wrapped by the key file, the SignalR backplane on Redis when <c>ConnectionStrings:Redis</c> is set.
/// Scheduled work runs once across nodes through <see cref="Jobs.JobLeases"/>; uploads go to
/// <c>EpiGrid:Uploads:Directory</c> (a shared mount).
/// </summary>
public static class ClusterSetup
{
    public static IServiceCollection AddEpiGridCluster(this IServiceCollection services, IConfiguration config)
    {
        // Tokens, cookies and antiforgery tokens made by one node open on every other, and survive restarts.
        services.AddDataProtection().SetApplicationName("EpiGrid");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
        {
            o.XmlRepository = new DatabaseXmlRepository(sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<TimeProvider>());
            o.XmlEncryptor = new KekXmlEncryptor(sp.GetRequiredService<KeyRing>());
        }));

        var redis = config.GetConnectionString("Redis");
        if (!string.IsNullOrWhiteSpace(redis))
        {
            // Hub groups and messages cross nodes: an alert raised on node A reaches a page connected to node B.
            services.AddSignalR().AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = RedisChannel.Literal("EpiGrid"));
        }
        return services;
    }

    /// <summary>Creates the first Data Protection key before the first request, so a node started alone on a fresh
    /// database writes it and the nodes started after it read it.</summary>
    public static void EnsureDataProtectionKey(IServiceProvider services) =>
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector("EpiGrid.Startup").Protect("ready"u8.ToArray());
}
