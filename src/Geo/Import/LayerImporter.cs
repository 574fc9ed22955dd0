using GeoMine.Geo.Storage;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.Operation.Valid;
using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Geo.Import;

/// <summary>
/// Validates every feature of a source against a layer and writes them in one transaction:
/// either all features are imported, or (the default) nothing is written and every rejected feature
/// is reported with its number and reason. With <see cref="ImportOptions.SkipInvalid"/> the valid
/// features are imported and the rest listed. Rows with an existing code are updated.
/// </summary>
public sealed class LayerImporter(string connectionString)
{
    /// <summary>China's extent with a margin (degrees); anything outside is a CRS or axis-order mistake.</summary>
    private static readonly Envelope China = new(73.0, 136.0, 3.0, 54.0);

    private const string InsertLog =
        "INSERT INTO import_log (layer, source, source_crs, encoding, feature_count) VALUES (@layer, @source, @crs, @encoding, @count)";

    /// <summary>Reads <paramref name="path"/> through GDAL (see <see cref="OgrSource"/>) and imports it.</summary>
    public async Task<ImportResult> ImportFileAsync(
        string path, LayerDefinition layer, ImportOptions options, string? sourceSrs = null, string? encoding = null,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var source = await OgrSource.ReadAsync(path, sourceSrs, encoding, cancellationToken: cancellationToken);
        return await ImportAsync(source, layer, options, progress, cancellationToken);
    }

    /// <summary>Imports <paramref name="source"/> into <paramref name="layer"/>.</summary>
    /// <exception cref="ImportException">Nothing was written; the message and problems say why.</exception>
    public async Task<ImportResult> ImportAsync(
        SourceDataset source, LayerDefinition layer, ImportOptions options,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var columns = MapFields(source, layer, options);
        await using var connection = await GeoDataSource.For(connectionString).OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var references = await ReferenceLookup.LoadAsync(connection, transaction, layer.Reference, cancellationToken);

        var rows = new List<PreparedRow>();
        var problems = new List<FeatureProblem>();
        var swapped = new List<int>();
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var feature in source.Features)
        {
            var row = Prepare(feature, layer, columns, references, out var reasons);
            if (row is not null && codes.TryGetValue(row.Code, out var first))
            {
                reasons.Add($"code '{row.Code}' already used by feature {first} of this file");
            }

            if (reasons.Count > 0 || row is null)
            {
                problems.AddRange(reasons.Select(r => new FeatureProblem(feature.Number, r)));
                continue;
            }

            codes[row.Code] = feature.Number;
            if (ElevationBand(row, reasons))
            {
                swapped.Add(feature.Number);
            }

            if (reasons.Count > 0)
            {
                problems.AddRange(reasons.Select(r => new FeatureProblem(feature.Number, r)));
                continue;
            }

            rows.Add(row);
        }

        if (problems.Count > 0 && !options.SkipInvalid)
        {
            var rejected = problems.Select(p => p.Feature).Distinct().Count();
            throw new ImportException(
                $"{Path.GetFileName(source.Path)}: {rejected} of {source.Features.Count} features rejected for layer {layer.Name}; nothing imported " +
                "(fix the file, or use --skip-invalid to import the valid features)", problems);
        }

        // Fields the file does not have keep their stored values on a re-import (a layer's SQL updates a field only when it is
        // in @present): a file of names alone must not wipe minerals or turn a 关闭中 mine into a plain closed one.
        var present = columns.Where(c => c.Value is not null).Select(c => c.Key.Name).ToArray();
        var (inserted, updated) = await WriteAsync(connection, transaction, layer, rows, present, progress, cancellationToken);
        List<string> warnings = [.. source.Warnings];
        if (swapped.Count > 0)
        {
            warnings.Add($"{swapped.Count} feature(s) give the elevation band lower bound first (upper_m < lower_m): read by meaning, the higher as upper — features {string.Join(", ", swapped.Take(20))}{(swapped.Count > 20 ? ", …" : "")}");
        }

        var bandless = rows.Count(r => r.Values.ContainsKey("upper_m") && r.Values["upper_m"] is null);
        if (bandless > 0)
        {
            warnings.Add($"{bandless} mining right(s) without an elevation band (开采标高) in the file: a stored band is kept, else the band is unknown and 超层 is not checked for the right until a licence text gives one");
        }
        var absent = layer.Fields.Where(f => !present.Contains(f.Name) && layer.WriteSql.Contains($"'{f.Name}' = ANY(@present)", StringComparison.Ordinal))
            .Select(f => f.Name).ToList();
        if (absent.Count > 0 && updated > 0)
        {
            warnings.Add($"{updated} existing features keep their stored {string.Join(", ", absent)} (not in the file)");
        }

        if (layer.Kind == LayerKind.Towns)
        {
            warnings.AddRange(await TownBackfill.RunAsync(connection, transaction, cancellationToken));
        }
        await using (var log = new NpgsqlCommand(InsertLog, connection, transaction))
        {
            log.Parameters.AddWithValue("layer", layer.Name);
            log.Parameters.AddWithValue("source", source.Path);
            log.Parameters.AddWithValue("crs", source.SourceCrs);
            log.Parameters.AddWithValue("encoding", (object?)source.Encoding ?? DBNull.Value);
            log.Parameters.AddWithValue("count", rows.Count);
            await log.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new ImportResult(layer.Name, source.Path, source.SourceCrs, source.Encoding, source.Features.Count,
            inserted, updated, problems, warnings);
    }

    private static Dictionary<FieldSpec, string?> MapFields(SourceDataset source, LayerDefinition layer, ImportOptions options)
    {
        var unknownTargets = options.FieldMap.Keys.Where(k => layer.Fields.All(f => !f.Name.Equals(k, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknownTargets.Count > 0)
        {
            throw new ImportException(
                $"--map {unknownTargets[0]}=…: layer {layer.Name} has no field {unknownTargets[0]}; its fields: {string.Join(", ", layer.Fields.Select(f => f.Name))}");
        }

        var sourceFields = source.FieldNames.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var columns = new Dictionary<FieldSpec, string?>();
        foreach (var spec in layer.Fields)
        {
            var explicitName = options.FieldMap.FirstOrDefault(m => m.Key.Equals(spec.Name, StringComparison.OrdinalIgnoreCase)).Value;
            if (explicitName is not null)
            {
                if (!sourceFields.Contains(explicitName))
                {
                    throw new ImportException(
                        $"--map {spec.Name}={explicitName}: {Path.GetFileName(source.Path)} has no field {explicitName}; its fields: {string.Join(", ", source.FieldNames)}");
                }

                columns[spec] = explicitName;
                continue;
            }

            var found = spec.Candidates.FirstOrDefault(sourceFields.Contains);
            if (found is null && spec.Required)
            {
                throw new ImportException(
                    $"{Path.GetFileName(source.Path)}: required field {spec.Name} not found for layer {layer.Name} " +
                    $"(looked for {string.Join(", ", spec.Candidates)}); its fields: {string.Join(", ", source.FieldNames)}. " +
                    $"Name the source field with --map {spec.Name}=FIELD");
            }

            columns[spec] = found;
        }

        return columns;
    }

    /// <summary>A layer's elevation band (upper_m, lower_m): both or neither (neither = unknown); written lower first, swapped
    /// and reported. True when swapped.</summary>
    private static bool ElevationBand(PreparedRow row, List<string> reasons)
    {
        if (!row.Values.TryGetValue("upper_m", out var upperValue) || !row.Values.TryGetValue("lower_m", out var lowerValue))
        {
            return false;
        }

        switch (upperValue, lowerValue)
        {
            case (null, null):
                return false;
            case (double, null):
                reasons.Add("upper_m given without lower_m: give both bounds of the elevation band, or neither when it is unknown");
                return false;
            case (null, double):
                reasons.Add("lower_m given without upper_m: give both bounds of the elevation band, or neither when it is unknown");
                return false;
            case (double upper, double lower) when upper < lower:
                (row.Values["upper_m"], row.Values["lower_m"]) = (lower, upper);
                return true;
            default:
                return false;
        }
    }

    private static PreparedRow? Prepare(
        SourceFeature feature, LayerDefinition layer, Dictionary<FieldSpec, string?> columns,
        ReferenceLookup references, out List<string> reasons)
    {
        reasons = [];
        var geometry = ReadGeometry(feature, layer, reasons);
        var values = new Dictionary<string, object?>();
        foreach (var (spec, column) in columns)
        {
            var raw = column is null ? null : feature.Attributes.GetValueOrDefault(column);
            var (value, error) = FieldValues.Convert(spec, column ?? spec.Name, raw);
            if (error is not null)
            {
                reasons.Add(error);
            }
            else if (value is null && spec.Required)
            {
                reasons.Add($"required field {spec.Name} (source {column}) is empty");
            }

            values[spec.Name] = value;
        }

        var (refId, refCode, refError) = references.Resolve(layer.Reference, values);
        if (refError is not null)
        {
            reasons.Add(refError);
        }

        var code = values.GetValueOrDefault("code") as string
                   ?? values.GetValueOrDefault("licence") as string
                   ?? (layer.Kind == LayerKind.Shafts && refCode is not null
                       ? $"{refCode}-{values.GetValueOrDefault("name") as string ?? feature.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
                       : values.GetValueOrDefault("name") as string);
        values["code"] = code;
        if (code is null && reasons.Count == 0)
        {
            reasons.Add("no code or name to identify the feature");
        }

        return geometry is null || code is null ? null : new PreparedRow(feature.Number, code, geometry, values, refId);
    }

    private static Geometry? ReadGeometry(SourceFeature feature, LayerDefinition layer, List<string> reasons)
    {
        if (string.IsNullOrWhiteSpace(feature.Wkt))
        {
            reasons.Add("no geometry");
            return null;
        }

        Geometry geometry;
        try
        {
            geometry = new WKTReader(new NtsGeometryServices(GeometryWkb.Factory.PrecisionModel, Srid.Cgcs2000)).Read(feature.Wkt);
        }
        catch (ParseException e)
        {
            reasons.Add($"unreadable geometry: {e.Message}");
            return null;
        }
        catch (ArgumentException e)
        {
            // NetTopologySuite refuses a ring whose first and last points differ (an unclosed GeoJSON ring) this way.
            reasons.Add($"unreadable geometry: {e.Message}{(e.Message.Contains("closed", StringComparison.Ordinal) ? " (a polygon ring must end where it starts)" : "")}");
            return null;
        }

        if (geometry.IsEmpty)
        {
            reasons.Add("empty geometry");
            return null;
        }

        if (!layer.Accepts(geometry))
        {
            reasons.Add($"wrong geometry type {geometry.GeometryType}: layer {layer.Name} takes {layer.ExpectedGeometry}");
            return null;
        }

        var envelope = geometry.EnvelopeInternal;
        if (!China.Contains(envelope))
        {
            reasons.Add(FormattableString.Invariant(
                $"coordinates outside China (lon {envelope.MinX:0.######}…{envelope.MaxX:0.######}, lat {envelope.MinY:0.######}…{envelope.MaxY:0.######}): wrong CRS, or X and Y swapped?"));
            return null;
        }

        var validation = new IsValidOp(geometry).ValidationError;
        if (validation is not null)
        {
            reasons.Add(FormattableString.Invariant(
                $"invalid geometry: {validation.Message} at lon {validation.Coordinate.X:0.#######}, lat {validation.Coordinate.Y:0.#######}"));
            return null;
        }

        if (!GeoMine.Geo.Crs.ChinaOutline.Covers(geometry))
        {
            var at = geometry.EnvelopeInternal.Centre;
            reasons.Add(FormattableString.Invariant(
                $"lies outside China (its land outline widened by 20 km; around lon {at.X:0.####}, lat {at.Y:0.####}): a foreign dataset, a wrong CRS, or X and Y swapped?"));
            return null;
        }

        var normalised = layer.Normalise(geometry, GeometryWkb.Factory);
        normalised.SRID = Srid.Cgcs2000;
        return normalised;
    }

    private static async Task<(int Inserted, int Updated)> WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, LayerDefinition layer,
        IReadOnlyList<PreparedRow> rows, string[] present, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        const int batchSize = 200;
        // A statement returns whether the row is new: an upsert by xmax, an update of a referenced row false;
        // a statement that writes more than one table (a CTE) says so itself.
        var isUpsert = layer.WriteSql.TrimStart().StartsWith("INSERT", StringComparison.OrdinalIgnoreCase);
        var sql = layer.WriteSql.TrimStart().StartsWith("WITH", StringComparison.OrdinalIgnoreCase) ? layer.WriteSql
            : isUpsert ? layer.WriteSql + " RETURNING (xmax = 0)" : layer.WriteSql + " RETURNING false";
        int inserted = 0, updated = 0;
        for (var start = 0; start < rows.Count; start += batchSize)
        {
            var chunk = rows.Skip(start).Take(batchSize).ToList();
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var row in chunk)
            {
                var command = new NpgsqlBatchCommand(sql);
                command.Parameters.Add(GeometryWkb.Parameter("geom", row.Geometry));
                command.Parameters.Add(new NpgsqlParameter("ref_id", NpgsqlDbType.Bigint) { Value = (object?)row.ReferenceId ?? DBNull.Value });
                command.Parameters.Add(new NpgsqlParameter("present", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = present });
                foreach (var spec in layer.Fields)
                {
                    command.Parameters.Add(new NpgsqlParameter(spec.Name, DbType(spec.Kind))
                    {
                        Value = row.Values.GetValueOrDefault(spec.Name) ?? DBNull.Value,
                    });
                }

                batch.BatchCommands.Add(command);
            }

            try
            {
                await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
                var index = 0;
                do
                {
                    if (!await reader.ReadAsync(cancellationToken))
                    {
                        throw new ImportException(
                            $"feature {chunk[index].Feature}: no {layer.Name} target row for code '{chunk[index].Code}'; nothing imported",
                            [new FeatureProblem(chunk[index].Feature, "no target row")]);
                    }

                    if (reader.GetBoolean(0))
                    {
                        inserted++;
                    }
                    else
                    {
                        updated++;
                    }

                    index++;
                }
                while (await reader.NextResultAsync(cancellationToken));
            }
            catch (PostgresException e)
            {
                var failed = e.BatchCommand is null ? -1 : batch.BatchCommands.IndexOf(e.BatchCommand);
                var feature = failed >= 0 ? chunk[failed].Feature : 0;
                throw new ImportException(
                    $"feature {feature}: the database refused it ({e.MessageText}{(e.Detail is null ? "" : "; " + e.Detail)}); nothing imported",
                    [new FeatureProblem(feature, e.MessageText)]);
            }

            progress?.Report(Math.Min(rows.Count, start + batchSize));
        }

        return (inserted, updated);
    }

    private static NpgsqlDbType DbType(FieldKind kind) => kind switch
    {
        FieldKind.Date => NpgsqlDbType.Date,
        FieldKind.Number => NpgsqlDbType.Double,
        FieldKind.Integer => NpgsqlDbType.Integer,
        _ => NpgsqlDbType.Text,
    };

    private sealed record PreparedRow(int Feature, string Code, Geometry Geometry, Dictionary<string, object?> Values, long? ReferenceId);
}
