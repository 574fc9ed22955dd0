using System.Globalization;
using GeoMine.Geo.Import;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GeoMine.Patrol.Positions;

/// <summary>
/// Reads position files: GPX from phones (layer <c>track_points</c> through GDAL: time, ele) and CSV
/// with a header (device, time, lon, lat, and optionally altitude, accuracy, speed in m/s). Every
/// record is read before anything is stored; an unreadable one (no time, a time or number that does not parse) fails the
/// file naming its track point and line (GPX) or line (CSV) — or, when the caller collects <c>skipped</c>
/// (<c>--skip-invalid</c>), is left out and listed. GPX and CSV coordinates are WGS84 degrees (treated as CGCS2000).
/// </summary>
public static class TrackFile
{
    private static readonly string[] DeviceNames = ["device_id", "device", "deviceid", "id", "设备编号"];
    private static readonly string[] TimeNames = ["time", "timestamp", "fix_time", "datetime", "时间"];
    private static readonly string[] LonNames = ["lon", "lng", "longitude", "x", "经度"];
    private static readonly string[] LatNames = ["lat", "latitude", "y", "纬度"];
    private static readonly string[] AltitudeNames = ["altitude", "altitude_m", "ele", "elevation", "z", "高程"];
    private static readonly string[] AccuracyNames = ["accuracy", "accuracy_m", "hacc"];
    private static readonly string[] SpeedNames = ["speed_mps", "speed"];

    /// <summary>Reads <paramref name="path"/>; <paramref name="deviceKey"/> names the device for files
    /// that do not carry one (GPX always needs it). What was guessed (a CSV's encoding) is added to <paramref name="notes"/>.</summary>
    /// <exception cref="ImportException">The file cannot be read; the message names the record.</exception>
    /// <param name="path">The file.</param>
    /// <param name="deviceKey">Device of files that name none.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <param name="notes">Receives what was guessed.</param>
    /// <param name="skipped">When given, records that cannot be read are left out and described here instead of failing the file.</param>
    public static async Task<IReadOnlyList<PositionFix>> ReadAsync(
        string path, string? deviceKey, CancellationToken cancellationToken = default, ICollection<string>? notes = null, ICollection<string>? skipped = null)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".gpx" => await ReadGpxAsync(path, deviceKey, skipped, cancellationToken),
            ".csv" or ".txt" => await ReadCsvAsync(path, deviceKey, notes, skipped, cancellationToken),
            _ => throw new ImportException($"{path}: positions are read from .gpx or .csv files"),
        };
    }

    private static async Task<IReadOnlyList<PositionFix>> ReadGpxAsync(string path, string? deviceKey, ICollection<string>? skipped, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(deviceKey))
        {
            throw new ImportException($"{path}: a GPX file does not say which device recorded it; give --device ID");
        }

        var lines = CheckGpxCoordinates(path); // GDAL reads lat="abc" as 0 and lat="29,35" as 29: refuse such points before it sees them
        var source = await OgrSource.ReadAsync(path, sourceLayer: "track_points", cancellationToken: cancellationToken);
        var reader = new WKTReader();
        var fixes = new List<PositionFix>(source.Features.Count);
        foreach (var feature in source.Features)
        {
            var where = feature.Number <= lines.Count ? $"track point {feature.Number} (line {lines[feature.Number - 1]})" : $"track point {feature.Number}";
            Record(path, skipped, () =>
            {
                if (reader.Read(feature.Wkt) is not Point point)
                {
                    throw new ImportException($"{path}: {where} has no position");
                }

                fixes.Add(new PositionFix(
                    deviceKey, ParseTime(feature.Attributes.GetValueOrDefault("time"), path, where), point.X, point.Y,
                    ParseOptional(feature.Attributes.GetValueOrDefault("ele"), "ele", path, where),
                    null, null, null, null, "gpx"));
            });
        }

        return fixes;
    }

    /// <summary>Reads one record, or, when <paramref name="skipped"/> collects them, lists it there if it cannot be read.</summary>
    private static void Record(string path, ICollection<string>? skipped, Action read)
    {
        try
        {
            read();
        }
        catch (ImportException e) when (skipped is not null)
        {
            skipped.Add(e.Message.StartsWith(path + ": ", StringComparison.Ordinal) ? e.Message[(path.Length + 2)..] : e.Message);
        }
    }

    /// <summary>Every <c>trkpt</c>'s <c>lat</c> and <c>lon</c> must be plain decimal degrees (invariant culture) in range.
    /// Returns each track point's line.</summary>
    private static List<int> CheckGpxCoordinates(string path)
    {
        var lines = new List<int>();
        using var xml = System.Xml.XmlReader.Create(path, new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Prohibit });
        var point = 0;
        try
        {
            while (xml.Read())
            {
                if (xml.NodeType != System.Xml.XmlNodeType.Element || xml.LocalName != "trkpt")
                {
                    continue;
                }

                point++;
                lines.Add(((System.Xml.IXmlLineInfo)xml).LineNumber);
                foreach (var (name, limit) in new[] { ("lat", 90.0), ("lon", 180.0) })
                {
                    var text = xml.GetAttribute(name);
                    if (!double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
                        || !double.IsFinite(value) || Math.Abs(value) > limit)
                    {
                        throw new ImportException($"{path}: track point {point} (line {((System.Xml.IXmlLineInfo)xml).LineNumber}): " +
                                                  $"{name} '{text}' is not decimal degrees (a dot as decimal separator, within ±{limit})");
                    }
                }
            }
        }
        catch (System.Xml.XmlException e)
        {
            throw new ImportException($"{path}: not a readable GPX file: {e.Message}");
        }

        return lines;
    }

    private static async Task<IReadOnlyList<PositionFix>> ReadCsvAsync(string path, string? deviceKey, ICollection<string>? notes, ICollection<string>? skipped, CancellationToken ct)
    {
        var (content, encoding) = await TextFile.ReadAsync(path, ct);
        if (encoding != "UTF-8")
        {
            notes?.Add($"{Path.GetFileName(path)}: not UTF-8, read as {encoding} (GBK, as Excel on Chinese Windows saves CSV)");
        }

        using var text = new StringReader(content);
        using var records = CsvRecords.Read(text).GetEnumerator();
        if (!records.MoveNext())
        {
            throw new ImportException($"{path}: empty file");
        }

        var header = records.Current.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        int Column(string[] names, bool required, string what)
        {
            var index = Array.FindIndex(header, h => names.Contains(h));
            return index >= 0 || !required
                ? index
                : throw new ImportException($"{path}: no {what} column (looked for {string.Join(", ", names)}); header: {string.Join(",", header)}");
        }

        var device = Column(DeviceNames, deviceKey is null, "device");
        var (time, lon, lat) = (Column(TimeNames, true, "time"), Column(LonNames, true, "longitude"), Column(LatNames, true, "latitude"));
        var (alt, acc, speed) = (Column(AltitudeNames, false, ""), Column(AccuracyNames, false, ""), Column(SpeedNames, false, ""));
        var fixes = new List<PositionFix>();
        var line = 1;
        while (records.MoveNext())
        {
            line++;
            var r = records.Current;
            if (r.Length == 1 && string.IsNullOrWhiteSpace(r[0]))
            {
                continue;
            }

            var where = $"line {line}";
            Record(path, skipped, () =>
            {
                if (r.Length != header.Length)
                {
                    // A short or long row would shift its values into other columns (29,35,105,9 under lat,lon).
                    throw new ImportException($"{path}: {where}: {r.Length} values, but the header has {header.Length} columns");
                }

                string? At(int i) => i >= 0 && i < r.Length ? r[i] : null;
                var key = device >= 0 && !string.IsNullOrWhiteSpace(At(device)) ? At(device)! : deviceKey
                    ?? throw new ImportException($"{path}: {where}: device is empty");
                fixes.Add(new PositionFix(
                    key, ParseTime(At(time), path, where),
                    ParseOptional(At(lon), header[lon], path, where) ?? throw new ImportException($"{path}: {where}: {header[lon]} is empty"),
                    ParseOptional(At(lat), header[lat], path, where) ?? throw new ImportException($"{path}: {where}: {header[lat]} is empty"),
                    ParseOptional(At(alt), "altitude", path, where), ParseOptional(At(acc), "accuracy", path, where),
                    ParseOptional(At(speed), "speed", path, where), null, null, "csv"));
            });
        }

        return fixes;
    }

    private static readonly string[] GdalTimeFormats = ["yyyy/MM/dd HH:mm:ss.FFFzz", "yyyy/MM/dd HH:mm:sszz", "yyyy/MM/dd HH:mm:ss.FFF", "yyyy/MM/dd HH:mm:ss"];

    private static DateTime ParseTime(string? text, string path, string where)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ImportException($"{path}: {where} has no time");
        }

        const DateTimeStyles utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (DateTimeOffset.TryParseExact(text, GdalTimeFormats, CultureInfo.InvariantCulture, utc, out var gdal)
            || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, utc, out gdal))
        {
            return gdal.UtcDateTime;
        }

        throw new ImportException($"{path}: {where}: time '{text}' is not readable");
    }

    private static double? ParseOptional(string? text, string field, string path, string where) =>
        string.IsNullOrWhiteSpace(text) ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value
        : throw new ImportException($"{path}: {where}: {field} '{text}' is not a number");
}
