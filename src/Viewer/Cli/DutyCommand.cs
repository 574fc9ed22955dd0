using System.CommandLine;
using GeoMine.Geo;
using GeoMine.Geo.Storage;
using GeoMine.Patrol.Notifications;
using GeoMine.Viewer.Hosting.Database;
using Spectre.Console;

namespace GeoMine.Viewer.Cli;

/// <summary><c>geomine duty add|list</c>: the duty roster (值班表) that alarm notifications with the recipient role
/// <c>duty_officer</c> read.</summary>
internal static class DutyCommand
{
    public static Command Create()
    {
        var town = new Option<string>("--town") { Description = "Town or county (jurisdiction code or name)", Required = true };
        var name = new Option<string>("--name") { Description = "The officer's name", Required = true };
        var phone = new Option<string?>("--phone") { Description = "Mobile phone (what SMS notifications are sent to)" };
        var from = new Option<string>("--from") { Description = "Shift start (ISO-8601; no offset = China time)", Required = true };
        var to = new Option<string>("--to") { Description = "Shift end (ISO-8601; no offset = China time)", Required = true };
        var add = new Command("add", "Put an officer on duty for a town or the county from one instant to another") { town, name, phone, from, to };
        add.SetAction((parse, ct) => RunAsync(parse, ct, async roster =>
        {
            var (start, end) = (JobsCommand.ParseAt(parse.GetRequiredValue(from)), JobsCommand.ParseAt(parse.GetRequiredValue(to)));
            await roster.AddAsync(parse.GetRequiredValue(town), parse.GetRequiredValue(name), parse.GetValue(phone), start, end, ct);
            CliOutput.Done($"{parse.GetRequiredValue(name)} on duty for {parse.GetRequiredValue(town)} {ChinaTime.Format(start)} – {ChinaTime.Format(end)}");
        }));

        var days = new Option<int>("--days") { Description = "Days from today (China date) to list", DefaultValueFactory = _ => 7 };
        var list = new Command("list", "The shifts from today on") { days };
        list.SetAction((parse, ct) => RunAsync(parse, ct, async roster =>
        {
            var today = ChinaTime.StartOf(ChinaTime.Day(DateTime.UtcNow));
            var table = new Table().AddColumns("town", "name", "phone", "from", "to");
            foreach (var s in await roster.ListAsync(today, today.AddDays(parse.GetValue(days)), ct))
            {
                table.AddRow(Markup.Escape($"{s.JurisdictionName} ({s.JurisdictionCode})"), Markup.Escape(s.Name), Markup.Escape(s.Phone ?? ""),
                    ChinaTime.Format(s.StartsAtUtc), ChinaTime.Format(s.EndsAtUtc));
            }

            AnsiConsole.Write(table);
        }));

        return new Command("duty", "The duty roster (值班表): who is on duty for a town or the county, for alarm notifications") { add, list };
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct, Func<DutyRoster, Task> action)
    {
        try
        {
            var (connection, _) = await DatabaseTarget.Resolve(parse.GetValue(GeoMineCli.Db)).EnsureAsync(ct);
            await action(new DutyRoster(GeoDataSource.For(connection)));
            return 0;
        }
        catch (Exception e) when (e is DutyRosterException or FormatException)
        {
            CliOutput.Fail(e.Message);
            return 1;
        }
    }
}
