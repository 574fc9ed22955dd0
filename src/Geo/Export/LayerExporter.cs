using GeoMine.Geo.Import;
using GeoMine.Geo.Storage;
using Npgsql;

namespace GeoMine.Geo.Export;

/// <summary>
/// Writes a layer to a file with GDAL's <c>ogr2ogr</c> reading straight from PostGIS. Geometry stays
/// in EPSG:4490 (lon, lat). Field names are the layer's canonical names (at most 10 characters, so
/// shapefiles keep them), which the importer maps by default: export → import is a round trip.
/// Shapefiles are written in UTF-8 with a <c>.cpg</c> saying so.
/// </summary>
public static class LayerExporter
{
    /// <summary>Export formats: CLI name → (GDAL driver, file extension).</summary>
    public static IReadOnlyDictionary<string, (string Driver, string Extension)> Formats { get; } =
        new Dictionary<string, (string, string)>(StringComparer.OrdinalIgnoreCase)
        {
            ["geojson"] = ("GeoJSON", ".geojson"),
            ["kml"] = ("KML", ".kml"),
            ["shp"] = ("ESRI Shapefile", ".shp"),
            ["gpkg"] = ("GPKG", ".gpkg"),
            ["csv"] = ("CSV", ".csv"),
        };

    /// <summary>Exports <paramref name="layer"/> to <paramref name="outputPath"/>, or GeoJSON to
    /// <paramref name="stdout"/> when the path is null. Returns the number of features written.</summary>
    public static async Task<long> ExportAsync(
        string connectionString, LayerDefinition layer, string format, string? outputPath,
        Stream? stdout = null, CancellationToken cancellationToken = default)
    {
        if (!Formats.TryGetValue(format, out var target))
        {
            throw new ArgumentException($"unknown format '{format}'; formats: {string.Join(", ", Formats.Keys)}");
        }

        if (outputPath is null && !format.Equals("geojson", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"--out FILE is needed for format {format} (only GeoJSON goes to standard output)");
        }

        var (count, kinds) = await CountAsync(connectionString, layer, cancellationToken);
        if (target.Driver == "ESRI Shapefile" && kinds.Count(k => k.Kind != "without geometry") > 1)
        {
            // Refused before any file is touched: GDAL would write the first type and fail on the next, leaving a partial file.
            throw new InvalidOperationException(
                $"{layer.Name} mixes {string.Join(" and ", kinds.Select(k => $"{k.Count} {k.Kind}"))}, and a shapefile holds one " +
                "geometry type: export it as gpkg or geojson (both keep every feature in one file)");
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var pg = $"PG:host={builder.Host} port={builder.Port} dbname={builder.Database} user={builder.Username}";
        var destination = outputPath is null ? "/vsistdout/" : Path.GetFullPath(outputPath);
        if (outputPath is not null)
        {
            DeleteExisting(destination, target.Driver);
        }

        var args = new List<string>
        {
            "-f", target.Driver, destination, pg, "-sql", layer.ExportSql, "-nln", layer.Name.Replace('-', '_'),
            "-a_srs", "EPSG:4490",
        };
        switch (target.Driver)
        {
            case "ESRI Shapefile":
                args.AddRange(["-lco", "ENCODING=UTF-8"]);
                break;
            case "CSV":
                args.AddRange(["-lco", "GEOMETRY=AS_WKT"]);
                break;
        }

        // The password goes through the environment, never the command line (visible in ps).
        var environment = new Dictionary<string, string> { ["PGPASSWORD"] = builder.Password ?? string.Empty };
        var result = await ExternalCommand.RunAsync("ogr2ogr", args, cancellationToken, environment, stdout);
        if (!result.Succeeded)
        {
            if (outputPath is not null)
            {
                DeleteExisting(destination, target.Driver); // no partial file is left for someone to send on
            }

            throw new InvalidOperationException($"export of {layer.Name} failed, no file written: {result.StandardError.Trim()}");
        }

        return count;
    }

    /// <summary>The number of features, and how many of each kind of geometry (points, lines, areas) there are.</summary>
    private static async Task<(long Count, List<(string Kind, long Count)> Kinds)> CountAsync(
        string connectionString, LayerDefinition layer, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT CASE ST_Dimension(geom) WHEN 0 THEN 'points' WHEN 1 THEN 'lines' WHEN 2 THEN 'areas' ELSE 'without geometry' END, count(*)
            FROM ({layer.ExportSql}) AS exported GROUP BY 1 ORDER BY 1
            """, connection);
        var kinds = new List<(string, long)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            kinds.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return (kinds.Sum(k => k.Item2), kinds);
    }

    private static void DeleteExisting(string path, string driver)
    {
        string[] parts = driver == "ESRI Shapefile" ? [".shp", ".shx", ".dbf", ".prj", ".cpg"] : [Path.GetExtension(path)];
        foreach (var ext in parts)
        {
            var file = Path.ChangeExtension(path, ext);
            if (File.Exists(file))
            {
                File.Delete(file);
            }
        }
    }
}
