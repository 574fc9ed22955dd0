using System.CommandLine;
using System.Text.Json;
using GeoMine.Geo;
using GeoMine.Patrol.Alarms;
using Spectre.Console;

namespace GeoMine.Viewer.Cli;

/// <summary><c>geomine alarms list|ack|assign|close|reopen</c>: the alarm loop from the command line.</summary>
internal static class AlarmsCommand
{
    private static readonly Option<string> Actor = new("--as") { Description = "Who does this (recorded in the audit)", Required = true };

    public static Command Create()
    {
        var kind = new Option<string?>("--kind") { Description = "Only this kind: " + string.Join(", ", GeoMine.Patrol.Alarms.AlarmKinds.All.Select(k => k.Code)) };
        kind.AcceptOnlyFromAmong([.. GeoMine.Patrol.Alarms.AlarmKinds.All.Select(k => k.Code)]);
        var state = new Option<string?>("--state") { Description = "raised, acknowledged, verifying, closed" };
        var format = new Option<string>("--format") { DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var list = new Command("list", "List alarms, newest first") { kind, state, format };
        list.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(parse, ct);
            var alarms = await services.Alarms.ListAsync(parse.GetValue(kind), parse.GetValue(state), cancellationToken: ct);
            if (parse.GetValue(format) == "json")
            {
                Console.WriteLine(JsonSerializer.Serialize(alarms, new JsonSerializerOptions(JsonSerializerDefaults.Web)
                {
                    WriteIndented = true,
                    PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
                    Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                }));
                return 0;
            }

            var table = new Table().AddColumns("id", "v", "kind", "severity", "state", "started (China time)", "last seen", "episode", "title");
            foreach (var a in alarms)
            {
                table.AddRow(a.Id.ToString(), a.Version.ToString(), a.Kind, a.Severity, a.State,
                    ChinaTime.Format(a.StartedAt), ChinaTime.Format(a.LastSeenAt), a.EndedAt is null ? "running" : "ended",
                    Markup.Escape(a.Title));
            }

            AnsiConsole.Write(table);
            return 0;
        });

        var kinds = new Command("kinds", "Every alarm kind (the list GET /api/alarms/kinds serves): code, default severity, object, labels, meaning");
        kinds.SetAction(_ =>
        {
            var table = new Table().AddColumns("kind", "severity", "object", "标签", "label", "raised when");
            foreach (var k in GeoMine.Patrol.Alarms.AlarmKinds.All)
            {
                table.AddRow(k.Code, GeoMine.Patrol.Monitoring.WarningLevels.Code(k.DefaultSeverity), k.ObjectKind, Markup.Escape(k.Chinese), Markup.Escape(k.English), Markup.Escape(k.Description));
            }

            AnsiConsole.Write(table);
            return 0;
        });

        return new Command("alarms", "Alarms of every kind and their loop")
        {
            list,
            kinds,
            Step("ack", "接报: acknowledge a raised alarm", [], (s, id, v, who, _) => s.AcknowledgeAsync(id, v, who)),
            Step("assign", "核查: assign on-site verification with a deadline",
                [new Option<string>("--to") { Required = true }, new Option<int>("--days") { DefaultValueFactory = _ => 1 }],
                (s, id, v, who, p) => s.AssignAsync(id, v, who, p.GetValue<string>("--to")!, DateTime.UtcNow.AddDays(p.GetValue<int>("--days")))),
            Step("close", "核查反馈: close with outcome confirmed|false_alarm|handled and feedback",
                [new Option<string>("--outcome") { Required = true }, new Option<string>("--feedback") { Required = true }],
                (s, id, v, who, p) => s.CloseAsync(id, v, who, p.GetValue<string>("--outcome")!, p.GetValue<string>("--feedback")!)),
            Step("reopen", "Reopen a closed alarm, with a reason",
                [new Option<string>("--reason") { Required = true }],
                (s, id, v, who, p) => s.ReopenAsync(id, v, who, p.GetValue<string>("--reason")!)),
        };
    }

    private static Command Step(string name, string description, Option[] extra,
        Func<AlarmStore, long, int, string, ParseResult, Task<Alarm>> step)
    {
        var id = new Argument<long>("ID");
        var version = new Option<int>("--version") { Description = "The version you saw (alarms list): a concurrent change makes this step fail", Required = true };
        var command = new Command(name, description) { id, version, Actor };
        foreach (var option in extra)
        {
            command.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(parse, ct);
            try
            {
                var alarm = await step(services.Alarms, parse.GetValue(id), parse.GetValue(version), parse.GetRequiredValue(Actor), parse);
                CliOutput.Done($"alarm {alarm.Id} is {alarm.State} (version {alarm.Version})");
                return 0;
            }
            catch (Exception e) when (e is AlarmConflictException or KeyNotFoundException or ArgumentException)
            {
                CliOutput.Fail(e.Message);
                return e is AlarmConflictException ? 3 : 2;
            }
        });
        return command;
    }
}
