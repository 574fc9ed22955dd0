using GeoMine.Viewer.Hosting.Database;
using System.CommandLine;
using GeoMine.Geo.Storage;
using GeoMine.Viewer.Cli;

namespace GeoMine.Viewer.Bench;

/// <summary><c>geomine bench ingest</c>.</summary>
internal static class IngestBenchCommand
{
    public static Command Create()
    {
        var devices = new Option<int>("--devices") { DefaultValueFactory = _ => 2000 };
        var positions = new Option<int>("--positions") { Description = "Positions sent in batches", DefaultValueFactory = _ => 400_000 };
        var batch = new Option<int>("--batch") { Description = "Positions per batch request", DefaultValueFactory = _ => 1000 };
        var singles = new Option<int>("--singles") { Description = "Single Traccar requests", DefaultValueFactory = _ => 20_000 };
        var concurrency = new Option<int>("--concurrency") { DefaultValueFactory = _ => 8 };
        var seconds = new Option<int>("--max-seconds") { Description = "Upper bound per phase", DefaultValueFactory = _ => 60 };
        var direct = new Option<bool>("--direct") { Description = "Also feed the same batches to the ingestor without HTTP (diagnostic)" };
        var wrk = new Option<int>("--wrk") { Description = "Also send single Traccar requests with Debian's wrk on this many connections for 20 s (0: not)" };
        var command = new Command("ingest", "Positions/s committed through the HTTP feeds vs raw binary COPY")
        {
            devices, positions, batch, singles, concurrency, seconds, direct, wrk,
        };
        command.SetAction(async (parse, ct) =>
        {
            var (connection, _) = await DatabaseTarget.Resolve(parse.GetValue(GeoMineCli.Db)).EnsureAsync(ct);
            var settings = new IngestBenchmark.Settings(parse.GetValue(devices), parse.GetValue(positions), parse.GetValue(batch),
                parse.GetValue(singles), parse.GetValue(concurrency), TimeSpan.FromSeconds(parse.GetValue(seconds)), 1, parse.GetValue(direct),
                parse.GetValue(wrk));
            await new IngestBenchmark(settings, Console.Out).RunAsync(connection, ct);
            return 0;
        });
        return command;
    }
}
