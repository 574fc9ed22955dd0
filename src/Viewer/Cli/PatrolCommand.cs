using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GeoMine.Geo;
using GeoMine.Patrol.Coverage;
using GeoMine.Viewer.Coverage;
using Spectre.Console;

namespace GeoMine.Viewer.Cli;

/// <summary><c>geomine patrol coverage --from T --to T [--town X] [--person N] [--mine CODE] [--area exact] [--format table|json]</c>: patrol coverage of a period.</summary>
internal static class PatrolCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "Period start (ISO-8601; no offset = China time)", Required = true };
        var to = new Option<string>("--to") { Description = "Period end, exclusive (ISO-8601; no offset = China time)", Required = true };
        var town = new Option<string?>("--town") { Description = "Only this town (name or code)" };
        var person = new Option<string?>("--person") { Description = "Only this person (name): the shafts they answer for, their phones" };
        var mine = new Option<string?>("--mine") { Description = "Only this closed mine (code)" };
        var format = new Option<string>("--format") { Description = "table or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var area = new Option<string?>("--area") { Description = "exact: also the area of the union of the buffered tracks (a polygon union: seconds for a town-month)" };
        area.AcceptOnlyFromAmong("exact");
        var coverage = new Command("coverage", "Per shaft last visit, next due, status; % visited within interval; km, hours, km² and cells patrolled")
        {
            from, to, town, person, mine, area, format,
        };
        coverage.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(parse, ct);
            PatrolCoverage result;
            try
            {
                result = await services.PatrolCoverage.ComputeAsync(
                    CoverageApi.Instant("--from", parse.GetValue(from)), CoverageApi.Instant("--to", parse.GetValue(to)),
                    new CoverageScope(parse.GetValue(town), parse.GetValue(person), parse.GetValue(mine)),
                    parse.GetValue(area) == "exact" ? CoverageDetail.ExactArea : CoverageDetail.None, ct);
            }
            catch (CoverageInputException e)
            {
                CliOutput.Fail(e.Message);
                return 2;
            }

            if (parse.GetValue(format) == "json")
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(CoverageJson.Tables(result), new JsonSerializerOptions
                {
                    PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
                    WriteIndented = true,
                    Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                }));
                return 0;
            }

            var table = new Table().AddColumns("shaft", "mine", "town", "responsible", "status", "last visit", "next due", "visits", "within interval");
            foreach (var x in result.Shafts)
            {
                table.AddRow(x.Code, x.Mine, Markup.Escape(x.Town ?? ""), Markup.Escape(x.Responsible ?? ""), CoverageJson.Status(x.Rating.Status),
                    x.LastVisitAt is { } v ? ChinaTime.Format(v) : "", x.Rating.DueAt is { } d ? ChinaTime.Format(d) : "",
                    x.VisitsInPeriod.ToString(CultureInfo.InvariantCulture), x.VisitedWithinInterval ? "yes" : "[red]no[/]");
            }

            AnsiConsole.Write(table);
            var s = result.Summary;
            CliOutput.Done(string.Create(CultureInfo.InvariantCulture,
                $"{s.Shafts} shafts, {s.VisitedWithinInterval} visited within their interval{(s.VisitedWithinIntervalPercent is { } pct ? $" ({pct:0.#} %)" : "")}; {s.Devices} patrol phones, {s.Segments} segments: {s.Kilometres:0.###} km, {s.Hours:0.##} h, {(s.BufferedAreaKm2 is { } km2 ? $"{km2:0.####} km² within {s.BufferMetres:0.#} m, " : "")}{s.Cells} cells of {s.CellMetres:0.#} m ({s.CellsKm2:0.####} km²){(s.PlaneEpsg is { } epsg ? $", EPSG:{epsg} plane" : "")}"));
            return 0;
        });
        return new Command("patrol", "Patrol obligations") { coverage };
    }
}
