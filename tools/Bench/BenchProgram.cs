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
        return await CliFailure.InvokeAsync(root.Parse(args));
    }
}
