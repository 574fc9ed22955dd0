using GeoMine.Viewer.Storage;
using GeoMine.Viewer.Hosting.Database;
using Microsoft.Extensions.Configuration;
using Spectre.Console;
using System.CommandLine;
using GeoMine.Geo.Crs;
using GeoMine.Geo.Licences;
using GeoMine.Geo.Storage;
using GeoMine.Patrol;

namespace GeoMine.Viewer.Cli;

/// <summary><c>geomine licence parse FILE</c>: licence text → GeoJSON of its licensed blocks.</summary>
internal static class LicenceCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "Licence text (UTF-8 or GBK): corner points 拐点坐标 and 开采标高" };
        var zone = new Option<int?>("--zone") { Description = "Gauss-Kruger zone of 6-digit eastings: 25-45 (3-degree) or 13-23 (6-degree)" };
        var cm = new Option<double?>("--cm") { Description = "Central meridian (degrees east) of 6-digit eastings" };
        var srs = new Option<string?>("--srs") { Description = "Gauss-Kruger system of the corner points: CGCS2000 EPSG:4491-4554, or Xi'an 1980 / Beijing 1954 (with --datum-transform)" };
        var datumTransform = DatumTransformOption();
        var parse = new Command("parse", "Print the licensed area as a GeoJSON FeatureCollection (EPSG:4490 lon/lat), one feature per block")
        {
            file, zone, cm, srs, datumTransform,
        };
        parse.SetAction(async (result, ct) =>
        {
            var area = await ParseAsync(result.GetRequiredValue(file), result.GetValue(zone), result.GetValue(cm), result.GetValue(srs), result.GetValue(datumTransform), ct);
            if (area is null)
            {
                return 2;
            }

            await Console.Out.WriteLineAsync(LicenceGeoJson.Write(area));
            return 0;
        });
        var days = new Option<int?>("--days") { Description = "Window in days (default Licences:ExpiringWithinDays, 90)" };
        var expiring = new Command("expiring", "Mining licences already expired or expiring within the window, soonest first (China dates)") { days };
        expiring.SetAction(async (result, ct) =>
        {
            await using var services = await CliServices.OpenAsync(result, ct);
            var window = result.GetValue(days) ?? CliServices.Configuration().GetSection("Licences").Get<GeoMine.Patrol.Licences.LicenceValidityOptions>()?.ExpiringWithinDays ?? 90;
            if (window is < 0 or > 3650)
            {
                CliOutput.Fail("--days: must be from 0 to 3650");
                return 2;
            }

            var today = GeoMine.Geo.ChinaTime.Day(DateTime.UtcNow);
            var list = await services.LicenceValidity.ListAsync(today, window, null, ct);
            var table = new Spectre.Console.Table().AddColumns("licence", "holder", "mine", "town", "valid from", "valid to", "days left", "status");
            foreach (var l in list)
            {
                table.AddRow(l.LicenceNo, Spectre.Console.Markup.Escape(l.Holder ?? ""), Spectre.Console.Markup.Escape(l.MineName ?? ""),
                    Spectre.Console.Markup.Escape(l.Town ?? ""), $"{l.ValidFrom:yyyy-MM-dd}", $"{l.ValidTo:yyyy-MM-dd}", $"{l.DaysLeft}",
                    l.Status == "expired" ? "[red]expired[/]" : "expiring");
            }

            Spectre.Console.AnsiConsole.Write(table);
            CliOutput.Done($"{list.Count(l => l.Status == "expired")} expired, {list.Count(l => l.Status == "expiring")} expiring within {window} days of {today:yyyy-MM-dd}");
            return 0;
        });
        return new Command("licence", "Mining licence texts (采矿许可证 矿区范围) and their validity") { parse, expiring };
    }

    /// <summary>The <c>--datum-transform NAME</c> option: which configured Xi'an 1980 / Beijing 1954 → CGCS2000 transformation to apply.</summary>
    internal static Option<string?> DatumTransformOption() => new("--datum-transform")
    {
        Description = "For data in Xi'an 1980 or Beijing 1954: the name of the transformation to CGCS2000 configured under Crs:Transformations (7 parameters the province publishes)",
    };

    /// <summary><c>geomine import FILE --layer mining-rights --licence-text [--licence NO]</c>.</summary>
    internal static async Task<int> ImportAsync(FileInfo file, string layer, string? srs, string? datumTransform, string? licenceNo, string? db, CancellationToken ct)
    {
        if (!layer.Equals("mining-rights", StringComparison.OrdinalIgnoreCase))
        {
            CliOutput.Fail($"--licence-text imports into --layer mining-rights, not {layer}");
            return 2;
        }

        var area = await ParseAsync(file, null, null, srs, datumTransform, ct);
        if (area is null)
        {
            return 2;
        }

        try
        {
            var (connection, _) = await DatabaseTarget.Resolve(db).EnsureAsync(ct);
            await MigrationRunner.ApplyAsync(connection, HostModule.AllMigrations, ct);
            var inserted = await new MiningRightWriter(connection).WriteAsync(area, licenceNo, file.FullName, ct);
            CliOutput.Done(FormattableString.Invariant(
                $"mining right {licenceNo ?? area.Particulars.LicenceNo} {(inserted ? "inserted" : "updated")}: {area.Blocks.Count} block(s), {area.AreaSquareKilometres:0.0000} km², {area.UpperMetres} m to {area.LowerMetres} m; read in {area.SourceDescription}"));
            return 0;
        }
        catch (LicenceException e)
        {
            CliOutput.Fail(e.Message);
            return 2;
        }
        catch (InvalidOperationException e)
        {
            CliOutput.Fail(e.Message);
            return 1;
        }
    }

    private static async Task<LicensedArea?> ParseAsync(FileInfo file, int? zone, double? cm, string? srs, string? datumTransform, CancellationToken ct)
    {
        try
        {
            var options = new LicenceParseOptions
            {
                Zone = zone, CentralMeridianDegrees = cm, Srs = srs is null ? null : SpatialReference.Parse(srs),
                Transformations = CliServices.DatumTransformations(), DatumTransform = datumTransform,
            };
            var area = LicenceParser.Parse(await LicenceFile.ReadTextAsync(file.FullName, ct), options);
            foreach (var warning in area.Warnings)
            {
                await Console.Error.WriteLineAsync($"warning: {file.Name}: {warning}");
            }

            return area;
        }
        catch (LicenceException e)
        {
            CliOutput.Fail($"{file.Name}: licence text refused");
            foreach (var problem in e.Problems)
            {
                await Console.Error.WriteLineAsync($"  {problem}");
            }

            return null;
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            CliOutput.Fail(e.Message);
            return null;
        }
    }
}
