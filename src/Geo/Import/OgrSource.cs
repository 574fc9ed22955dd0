using System.Text.RegularExpressions;

using GeoMine.Geo.Crs;
using GeoMine.Geo.Storage;

namespace GeoMine.Geo.Import;

/// <summary>
/// Reads any vector file GDAL reads (shapefile, GeoJSON, KML/KMZ, GeoPackage, CSV with WKT or X/Y
/// columns, GPX…) by letting <c>ogr2ogr</c> reproject it to EPSG:4490 and write CSV with WKT geometry,
/// which is then parsed here. Axis order of the output is longitude, latitude (ogr2ogr's traditional
/// GIS order). WGS84 sources are declared CGCS2000 without a datum shift (the two agree within GPS
/// noise); Xi'an 1980 and Beijing 1954 sources (from the .prj or <c>--srs</c>) are refused, since no exact transformation
/// to CGCS2000 exists without local parameters — unless the operator names a configured <see cref="DatumTransformation"/>:
/// then GDAL converts with exactly those Helmert parameters (the source's PROJ definition with its <c>+towgs84</c>, to
/// GRS80 longitude/latitude with a null <c>+towgs84</c>), never with a ballpark.
/// </summary>
public static partial class OgrSource
{
    /// <summary>Reads <paramref name="path"/> (first layer, or <paramref name="sourceLayer"/>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="sourceSrs">Source CRS such as <c>EPSG:4523</c>, overriding the file's own (.prj).</param>
    /// <param name="encoding">Attribute encoding for shapefiles without .cpg (else detected).</param>
    /// <param name="sourceLayer">Layer inside a multi-layer source.</param>
    /// <param name="datumShift">The transformations configured and the name the operator gave (<c>--datum-transform</c>), for
    /// sources in Xi'an 1980 or Beijing 1954.</param>
    /// <param name="cancellationToken">Cancels the GDAL processes.</param>
    public static async Task<SourceDataset> ReadAsync(
        string path, string? sourceSrs = null, string? encoding = null, string? sourceLayer = null,
        (IReadOnlyList<DatumTransformation> Configured, string? Name)? datumShift = null, CancellationToken cancellationToken = default)
    {
        path = Path.GetFullPath(path);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new ImportException($"{path}: no such file");
        }

        var openOptions = new List<string>();
        string? encodingNote = null;
        if (path.EndsWith(".shp", StringComparison.OrdinalIgnoreCase))
        {
            CheckShapefileParts(path);
            var decision = ShapefileEncoding.Decide(path, encoding);
            openOptions.AddRange(["-oo", $"ENCODING={decision.Encoding}"]);
            encodingNote = $"{decision.Encoding} ({decision.Reason})";
        }

        var info = await ExternalCommand.RunAsync("ogrinfo",
            ["-ro", "-so", .. openOptions, path, .. (sourceLayer is null ? ["-al"] : new[] { sourceLayer })],
            cancellationToken);
        if (!info.Succeeded)
        {
            throw new ImportException($"{path}: GDAL cannot read it: {FirstError(info.StandardError)}");
        }

        var layerSrs = ParseLayerSrs(info.StandardOutput);
        var crsName = sourceSrs ?? CrsName(layerSrs);
        if (sourceSrs is null && layerSrs is null)
        {
            throw new ImportException(
                $"{path}: unknown coordinate reference system (no .prj or CRS in the file); give it with --srs EPSG:n");
        }

        // GCJ-02 (AMap/DataV boundaries, 440-590 m off): read as longitude/latitude, then each vertex taken back to WGS84/CGCS2000.
        var gcj02 = sourceSrs is not null && SpatialReference.TryParse(sourceSrs)?.Kind == CrsKind.Gcj02;
        if (gcj02)
        {
            sourceSrs = "EPSG:4326";
        }

        var sourceWkt = sourceSrs is null ? layerSrs! : await WktOfAsync(path, sourceSrs, cancellationToken);
        string? shiftedSource = null;
        if (LegacyDatum(sourceWkt) is { } legacy)
        {
            DatumTransformation shift;
            try
            {
                shift = DatumTransformation.Choose(datumShift?.Configured ?? [], datumShift?.Name, legacy,
                    $"{path} ({CrsName(sourceWkt)}{(sourceSrs is null ? ", from its .prj" : $", --srs {sourceSrs}")})");
            }
            catch (FormatException e)
            {
                throw new ImportException(e.Message);
            }

            shiftedSource = await ProjWithShiftAsync(path, sourceSrs ?? sourceWkt, shift, cancellationToken);
            crsName = $"{CrsName(sourceWkt)}; {shift.Describe()}";
        }

        var treatAsCgcs2000 = sourceSrs is null && shiftedSource is null && IsWgs84Geographic(layerSrs!);
        var csv = ImportScratch.NewFile(".csv");
        try
        {
            var args = new List<string> { "-f", "CSV", csv, path };
            if (sourceLayer is not null)
            {
                args.Add(sourceLayer);
            }

            args.AddRange(openOptions);
            args.AddRange(["-lco", "GEOMETRY=AS_WKT", "-lco", "LINEFORMAT=LF"]);
            if (shiftedSource is not null)
            {
                args.AddRange(["-s_srs", shiftedSource, "-t_srs", Cgcs2000WithNullShift]);
            }
            else
            {
                args.AddRange(["-t_srs", "EPSG:4490"]);
                if (sourceSrs is not null)
                {
                    args.AddRange(["-s_srs", sourceSrs]);
                }
                else if (treatAsCgcs2000)
                {
                    args.AddRange(["-s_srs", "EPSG:4490"]);
                }
            }

            var result = await ExternalCommand.RunAsync("ogr2ogr", args, cancellationToken);
            if (!result.Succeeded || !File.Exists(csv))
            {
                throw new ImportException($"{path}: GDAL could not convert it: {FirstError(result.StandardError)}");
            }

            var warnings = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => l.StartsWith("Warning", StringComparison.Ordinal)).ToList();
            var (fields, features) = ReadCsv(csv);
            if (gcj02)
            {
                features = [.. features.Select(f => f with { Wkt = FromGcj02(f.Wkt) })];
                crsName = "GCJ-02 (--srs gcj02), converted to CGCS2000 vertex by vertex (inverse of the GCJ-02 offset, iterated to 1e-10°)";
            }

            var crs = treatAsCgcs2000 ? $"{crsName} (treated as CGCS2000 EPSG:4490)" : crsName;
            return new SourceDataset(path, crs, encodingNote, fields, features, warnings);
        }
        finally
        {
            File.Delete(csv);
        }
    }

    private static void CheckShapefileParts(string shp)
    {
        var missing = new[] { ".shx", ".dbf" }
            .Where(ext => !File.Exists(Path.ChangeExtension(shp, ext)) && !File.Exists(Path.ChangeExtension(shp, ext.ToUpperInvariant())))
            .ToList();
        if (missing.Count > 0)
        {
            throw new ImportException(
                $"{shp}: shapefile incomplete, missing {string.Join(" and ", missing)} " +
                "(a shapefile needs .shp, .shx and .dbf together; ask the sender for the whole set)");
        }
    }

    private static (IReadOnlyList<string> Fields, IReadOnlyList<SourceFeature> Features) ReadCsv(string csvPath)
    {
        using var reader = new StreamReader(csvPath, System.Text.Encoding.UTF8);
        using var records = CsvRecords.Read(reader).GetEnumerator();
        if (!records.MoveNext())
        {
            return ([], []);
        }

        var header = records.Current;
        var wktIndex = Array.FindIndex(header, h => h == "WKT");
        var fields = header.Where((_, i) => i != wktIndex).ToList();
        var features = new List<SourceFeature>();
        while (records.MoveNext())
        {
            var record = records.Current;
            var attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < header.Length; i++)
            {
                if (i != wktIndex)
                {
                    attributes[header[i]] = i < record.Length ? record[i] : string.Empty;
                }
            }

            var wkt = wktIndex >= 0 && wktIndex < record.Length ? record[wktIndex] : string.Empty;
            features.Add(new SourceFeature(features.Count + 1, wkt, attributes));
        }

        return (fields, features);
    }

    internal static string? ParseLayerSrs(string ogrinfoOutput)
    {
        var at = ogrinfoOutput.IndexOf("Layer SRS WKT:", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var rest = ogrinfoOutput[(at + "Layer SRS WKT:".Length)..].TrimStart('\r', '\n');
        if (rest.StartsWith("(unknown)", StringComparison.Ordinal))
        {
            return null;
        }

        var end = rest.IndexOf("\nData axis", StringComparison.Ordinal);
        return end >= 0 ? rest[..end] : rest;
    }

    private static string CrsName(string? wkt) =>
        wkt is null ? "unknown" : CrsNamePattern().Match(wkt) is { Success: true } m ? m.Groups[1].Value : "unnamed CRS";

    private static string FromGcj02(string wkt)
    {
        if (string.IsNullOrWhiteSpace(wkt))
        {
            return wkt;
        }

        var geometry = new NetTopologySuite.IO.WKTReader().Read(wkt);
        geometry.Apply(new Gcj02Filter());
        return new NetTopologySuite.IO.WKTWriter(geometry.Coordinate is { } c && !double.IsNaN(c.Z) ? 3 : 2) { MaxCoordinatesPerLine = int.MaxValue }.Write(geometry);
    }

    private sealed class Gcj02Filter : NetTopologySuite.Geometries.IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(NetTopologySuite.Geometries.CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                var (lon, lat) = Gcj02.ToWgs84(seq.GetX(i), seq.GetY(i));
                seq.SetX(i, lon);
                seq.SetY(i, lat);
            }
        }
    }

    /// <summary>CGCS2000 longitude/latitude as PROJ sees the target of a configured shift: GRS80, null Helmert to WGS84.</summary>
    private const string Cgcs2000WithNullShift = "+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs";

    /// <summary>Xi'an 1980 or Beijing 1954 when the WKT's datum (or, failing a datum, its name) is one of them.</summary>
    internal static GeodeticDatum? LegacyDatum(string wkt)
    {
        var datum = DatumPattern().Match(wkt);
        return GeodeticDatum.RecogniseLegacy(datum.Success ? datum.Groups[1].Value : CrsName(wkt))?.Datum;
    }

    /// <summary>WKT of a CRS given on the command line (EPSG:n, a PROJ string…), as GDAL reads it.</summary>
    private static async Task<string> WktOfAsync(string path, string srs, CancellationToken ct)
    {
        var info = await ExternalCommand.RunAsync("gdalsrsinfo", ["--single-line", "-o", "wkt2", srs], ct);
        if (!info.Succeeded)
        {
            throw new ImportException($"{path}: --srs {srs}: GDAL does not know this coordinate system: {FirstError(info.StandardError)}");
        }

        return info.StandardOutput.Trim();
    }

    /// <summary>The PROJ definition of the source with the configured <c>+towgs84</c> in place of any it had.</summary>
    private static async Task<string> ProjWithShiftAsync(string path, string srs, DatumTransformation shift, CancellationToken ct)
    {
        var info = await ExternalCommand.RunAsync("gdalsrsinfo", ["-o", "proj4", srs], ct);
        var proj = info.StandardOutput.Trim().Trim('\'', '"');
        if (!info.Succeeded || !proj.StartsWith("+proj=", StringComparison.Ordinal))
        {
            throw new ImportException($"{path}: GDAL gives no PROJ definition of {CrsName(srs)}: {FirstError(info.StandardError)}");
        }

        var terms = proj.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(t => !t.StartsWith("+towgs84=", StringComparison.Ordinal) && !t.StartsWith("+nadgrids=", StringComparison.Ordinal) && t != "+type=crs");
        return string.Join(' ', terms.Append(shift.ProjTerm));
    }

    private static bool IsWgs84Geographic(string wkt) =>
        (wkt.StartsWith("GEOGCRS", StringComparison.Ordinal) || wkt.StartsWith("GEOGCS", StringComparison.Ordinal))
        && DatumPattern().Match(wkt) is { Success: true } m
        && (m.Groups[1].Value.Contains("WGS_1984", StringComparison.OrdinalIgnoreCase)
            || m.Groups[1].Value.Contains("World Geodetic System 1984", StringComparison.OrdinalIgnoreCase));

    private static string FirstError(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.FirstOrDefault(l => l.StartsWith("ERROR", StringComparison.Ordinal)) ?? lines.FirstOrDefault() ?? "no message";
    }

    [GeneratedRegex("^[A-Z]+\\[\"([^\"]*)\"")]
    private static partial Regex CrsNamePattern();

    [GeneratedRegex("DATUM\\[\"([^\"]*)\"")]
    private static partial Regex DatumPattern();
}
