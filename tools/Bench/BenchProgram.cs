using System.CommandLine;
using GeoMine.Viewer.Cli;

namespace GeoMine.Viewer.Bench;

/// <summary>Entry point of <c>geomine-bench</c>, which <c>./geomine bench …</c> runs: the same <c>--db</c> as the app, and the
/// <c>bench</c> command.</summary>
internal static class BenchProgram
{
    private static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("GeoMine benchmarks (figures recorded in the README with their workload)") { GeoMineCli.Db, BenchCommand.Create() };
        try
        {
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("GEOMINE_DEBUG") is not "1")
        {
            CliOutput.Fail(CliFailure.Describe(e));
            return 1;
        }
    }
}
