using GeoMine.Geo.Import;
using GeoMine.Geo.Storage;
using Npgsql;

namespace GeoMine.Geo.Export;

/// <summary>
/// Writes a layer to a file with GDAL's <c>ogr2ogr</c> reading straight from PostGIS. Geometry stays
/// in EPSG:4490 (lon, lat). Field names are the layer's canonical names (at most 10 characters, so
/// shapefiles keep them), which the importer maps by default: export → import is a round trip.
/// Shapefiles are written in UTF-8 with a <c>.cpg</c> saying so, or in GBK (<c>--encoding GBK</c>, for old desktop GIS
/// on Chinese Windows) with its <c>.cpg</c>. What officials open in Excel: CSV with a UTF-8 BOM (Excel on Chinese
/// Windows reads a BOM-less CSV as GBK) and xlsx, both with ISO dates (yyyy-MM-dd) and, in xlsx, lon/lat columns (a
/// point on the feature, EPSG:4490 degrees). GPX takes point layers as waypoints (name = the feature's key); GPX and
/// KMZ are WGS84 by definition, and CGCS2000 coordinates are written as they are (the two agree within centimetres).
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
            ["xlsx"] = ("XLSX", ".xlsx"),
            ["gpx"] = ("GPX", ".gpx"),
            ["kmz"] = ("LIBKML", ".kmz"),
        };

    /// <summary>Shapefile encodings: CLI name → the DBF code page GDAL writes (and names in the <c>.cpg</c>).</summary>
    public static IReadOnlyDictionary<string, string> ShapefileEncodings { get; } =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["UTF-8"] = "UTF-8", ["GBK"] = "CP936" };

    /// <summary>Exports <paramref name="layer"/> to <paramref name="outputPath"/>, or GeoJSON to
    /// <paramref name="stdout"/> when the path is null. Returns the number of features written.</summary>
    public static async Task<long> ExportAsync(
        string connectionString, LayerDefinition layer, string format, string? outputPath,
        Stream? stdout = null, CancellationToken cancellationToken = default, string encoding = "UTF-8")
    {
        if (!ShapefileEncodings.TryGetValue(encoding, out var codePage))
        {
            throw new ArgumentException($"unknown encoding '{encoding}'; encodings: {string.Join(", ", ShapefileEncodings.Keys)}");
        }

        if (!codePage.Equals("UTF-8", StringComparison.Ordinal) && !format.Equals("shp", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"--encoding {encoding} is for shapefiles; {format} files are UTF-8");
        }

        if (!Formats.TryGetValue(format, out var target))
        {
            throw new ArgumentException($"unknown format '{format}'; formats: {string.Join(", ", Formats.Keys)}");
        }

        if (outputPath is null && !format.Equals("geojson", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"--out FILE is needed for format {format} (only GeoJSON goes to standard output)");
        }

        var (count, kinds) = await CountAsync(connectionString, layer, cancellationToken);
        if (target.Driver == "GPX" && kinds.Any(k => k.Kind != "points"))
        {
            throw new InvalidOperationException(
                $"{layer.Name} has {string.Join(" and ", kinds.Select(k => $"{k.Count} {k.Kind}"))}: GPX holds points (waypoints) and tracks; " +
                "export areas and lines as kmz, gpkg or geojson");
        }

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
            "-f", target.Driver, destination, pg, "-sql", ExportSql(layer, target.Driver), "-nln", layer.Name.Replace('-', '_'),
            "-a_srs", target.Driver is "GPX" or "LIBKML" ? "EPSG:4326" : "EPSG:4490",
        };
        switch (target.Driver)
        {
            case "ESRI Shapefile":
                args.AddRange(["-lco", $"ENCODING={codePage}"]);
                break;
            case "CSV":
                args.AddRange(["-lco", "GEOMETRY=AS_WKT", "-lco", "WRITE_BOM=YES"]);
                break;
            case "GPX":
                args.AddRange(["-dsco", "GPX_USE_EXTENSIONS=YES", "-nlt", "POINT"]);
                break;
            case "GPKG" when layer.Geometry is TargetGeometry.Point or TargetGeometry.LineString or TargetGeometry.MultiPolygon:
                // A query's geometry column has no declared type: name the layer's, so the GeoPackage column is typed.
                args.AddRange(["-nlt", layer.Geometry switch
                {
                    TargetGeometry.Point => "POINT",
                    TargetGeometry.LineString => "LINESTRING",
                    _ => "MULTIPOLYGON",
                }]);
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

    /// <summary>The export query for a driver: spreadsheets get ISO dates as text and (xlsx) lon/lat columns; GPX names each
    /// waypoint by the feature's key.</summary>
    private static string ExportSql(LayerDefinition layer, string driver)
    {
        if (driver is not ("CSV" or "XLSX" or "GPX"))
        {
            return layer.ExportSql;
        }

        var columns = layer.Fields.Select(f => f.Kind == FieldKind.Date ? $"to_char(e.{f.Name}, 'YYYY-MM-DD') AS {f.Name}" : $"e.{f.Name}").ToList();
        if (driver == "GPX")
        {
            columns = [$"e.{layer.KeyField}::text AS name", .. layer.Fields.Where(f => f.Name is not ("name" or "code") && f.Name != layer.KeyField)
                .Select(f => f.Kind == FieldKind.Date ? $"to_char(e.{f.Name}, 'YYYY-MM-DD') AS {f.Name}" : $"e.{f.Name}")];
            if (layer.Fields.Any(f => f.Name == "name"))
            {
                columns.Add("e.name::text AS \"desc\"");
            }
        }

        if (driver == "XLSX")
        {
            columns.Add("round(ST_X(ST_PointOnSurface(e.geom))::numeric, 7) AS lon");
            columns.Add("round(ST_Y(ST_PointOnSurface(e.geom))::numeric, 7) AS lat");
        }

        return $"SELECT {string.Join(", ", columns)}, e.geom FROM ({layer.ExportSql}) e";
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
