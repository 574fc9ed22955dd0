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
/// Besides the reference layers, any <see cref="ExportSource"/> (tracks, visits, alarms, patrol records): its columns are read
/// from PostgreSQL, instants are written as ISO-8601 China time (<c>2026-11-18T09:00:00+08:00</c>) in every format but
/// GeoPackage (which types them, in UTC), JSON as text, and columns starting with <c>_</c> (hidden keys) are left out.
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
    public static Task<long> ExportAsync(
        string connectionString, LayerDefinition layer, string format, string? outputPath,
        Stream? stdout = null, CancellationToken cancellationToken = default, string encoding = "UTF-8") =>
        ExportAsync(connectionString, ExportSource.Of(layer), format, outputPath, stdout, cancellationToken, encoding);

    /// <summary>Exports <paramref name="source"/> (only the China days <paramref name="from"/>–<paramref name="to"/>, both
    /// included, of its time field when given) to <paramref name="outputPath"/>, or GeoJSON to <paramref name="stdout"/>
    /// when the path is null. Returns the number of features written.</summary>
    public static async Task<long> ExportAsync(
        string connectionString, ExportSource source, string format, string? outputPath,
        Stream? stdout = null, CancellationToken cancellationToken = default, string encoding = "UTF-8",
        DateOnly? from = null, DateOnly? to = null)
    {
        if ((from is not null || to is not null) && source.TimeField is null)
        {
            throw new ArgumentException($"{source.Name} has no time to select a period on; export it without --from/--to");
        }

        if (from > to)
        {
            throw new ArgumentException($"--from {from:yyyy-MM-dd} is after --to {to:yyyy-MM-dd}");
        }

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

        var rows = Rows(source, from, to);
        var (count, kinds) = await CountAsync(connectionString, rows, cancellationToken);
        var gpxTracks = target.Driver == "GPX" && kinds.Count > 0 && kinds.All(k => k.Kind == "lines");
        if (target.Driver == "GPX" && !gpxTracks && kinds.Any(k => k.Kind != "points"))
        {
            throw new InvalidOperationException(
                $"{source.Name} has {string.Join(" and ", kinds.Select(k => $"{k.Count} {k.Kind}"))}: GPX holds points (waypoints) or lines (tracks); " +
                "export areas, and points mixed with lines, as kmz, gpkg or geojson");
        }

        if (target.Driver == "ESRI Shapefile" && kinds.Count(k => k.Kind != "without geometry") > 1)
        {
            // Refused before any file is touched: GDAL would write the first type and fail on the next, leaving a partial file.
            throw new InvalidOperationException(
                $"{source.Name} mixes {string.Join(" and ", kinds.Select(k => $"{k.Count} {k.Kind}"))}, and a shapefile holds one " +
                "geometry type: export it as gpkg or geojson (both keep every feature in one file)");
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var pg = $"PG:host={builder.Host} port={builder.Port} dbname={builder.Database} user={builder.Username}";
        var destination = outputPath is null ? "/vsistdout/" : Path.GetFullPath(outputPath);
        if (outputPath is not null)
        {
            DeleteExisting(destination, target.Driver);
        }

        var columns = await ColumnsAsync(connectionString, source, cancellationToken);
        // GPX tracks with times: their points go to GDAL's track_points layer, which writes one <trk> per track_fid.
        var trackPoints = gpxTracks && source.GpxTrackPoints is not null;
        var args = new List<string>
        {
            "-f", target.Driver, destination, pg, "-sql", trackPoints ? source.GpxTrackPoints!(rows) : ExportSql(source, rows, columns, target.Driver),
            "-nln", trackPoints ? "track_points" : source.Name.Replace('-', '_'),
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
                // GDAL's GPX writer: points are waypoints (<wpt>), multi-lines are tracks (<trk>, one segment per line).
                args.AddRange(["-dsco", "GPX_USE_EXTENSIONS=YES", "-nlt", gpxTracks && !trackPoints ? "MULTILINESTRING" : "POINT"]);
                break;
            case "GPKG" when source.Geometry is TargetGeometry.Point or TargetGeometry.LineString or TargetGeometry.MultiPolygon:
                // A query's geometry column has no declared type: name the layer's, so the GeoPackage column is typed.
                args.AddRange(["-nlt", source.Geometry switch
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

            throw new InvalidOperationException($"export of {source.Name} failed, no file written: {result.StandardError.Trim()}");
        }

        return count;
    }

    /// <summary>The rows of <paramref name="source"/>, only those of the China days <paramref name="from"/>–<paramref name="to"/>
    /// when given (instants formatted here, never text from a user).</summary>
    private static string Rows(ExportSource source, DateOnly? from, DateOnly? to)
    {
        var where = new List<string>();
        if (from is { } f)
        {
            where.Add($"e.{source.TimeField} >= '{ChinaTime.StartOf(f):yyyy-MM-ddTHH:mm:ssZ}'::timestamptz");
        }

        if (to is { } t)
        {
            where.Add($"e.{source.TimeField} < '{ChinaTime.StartOf(t.AddDays(1)):yyyy-MM-ddTHH:mm:ssZ}'::timestamptz");
        }

        return where.Count == 0 ? source.Sql : $"SELECT * FROM ({source.Sql}) e WHERE {string.Join(" AND ", where)}";
    }

    /// <summary>The export query for a driver: instants as ISO China time (GeoPackage keeps them typed), JSON as text; in
    /// spreadsheets and GPX dates as yyyy-MM-dd text; xlsx gets lon/lat columns; GPX names each waypoint or track by the
    /// feature's key.</summary>
    private static string ExportSql(ExportSource source, string rows, IReadOnlyList<(string Name, string Type)> columns, string driver)
    {
        string Column((string Name, string Type) c) => c.Type switch
        {
            "timestamp with time zone" when driver != "GPKG" =>
                $"to_char(e.{c.Name} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+08:00\"') AS {c.Name}",
            "date" when driver is "CSV" or "XLSX" or "GPX" => $"to_char(e.{c.Name}, 'YYYY-MM-DD') AS {c.Name}",
            "json" or "jsonb" => $"e.{c.Name}::text AS {c.Name}",
            _ => $"e.{c.Name}",
        };

        var selected = columns.Select(Column).ToList();
        if (driver == "GPX")
        {
            selected = [$"e.{source.KeyField}::text AS name", .. columns.Where(c => c.Name is not ("name" or "code") && c.Name != source.KeyField).Select(Column)];
            if (columns.Any(c => c.Name == "name") && source.KeyField != "name")
            {
                selected.Add("e.name::text AS \"desc\"");
            }
        }

        if (driver == "XLSX")
        {
            selected.Add("round(ST_X(ST_PointOnSurface(e.geom))::numeric, 7) AS lon");
            selected.Add("round(ST_Y(ST_PointOnSurface(e.geom))::numeric, 7) AS lat");
        }

        return $"SELECT {string.Join(", ", selected)}, e.geom FROM ({rows}) e";
    }

    /// <summary>The columns of <paramref name="source"/> (name, PostgreSQL type) as PostgreSQL describes them, without the
    /// geometry and the hidden ones (<c>_…</c>).</summary>
    private static async Task<IReadOnlyList<(string Name, string Type)>> ColumnsAsync(
        string connectionString, ExportSource source, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT * FROM ({source.Sql}) e LIMIT 0", connection);
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SchemaOnly, cancellationToken);
        return [.. (await reader.GetColumnSchemaAsync(cancellationToken))
            .Where(c => c.ColumnName != "geom" && !c.ColumnName.StartsWith('_'))
            .Select(c => (c.ColumnName, c.DataTypeName ?? ""))];
    }

    /// <summary>The number of features, and how many of each kind of geometry (points, lines, areas) there are.</summary>
    private static async Task<(long Count, List<(string Kind, long Count)> Kinds)> CountAsync(
        string connectionString, string rows, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT CASE ST_Dimension(geom) WHEN 0 THEN 'points' WHEN 1 THEN 'lines' WHEN 2 THEN 'areas' ELSE 'without geometry' END, count(*)
            FROM ({rows}) AS exported GROUP BY 1 ORDER BY 1
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
