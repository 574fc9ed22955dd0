using GeoMine.Viewer.Cli;
using GeoMine.Viewer.Hosting;

// WebApplicationFactory (tests) starts the entry point with host settings as "--key=value"
// arguments; everything else is the geomine command line.
if (args.Any(a => a.StartsWith("--applicationName=", StringComparison.Ordinal)))
{
    await GeoMineWebApp.Build(args, connectionString: null).RunAsync();
    return 0;
}

try
{
    return await GeoMineCli.Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (Environment.GetEnvironmentVariable("GEOMINE_DEBUG") is not "1")
{
    CliOutput.Fail(CliFailure.Describe(e));
    return 1;
}

/// <summary>Entry point type, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
