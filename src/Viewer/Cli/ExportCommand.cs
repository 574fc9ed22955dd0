using GeoMine.Viewer.Hosting.Database;
using System.CommandLine;
using GeoMine.Geo.Export;
using GeoMine.Geo.Import;
using GeoMine.Geo;
using GeoMine.Geo.Storage;
using GeoMine.Viewer.Ogc;

namespace GeoMine.Viewer.Cli;

/// <summary><c>geomine export LAYER --format F [--out FILE] [--from DAY] [--to DAY]</c>: a reference layer or an activity
/// record (the OGC collections: alarms with evidence, patrol visits, patrol records, patrol tracks); GeoJSON goes to stdout
/// without --out.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var names = OgcCollections.All.Select(c => c.Name).ToArray();
        var layer = new Argument<string>("LAYER") { HelpName = "LAYER", Description = string.Join(", ", names) };
        layer.AcceptOnlyFromAmong(names);
        var from = new Option<string?>("--from") { Description = "First China day (yyyy-MM-dd) of the period, for " + string.Join(", ", OgcCollections.Activity.Select(c => $"{c.Name} (by {c.TimeField})")) };
        var to = new Option<string?>("--to") { Description = "Last China day (yyyy-MM-dd) of the period, included" };
        var format = new Option<string>("--format") { Description = string.Join(", ", LayerExporter.Formats.Keys), DefaultValueFactory = _ => "geojson" };
        format.AcceptOnlyFromAmong([.. LayerExporter.Formats.Keys]);
        var output = new Option<FileInfo?>("--out") { Description = "Output file (GeoJSON to standard output when omitted)" };
        var encoding = new Option<string>("--encoding") { Description = "Shapefile text encoding: UTF-8 or GBK (old desktop GIS on Chinese Windows)", DefaultValueFactory = _ => "UTF-8" };
        encoding.AcceptOnlyFromAmong([.. LayerExporter.ShapefileEncodings.Keys]);
        var command = new Command("export", "Export a layer or an activity record in EPSG:4490 (GPX and KMZ: WGS84); times in China time")
        {
            layer, format, output, encoding, from, to,
        };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var (fromDay, toDay) = (Day("--from", parse.GetValue(from)), Day("--to", parse.GetValue(to)));
                var (connection, _) = await DatabaseTarget.Resolve(parse.GetValue(GeoMineCli.Db)).EnsureAsync(ct);
                var outFile = parse.GetValue(output)?.FullName;
                await using var stdout = Console.OpenStandardOutput();
                var count = await LayerExporter.ExportAsync(connection, OgcCollections.Find(parse.GetRequiredValue(layer))!.Export,
                    parse.GetRequiredValue(format), outFile, outFile is null ? stdout : null, ct, parse.GetRequiredValue(encoding), fromDay, toDay);
                if (outFile is not null)
                {
                    CliOutput.Done($"{count} features → {outFile}");
                }

                return 0;
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                CliOutput.Fail(e.Message);
                return 1;
            }
        });
        return command;
    }

    private static DateOnly? Day(string option, string? text) =>
        text is null ? null
        : ChinaTime.TryParseDay(text, out var day) ? day
        : throw new ArgumentException($"{option} '{text}': not {ChinaTime.DayForm}");
}
