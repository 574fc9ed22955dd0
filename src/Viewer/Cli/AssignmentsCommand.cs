using System.CommandLine;
using GeoMine.Geo;
using GeoMine.Patrol.Responsibility;
using Spectre.Console;

namespace GeoMine.Viewer.Cli;

/// <summary><c>geomine assignments assign|handover|list</c>: who answers for a sealed shaft, closed mine or tailings pond (包保 / 一对一).</summary>
internal static class AssignmentsCommand
{
    public static Command Create()
    {
        var code = new Argument<string>("CODE") { Description = "Shaft code (e.g. YC-CM-001-J1), or mine code with --mine" };
        var mine = new Option<bool>("--mine") { Description = "CODE is a closed mine, not a sealed shaft" };
        var pond = new Option<bool>("--pond") { Description = "CODE is a tailings pond (roles government_leader, regulator, enterprise_principal)" };
        var jurisdiction = new Option<bool>("--jurisdiction") { Description = "CODE is a town or county code (its lead_leader receives unacknowledged alarms)" };
        var role = new Option<string>("--role") { Description = string.Join(", ", ResponsibilityRole.All), Required = true };
        role.AcceptOnlyFromAmong(ResponsibilityRole.All);
        var name = new Option<string>("--name") { Description = "Person's name", Required = true };
        var phone = new Option<string?>("--phone") { Description = "Mobile phone" };
        var from = new Option<string?>("--from") { Description = "Start (ISO-8601; no offset = China time); default now" };
        var at = new Option<string?>("--at") { Description = "Handover instant (ISO-8601; no offset = China time); default now" };

        var assign = new Command("assign", "Make a person holder of a role from a time on") { code, mine, pond, jurisdiction, role, name, phone, from };
        assign.SetAction((parse, ct) => Run(parse, ct, async (services, target) =>
        {
            var a = await services.Responsibility.AssignAsync(target, parse.GetRequiredValue(role),
                new ContactPerson(parse.GetRequiredValue(name), parse.GetValue(phone)), JobsCommand.ParseAt(parse.GetValue(from)), null, ct);
            CliOutput.Done($"{a.Person.Name} holds {a.Role} of {target.Code} from {ChinaTime.Format(a.ValidFrom)}");
        }));

        var handover = new Command("handover", "Hand a role over at one instant: the old holder ends and the new one starts then") { code, mine, pond, jurisdiction, role, name, phone, at };
        handover.SetAction((parse, ct) => Run(parse, ct, async (services, target) =>
        {
            var (ended, started) = await services.Responsibility.HandoverAsync(target, parse.GetRequiredValue(role),
                new ContactPerson(parse.GetRequiredValue(name), parse.GetValue(phone)), JobsCommand.ParseAt(parse.GetValue(at)), null, ct);
            CliOutput.Done($"{started.Role} of {target.Code}: {ended.Person.Name} → {started.Person.Name} at {ChinaTime.Format(started.ValidFrom)}");
        }));

        var history = new Option<bool>("--history") { Description = "Every period, not only the current holders" };
        var list = new Command("list", "Current holders (or the history) of a shaft or mine") { code, mine, pond, jurisdiction, history };
        list.SetAction((parse, ct) => Run(parse, ct, async (services, target) =>
        {
            var rows = parse.GetValue(history)
                ? await services.Responsibility.HistoryAsync(target, null, ct)
                : await services.Responsibility.CurrentAsync(target, DateTime.UtcNow, null, ct);
            var table = new Table().AddColumns("role", "name", "phone", "from", "to");
            foreach (var a in rows)
            {
                table.AddRow(a.Role, Markup.Escape(a.Person.Name), Markup.Escape(a.Person.Phone ?? ""), ChinaTime.Format(a.ValidFrom),
                    a.ValidTo is { } to ? ChinaTime.Format(to) : "");
            }

            AnsiConsole.Write(table);
        }));

        return new Command("assignments", "Responsibility for sealed shafts, closed mines and tailings ponds (包保 / 一对一)") { assign, handover, list };

        async Task<int> Run(ParseResult parse, CancellationToken ct, Func<CliServices, ResponsibleObject, Task> action)
        {
            await using var services = await CliServices.OpenAsync(parse, ct);
            var target = parse.GetValue(jurisdiction) ? ResponsibleObject.Jurisdiction(parse.GetRequiredValue(code))
                : parse.GetValue(pond) ? ResponsibleObject.Pond(parse.GetRequiredValue(code))
                : parse.GetValue(mine) ? ResponsibleObject.Mine(parse.GetRequiredValue(code))
                : ResponsibleObject.Shaft(parse.GetRequiredValue(code));
            try
            {
                await action(services, target);
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or ResponsibilityConflictException)
            {
                CliOutput.Fail(e.Message);
                return 2;
            }
        }
    }
}
