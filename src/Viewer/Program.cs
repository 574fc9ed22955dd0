using GeoMine.Viewer.Cli;
using GeoMine.Viewer.Hosting;

// WebApplicationFactory (tests) starts the entry point with host settings as "--key=value"
// arguments; everything else is the geomine command line.
if (args.Any(a => a.StartsWith("--applicationName=", StringComparison.Ordinal)))
{
    await GeoMineWebApp.Build(args, connectionString: null).RunAsync();
    return 0;
}

return await CliFailure.InvokeAsync(GeoMineCli.Parse(args));

/// <summary>Entry point type, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
