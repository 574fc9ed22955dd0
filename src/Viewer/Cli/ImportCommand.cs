using GeoMine.Viewer.Storage;
using GeoMine.Viewer.Hosting.Database;
using System.CommandLine;
using GeoMine.Geo.Import;
using GeoMine.Geo.Storage;
using GeoMine.Patrol;
using GeoMine.Patrol.Positions;
using Spectre.Console;

namespace GeoMine.Viewer.Cli;

/// <summary><c>geomine import FILE --layer L</c>: reference layers from any file GDAL reads.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "Shapefile, GeoJSON, KML/KMZ, GeoPackage, CSV…" };
        var layer = new Option<string>("--layer")
        {
            Description = "Target layer: " + string.Join(", ", LayerCatalog.All.Select(l => l.Name)) + "; positions or tracks (GPX/CSV fixes)",
            Required = true,
        };
        layer.AcceptOnlyFromAmong([.. LayerCatalog.All.Select(l => l.Name), "positions", "tracks"]);
        var device = new Option<string?>("--device") { Description = "Device id for positions/tracks files that carry none (GPX)" };
        var srs = new Option<string?>("--srs") { Description = "Source CRS, e.g. EPSG:4523 (overrides .prj)" };
        var encoding = new Option<string?>("--encoding") { Description = "Attribute encoding when no .cpg: GBK, UTF-8… (default: detected)" };
        var map = new Option<string[]>("--map")
        {
            Description = "Field mapping target=SOURCE_FIELD (repeatable), e.g. --map name=KSMC",
            AllowMultipleArgumentsPerToken = true,
        };
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Import the valid features, list the rejected ones" };
        var licenceText = new Option<bool>("--licence-text") { Description = "FILE is a licence text (拐点坐标 + 开采标高), for --layer mining-rights" };
        var licence = new Option<string?>("--licence") { Description = "Licence number when the licence text states none" };
        var datumTransform = LicenceCommand.DatumTransformOption();

        var command = new Command("import", "Import a layer (all-or-nothing unless --skip-invalid)")
        {
            file, layer, srs, encoding, map, skipInvalid, device, licenceText, licence, datumTransform,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(licenceText))
            {
                return await LicenceCommand.ImportAsync(parse.GetRequiredValue(file), parse.GetRequiredValue(layer),
                    parse.GetValue(srs), parse.GetValue(datumTransform), parse.GetValue(licence), parse.GetValue(GeoMineCli.Db), ct);
            }

            var fieldMap = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in parse.GetValue(map) ?? [])
            {
                var eq = pair.IndexOf('=');
                if (eq <= 0 || eq == pair.Length - 1)
                {
                    CliOutput.Fail($"--map {pair}: expected target=SOURCE_FIELD");
                    return 2;
                }

                fieldMap[pair[..eq]] = pair[(eq + 1)..];
            }

            if (parse.GetRequiredValue(layer) is "positions" or "tracks")
            {
                return await ImportPositionsAsync(parse, parse.GetRequiredValue(file).FullName, parse.GetValue(device), parse.GetValue(skipInvalid), ct);
            }

            var definition = LayerCatalog.Get(parse.GetRequiredValue(layer));
            try
            {
                var (connection, _) = await DatabaseTarget.Resolve(parse.GetValue(GeoMineCli.Db)).EnsureAsync(ct);
                await MigrationRunner.ApplyAsync(connection, HostModule.AllMigrations, ct);
                var source = await OgrSource.ReadAsync(parse.GetRequiredValue(file).FullName, parse.GetValue(srs), parse.GetValue(encoding),
                    datumShift: (CliServices.DatumTransformations(), parse.GetValue(datumTransform)), cancellationToken: ct);
                var result = await RunWithProgressAsync(source, definition,
                    new ImportOptions(fieldMap, parse.GetValue(skipInvalid)), connection, ct);
                PrintSummary(result);
                return result.Rejected.Count > 0 ? 1 : 0;
            }
            catch (ImportException e)
            {
                CliOutput.Fail(e.Message);
                foreach (var problem in e.Problems.Take(100))
                {
                    CliOutput.Error.WriteLine($"  {problem}");
                }

                if (e.Problems.Count > 100)
                {
                    CliOutput.Error.WriteLine($"  … and {e.Problems.Count - 100} more");
                }

                return 2;
            }
            catch (InvalidOperationException e)
            {
                CliOutput.Fail(e.Message);
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> ImportPositionsAsync(ParseResult parse, string path, string? device, bool skipInvalid, CancellationToken ct)
    {
        try
        {
            await using var services = await CliServices.OpenAsync(parse, ct);
            var notes = new List<string>();
            var skipped = skipInvalid ? new List<string>() : null;
            var fixes = await TrackFile.ReadAsync(path, device, ct, notes, skipped);
            foreach (var note in notes)
            {
                AnsiConsole.MarkupLine($"[yellow]note:[/] {Markup.Escape(note)}");
            }

            foreach (var skip in skipped ?? [])
            {
                AnsiConsole.MarkupLine($"[yellow]skipped:[/] {Markup.Escape(skip)}");
            }

            const int batchSize = 5000;
            var results = new List<IngestResult>();
            await AnsiConsole.Progress().StartAsync(async context =>
            {
                var task = context.AddTask($"positions ← {Path.GetFileName(path)}", maxValue: Math.Max(1, fixes.Count));
                foreach (var chunk in fixes.Chunk(batchSize))
                {
                    results.Add(await services.Ingestor.IngestAsync(chunk, cancellationToken: ct));
                    task.Increment(chunk.Length);
                }
            });
            var table = new Table().AddColumns("file", "fixes", "stored", "refused", "skipped (unreadable)");
            var refused = results.SelectMany(r => r.Rejected).GroupBy(r => r.Key)
                .Select(g => $"{PositionIngestor.ReasonCode(g.Key)} {g.Sum(x => x.Value)}");
            table.AddRow(Markup.Escape(Path.GetFileName(path)), fixes.Count.ToString(), results.Sum(r => r.Stored).ToString(),
                Markup.Escape(string.Join(", ", refused)), (skipped?.Count ?? 0).ToString());
            AnsiConsole.Write(table);
            return skipped is { Count: > 0 } ? 1 : 0;
        }
        catch (ImportException e)
        {
            CliOutput.Fail(e.Message);
            return 2;
        }
    }

    /// <summary>Imports with a progress bar when the file is large enough to wait for.</summary>
    internal static async Task<ImportResult> RunWithProgressAsync(
        SourceDataset source, LayerDefinition layer, ImportOptions options, string connection, CancellationToken ct)
    {
        var importer = new LayerImporter(connection);
        if (source.Features.Count < 500 || Console.IsOutputRedirected)
        {
            return await importer.ImportAsync(source, layer, options, null, ct);
        }

        ImportResult? result = null;
        await AnsiConsole.Progress().StartAsync(async context =>
        {
            var task = context.AddTask($"{layer.Name} ← {Path.GetFileName(source.Path)}", maxValue: source.Features.Count);
            result = await importer.ImportAsync(source, layer, options, new Progress<int>(n => task.Value = n), ct);
            task.Value = source.Features.Count;
        });
        return result!;
    }

    internal static void PrintSummary(ImportResult result)
    {
        var table = new Table().AddColumns("layer", "file", "CRS", "encoding", "read", "inserted", "updated", "rejected");
        table.AddRow(
            Markup.Escape(result.Layer), Markup.Escape(Path.GetFileName(result.Source)), Markup.Escape(result.SourceCrs),
            Markup.Escape(result.Encoding ?? "-"), result.Read.ToString(), result.Inserted.ToString(), result.Updated.ToString(),
            result.Rejected.Select(r => r.Feature).Distinct().Count().ToString());
        AnsiConsole.Write(table);
        foreach (var problem in result.Rejected)
        {
            CliOutput.Error.WriteLine($"  rejected {problem}");
        }

        foreach (var warning in result.Warnings)
        {
            CliOutput.Error.WriteLine($"  GDAL {warning}");
        }
    }
}
