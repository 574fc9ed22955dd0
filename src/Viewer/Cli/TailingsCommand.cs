using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GeoMine.Geo;
using GeoMine.Patrol.Tailings;
using GeoMine.Viewer.Tailings;
using Spectre.Console;

namespace GeoMine.Viewer.Cli;

/// <summary><c>geomine tailings review [--town X] [--format table|json] [--at ISO]</c>: the tailings dam watch reviewer's list.</summary>
internal static class TailingsCommand
{
    private static readonly Dictionary<string, string> RoleLabels = new(StringComparer.Ordinal)
    {
        ["government_leader"] = "包保",
        ["regulator"] = "监管",
        ["enterprise_principal"] = "企业",
    };

    public static Command Create()
    {
        var town = new Option<string?>("--town") { Description = "Only ponds of this town (name or code)" };
        var format = new Option<string>("--format") { Description = "table or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var at = new Option<string?>("--at") { Description = "As of this time (ISO-8601; no offset = China time); default now" };
        var review = new Command("review", "头顶库, class, status, responsible persons, due inspections and open alarms of every pond") { town, format, at };
        review.SetAction(async (parse, ct) =>
        {
            DateTime now;
            try
            {
                now = JobsCommand.ParseAt(parse.GetValue(at));
            }
            catch (FormatException e)
            {
                CliOutput.Fail(e.Message);
                return 2;
            }

            await using var services = await CliServices.OpenAsync(parse, ct);
            var ponds = await services.Tailings.ReviewAsync(now, parse.GetValue(town), null, ct);
            if (ponds.Count == 0 && parse.GetValue(town) is { } name)
            {
                CliOutput.Fail($"no tailings pond in town '{name}'");
                return 2;
            }

            if (parse.GetValue(format) == "json")
            {
                var json = new PondReview(ChinaTime.Iso(now), parse.GetValue(town), [.. ponds.Select(TailingsJson.Pond)]);
                Console.Out.WriteLine(JsonSerializer.Serialize(json, new JsonSerializerOptions
                {
                    PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
                    WriteIndented = true,
                    Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                }));
                return 0;
            }

            var table = new Table().AddColumns("头顶库", "pond", "town", "class", "status", "responsible persons", "findings", "open alarms");
            foreach (var p in ponds)
            {
                var f = p.Facts;
                var head = f.Head.Status switch
                {
                    "yes" => "[red]yes[/]\n" + Markup.Escape(string.Join("\n", f.Head.Facilities.Select(d =>
                        string.Create(CultureInfo.InvariantCulture, $"{d.Name} {d.AlongM:0} m along, {d.OffM:0} m off")))),
                    "unknown" => "[yellow]unknown[/] (no flow path)",
                    _ => "no",
                };
                var status = f.Status + (f.DisusedSince is { } d0 ? $" since {TailingsJson.Day(d0)}" : "");
                var persons = string.Join("\n", PersonLines(p));
                var findings = string.Join("\n", p.Findings.Select(x => $"{x.Severity} {x.Kind.Replace("tailings_", "", StringComparison.Ordinal)}"));
                var open = string.Join("\n", p.OpenAlarms.Select(a => $"#{a.Id} {a.Kind} {a.Severity} {a.State}"));
                table.AddRow(head, Markup.Escape($"{f.Code} {f.Name}"), Markup.Escape(f.Town ?? ""),
                    Markup.Escape(p.Class.Label + (p.Class.Override is null ? "" : " (override)")), Markup.Escape(status),
                    Markup.Escape(persons), Markup.Escape(findings), Markup.Escape(open));
            }

            AnsiConsole.Write(table);
            CliOutput.Done(string.Create(CultureInfo.InvariantCulture,
                $"{ponds.Count} ponds as of {ChinaTime.Iso(now)}: {ponds.Count(p => p.Facts.Head.IsHead)} 头顶库, {ponds.Count(p => p.Facts.Head.Status == "unknown")} without flow path, {ponds.Sum(p => p.Findings.Count)} findings, {ponds.Sum(p => p.OpenAlarms.Count)} open alarms"));
            return 0;
        });
        return new Command("tailings", "Tailings ponds under watch (尾矿库 / 头顶库)") { review };
    }

    /// <summary>One line per role of the three responsible persons: the holder, "—" where no enterprise exists, else MISSING.</summary>
    private static IEnumerable<string> PersonLines(PondRecord p) =>
        TailingsWatchService.PondRoles.Select(role =>
            p.Persons.FirstOrDefault(x => x.Role == role) is { } person
                ? $"{RoleLabels[role]} {person.Name} {person.Phone}".TrimEnd()
                : role == "enterprise_principal" && p.Facts.Status == "no_operator" ? $"{RoleLabels[role]} —" : $"{RoleLabels[role]} MISSING");
}
