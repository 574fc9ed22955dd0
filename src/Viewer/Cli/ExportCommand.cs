using GeoMine.Viewer.Hosting.Database;
using System.CommandLine;
using GeoMine.Geo.Export;
using GeoMine.Geo.Import;
using GeoMine.Geo.Storage;

namespace GeoMine.Viewer.Cli;

/// <summary><c>geomine export LAYER --format F [--out FILE]</c>; GeoJSON goes to stdout without --out.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var layer = new Argument<string>("LAYER") { HelpName = "LAYER", Description = string.Join(", ", LayerCatalog.All.Select(l => l.Name)) };
        layer.AcceptOnlyFromAmong([.. LayerCatalog.All.Select(l => l.Name)]);
        var format = new Option<string>("--format") { Description = string.Join(", ", LayerExporter.Formats.Keys), DefaultValueFactory = _ => "geojson" };
        format.AcceptOnlyFromAmong([.. LayerExporter.Formats.Keys]);
        var output = new Option<FileInfo?>("--out") { Description = "Output file (GeoJSON to standard output when omitted)" };
        var encoding = new Option<string>("--encoding") { Description = "Shapefile text encoding: UTF-8 or GBK (old desktop GIS on Chinese Windows)", DefaultValueFactory = _ => "UTF-8" };
        encoding.AcceptOnlyFromAmong([.. LayerExporter.ShapefileEncodings.Keys]);
        var command = new Command("export", "Export a layer in EPSG:4490 (GPX and KMZ: WGS84)") { layer, format, output, encoding };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var (connection, _) = await DatabaseTarget.Resolve(parse.GetValue(GeoMineCli.Db)).EnsureAsync(ct);
                var outFile = parse.GetValue(output)?.FullName;
                await using var stdout = Console.OpenStandardOutput();
                var count = await LayerExporter.ExportAsync(connection, LayerCatalog.Get(parse.GetRequiredValue(layer)),
                    parse.GetRequiredValue(format), outFile, outFile is null ? stdout : null, ct, parse.GetRequiredValue(encoding));
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
}
