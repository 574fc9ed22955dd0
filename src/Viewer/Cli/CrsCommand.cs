using System.CommandLine;
using GeoMine.Geo.Crs;

namespace GeoMine.Viewer.Cli;

/// <summary><c>geomine crs transform --from EPSG:a --to EPSG:b</c>: x y [z] lines from stdin to stdout.</summary>
internal static class CrsCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "Source system: EPSG:4490, EPSG:4326, EPSG:4491-4554, gcj02, or a Xi'an 1980 / Beijing 1954 Gauss-Kruger code with --datum-transform", Required = true };
        var datumTransform = LicenceCommand.DatumTransformOption();
        var to = new Option<string>("--to") { Description = "Target system: EPSG:4490, EPSG:4326, EPSG:4491-4554 or gcj02", Required = true };
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Write the valid lines and report the bad ones (exit code still 2)" };
        var transform = new Command("transform",
            "Read 'x y [z]' lines on stdin, write them transformed on stdout. x = longitude or easting, " +
            "y = latitude or northing (degrees or metres), whatever the EPSG axis order; z is copied.")
        {
            from, to, skipInvalid, datumTransform,
        };
        transform.SetAction(async (parse, ct) =>
        {
            CoordinateLineTransformer transformer;
            try
            {
                var source = SpatialReference.Parse(parse.GetRequiredValue(from));
                var shift = source.Datum.IsLegacy
                    ? DatumTransformation.Choose(CliServices.DatumTransformations(), parse.GetValue(datumTransform), source.Datum, $"--from {source}")
                    : null;
                transformer = new CoordinateLineTransformer(source, SpatialReference.Parse(parse.GetRequiredValue(to)), shift);
            }
            catch (FormatException e)
            {
                CliOutput.Fail(e.Message);
                return 2;
            }

            var (lines, problems) = transformer.Transform(Console.In);
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync($"error: {problem}");
            }

            if (problems.Count == 0 || parse.GetValue(skipInvalid))
            {
                var stdout = Console.Out;
                foreach (var line in lines)
                {
                    await stdout.WriteLineAsync(line.AsMemory(), ct);
                }

                await stdout.FlushAsync(ct);
            }
            else
            {
                await Console.Error.WriteLineAsync($"error: {problems.Count} invalid line(s); nothing written (use --skip-invalid to write the valid ones)");
            }

            return problems.Count == 0 ? 0 : 2;
        });
        return new Command("crs", "Coordinate systems: CGCS2000, Gauss-Kruger zones, WGS84, GCJ-02") { transform };
    }
}
