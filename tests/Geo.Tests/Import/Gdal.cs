using System.Globalization;
using System.Text.RegularExpressions;
using GeoMine.Geo.Storage;

namespace GeoMine.Geo.Tests.Import;

/// <summary>Independent reference values from GDAL and PROJ's command-line tools.</summary>
internal static partial class Gdal
{
    /// <summary>The demo county's closed mines as GeoJSON in EPSG:4490 (<c>ogr2ogr</c> converts the GBK shapefile), keeping only
    /// the properties <paramref name="keepProperty"/> accepts: a file as another office might send it.</summary>
    public static async Task<string> ClosedMinesGeoJsonAsync(string name, Func<string, bool> keepProperty)
    {
        var folder = GeoMine.TestSupport.TestPaths.NewOutputDirectory(name);
        var full = Path.Combine(folder, "closed_mines.geojson");
        await ExternalCommand.RunCheckedAsync("ogr2ogr",
            ["-f", "GeoJSON", full, Path.Combine(GeoMine.TestSupport.TestPaths.SampleData, "closed_mines.shp"), "-oo", "ENCODING=CP936", "-t_srs", "EPSG:4490"]);
        var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(full))!;
        foreach (var feature in json["features"]!.AsArray())
        {
            var properties = feature!["properties"]!.AsObject();
            foreach (var key in properties.Select(p => p.Key).Where(k => !keepProperty(k)).ToList())
            {
                properties.Remove(key);
            }
        }

        var path = Path.Combine(folder, $"{name}.geojson");
        await File.WriteAllTextAsync(path, json.ToJsonString());
        return path;
    }

    /// <summary>Feature count as <c>ogrinfo -so -al</c> reports it.</summary>
    public static async Task<int> FeatureCountAsync(string path)
    {
        var output = await ExternalCommand.RunCheckedAsync("ogrinfo", ["-ro", "-so", "-al", path]);
        return int.Parse(FeatureCount().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Points of a file in its own CRS as (attribute, x, y) with x/y in GDAL's traditional order
    /// (easting/longitude first), via <c>ogr2ogr -f CSV -lco GEOMETRY=AS_XY</c>.</summary>
    public static async Task<List<(string Key, double X, double Y)>> PointsAsync(string path, string keyField, string encoding)
    {
        var output = await ExternalCommand.RunCheckedAsync("ogr2ogr",
            ["-f", "CSV", "/vsistdout/", path, "-oo", $"ENCODING={encoding}", "-lco", "GEOMETRY=AS_XY", "-select", keyField]);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Skip(1).Select(l => l.Split(','))
            .Select(p => (p[2].Trim('"'), double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture)))
            .ToList();
    }

    /// <summary>Converts projected (easting, northing) of <paramref name="fromEpsg"/> to CGCS2000 (lon, lat)
    /// with <c>cs2cs</c> (which takes and prints EPSG axis order: northing-easting, lat-lon).</summary>
    public static async Task<List<(double Lon, double Lat)>> Cs2csToCgcs2000Async(int fromEpsg, IEnumerable<(double E, double N)> points)
    {
        var input = string.Join('\n', points.Select(p => FormattableString.Invariant($"{p.N} {p.E}"))) + "\n";
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, input);
        try
        {
            var output = await ExternalCommand.RunCheckedAsync("cs2cs", ["-f", "%.12f", $"EPSG:{fromEpsg}", "EPSG:4490", file]);
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
                .Select(p => (double.Parse(p[1], CultureInfo.InvariantCulture), double.Parse(p[0], CultureInfo.InvariantCulture)))
                .ToList();
        }
        finally
        {
            File.Delete(file);
        }
    }

    [GeneratedRegex("Feature Count: (\\d+)")]
    private static partial Regex FeatureCount();
}
