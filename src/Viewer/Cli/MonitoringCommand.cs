using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GeoMine.Geo;
using GeoMine.Patrol.Monitoring;
using Spectre.Console;

namespace GeoMine.Viewer.Cli;

/// <summary><c>geomine monitoring points add|list</c>, <c>thresholds set|list</c>, <c>import FILE.csv</c>: online monitoring of tailings ponds.</summary>
internal static class MonitoringCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create() => new("monitoring", "Online monitoring of tailings ponds: points, thresholds, readings")
    {
        Points(), Thresholds(), Import(),
    };

    private static Command Points()
    {
        var pond = new Argument<string>("POND") { Description = "Tailings pond code, e.g. YC-TP-01" };
        var code = new Argument<string>("POINT") { Description = "Point code the sender uses, e.g. PH-1" };
        var item = ItemOption();
        var lon = new Option<double?>("--lon") { Description = "Longitude, CGCS2000 degrees" };
        var lat = new Option<double?>("--lat") { Description = "Latitude, CGCS2000 degrees" };
        var add = new Command("add", "Register a point (readings of unregistered points are refused)") { pond, code, item, lon, lat };
        add.SetAction((parse, ct) => RunAsync(parse, ct, async services =>
        {
            var point = await services.Monitoring.AddPointAsync(parse.GetRequiredValue(pond), parse.GetRequiredValue(code),
                parse.GetRequiredValue(item), parse.GetValue(lon), parse.GetValue(lat), ct);
            CliOutput.Done($"point {point.Code} of {point.PondCode} registered: {point.Item} in {point.Unit}");
        }));

        var ofPond = new Option<string?>("--pond") { Description = "Only this pond" };
        var format = FormatOption();
        var list = new Command("list", "Points with their newest reading (China time, canonical unit) and level") { ofPond, format };
        list.SetAction((parse, ct) => RunAsync(parse, ct, async services =>
        {
            var points = await services.Monitoring.ListPointsAsync(parse.GetValue(ofPond), ct);
            if (parse.GetValue(format) == "json")
            {
                Console.WriteLine(JsonSerializer.Serialize(points, Json));
                return;
            }

            var table = new Table().AddColumns("pond", "point", "item", "unit", "last reading", "value", "level");
            foreach (var p in points)
            {
                table.AddRow(p.PondCode, Markup.Escape(p.Code), p.Item, Markup.Escape(p.Unit),
                    p.LastMeasuredAt is { } at ? ChinaTime.Format(at) : "never", p.LastValue?.ToString(CultureInfo.InvariantCulture) ?? "",
                    p.Level ?? "not rated");
            }

            AnsiConsole.Write(table);
        }));

        return new Command("points", "Monitoring points (监测点)") { add, list };
    }

    private static Command Thresholds()
    {
        var pond = new Argument<string>("POND") { Description = "Tailings pond code" };
        var item = new Argument<string>("ITEM") { Description = string.Join(", ", MonitoringItem.Codes) };
        item.AcceptOnlyFromAmong([.. MonitoringItem.Codes]);
        var levels = new[] { "blue", "yellow", "orange", "red" }
            .Select(l => new Option<double?>($"--{l}") { Description = $"{l} warning value, in the item's canonical unit" }).ToArray();
        var direction = new Option<string?>("--direction") { Description = "above or below (default: the item's)" };
        direction.AcceptOnlyFromAmong("above", "below");
        var set = new Command("set", "Set an item's warning values at a pond (m, mm, L/s or kPa as the item) and re-rate the pond")
        {
            pond, item, levels[0], levels[1], levels[2], levels[3], direction,
        };
        set.SetAction((parse, ct) => RunAsync(parse, ct, async services =>
        {
            var known = MonitoringItem.Get(parse.GetRequiredValue(item));
            var dir = parse.GetValue(direction) switch { "above" => ThresholdDirection.Above, "below" => ThresholdDirection.Below, _ => known.Direction };
            var level = await services.Monitoring.SetThresholdsAsync(parse.GetRequiredValue(pond), known.Code, new MonitoringThresholds(
                parse.GetValue(levels[0]), parse.GetValue(levels[1]), parse.GetValue(levels[2]), parse.GetValue(levels[3]), dir), ct);
            CliOutput.Done($"thresholds of {known.Code} at {level.PondCode} set ({known.CanonicalUnit}, {dir.ToString().ToLowerInvariant()}); pond now {level.Level.Code()}, alarm {level.Alarm.ToString().ToLowerInvariant()}");
        }));

        var ofPond = new Option<string?>("--pond") { Description = "Only this pond" };
        var format = FormatOption();
        var list = new Command("list", "Warning values by pond and item") { ofPond, format };
        list.SetAction((parse, ct) => RunAsync(parse, ct, async services =>
        {
            var thresholds = await services.Monitoring.ListThresholdsAsync(parse.GetValue(ofPond), ct);
            if (parse.GetValue(format) == "json")
            {
                Console.WriteLine(JsonSerializer.Serialize(thresholds, Json));
                return;
            }

            string Value(double? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";
            var table = new Table().AddColumns("pond", "item", "unit", "direction", "blue", "yellow", "orange", "red", "updated (China time)");
            foreach (var t in thresholds)
            {
                table.AddRow(t.PondCode, t.Item, Markup.Escape(t.Unit), t.Thresholds.Direction.ToString().ToLowerInvariant(), Value(t.Thresholds.Blue),
                    Value(t.Thresholds.Yellow), Value(t.Thresholds.Orange), Value(t.Thresholds.Red), ChinaTime.Format(t.UpdatedAt));
            }

            AnsiConsole.Write(table);
        }));

        return new Command("thresholds", "Warning values (预警值) per pond and item") { set, list };
    }

    private static Command Import()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "CSV with header pond,point,item,measured_at,value,unit (UTF-8, or GBK as Excel saves it on Chinese Windows: detected)" };
        var import = new Command("import", "Import readings from CSV, all or nothing; the ponds are re-rated") { file };
        import.SetAction((parse, ct) => RunAsync(parse, ct, async services =>
        {
            var path = parse.GetRequiredValue(file);
            if (!path.Exists)
            {
                throw new MonitoringInputException($"{path.FullName}: no such file");
            }

            IReadOnlyList<ReadingInput> readings;
            var (text, encoding) = await GeoMine.Geo.Import.TextFile.ReadAsync(path.FullName, ct);
            if (encoding != "UTF-8")
            {
                Spectre.Console.AnsiConsole.MarkupLine($"[yellow]note:[/] {Spectre.Console.Markup.Escape($"{path.Name}: not UTF-8, read as {encoding} (GBK, as Excel on Chinese Windows saves CSV)")}");
            }

            using (var reader = new StringReader(text))
            {
                readings = ReadingCsv.Read(reader);
            }

            var result = await services.MonitoringReadings.StoreAsync(readings, ct);
            CliOutput.Done($"{result.Stored} readings stored, {result.AlreadyStored} already stored; " +
                string.Join(", ", result.Ponds.Select(p => $"{p.PondCode} {p.Level.Code()} (alarm {p.Alarm.ToString().ToLowerInvariant()})")));
        }));
        return import;
    }

    /// <summary>Runs <paramref name="action"/> on the services; refused input is printed one problem a line, exit code 2.</summary>
    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct, Func<CliServices, Task> action)
    {
        try
        {
            await using var services = await CliServices.OpenAsync(parse, ct);
            await action(services);
            return 0;
        }
        catch (MonitoringInputException e)
        {
            foreach (var problem in e.Problems)
            {
                CliOutput.Fail(problem);
            }

            CliOutput.Fail("nothing stored");
            return 2;
        }
    }

    private static Option<string> ItemOption()
    {
        var item = new Option<string>("--item") { Description = string.Join(", ", MonitoringItem.Codes), Required = true };
        item.AcceptOnlyFromAmong([.. MonitoringItem.Codes]);
        return item;
    }

    private static Option<string> FormatOption()
    {
        var format = new Option<string>("--format") { DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        return format;
    }
}
