using EpiGrid.Data;
using EpiGrid.Features;
using EpiGrid.Platform;
using EpiGrid.Platform.Jobs;

var builder = WebApplication.CreateBuilder(args);
builder.AddEpiGridPlatform();
builder.Services.AddEpiGridFeatures();
builder.Services.AddEpiGridJobs(builder.Configuration);

var app = builder.Build();

// Commands: `dotnet run --project src/EpiGrid -- rotate-key` (others per issue: backup, restore).
if (args.Length > 0 && await Commands.TryRunAsync(app, args)) return;

await app.StartEpiGridAsync();
app.UseEpiGridPlatform();
app.MapEpiGridFeatures();
app.Run();

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
