using System.CommandLine;
using Spectre.Console;

namespace GeoMine.Viewer.Cli;

/// <summary><c>geomine positions stats [--days N]</c>: what was stored and what was refused, and why.</summary>
internal static class PositionsCommand
{
    private const string Stored = """
        SELECT p.source, count(*), count(DISTINCT p.device_id), min(p.fix_time), max(p.fix_time)
        FROM position p WHERE p.received_at >= now() - make_interval(days => @days)
        GROUP BY p.source ORDER BY p.source
        """;

    private const string Refused = """
        SELECT reason, sum(count)::bigint, count(DISTINCT device_key) FROM position_rejection
        WHERE day >= current_date - @days GROUP BY reason ORDER BY 2 DESC
        """;

    public static Command Create()
    {
        var days = new Option<int>("--days") { Description = "Period in days, counted back from today (UTC)", DefaultValueFactory = _ => 7 };
        var stats = new Command("stats", "Positions stored per feed, and refused per reason") { days };
        stats.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.OpenAsync(parse, ct);
            var period = parse.GetValue(days);
            var stored = new Table().Title($"stored (received in the last {period} days)").AddColumns("feed", "fixes", "devices", "first fix (UTC)", "last fix (UTC)");
            await using (var command = services.DataSource.CreateCommand(Stored))
            {
                command.Parameters.AddWithValue("days", period);
                await using var r = await command.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    stored.AddRow(r.GetString(0), r.GetInt64(1).ToString(), r.GetInt64(2).ToString(), r.GetDateTime(3).ToString("u"), r.GetDateTime(4).ToString("u"));
                }
            }

            var refused = new Table().Title("refused before storage").AddColumns("reason", "fixes", "devices");
            await using (var command = services.DataSource.CreateCommand(Refused))
            {
                command.Parameters.AddWithValue("days", period);
                await using var r = await command.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    refused.AddRow(r.GetString(0), r.GetInt64(1).ToString(), r.GetInt64(2).ToString());
                }
            }

            AnsiConsole.Write(stored);
            AnsiConsole.Write(refused);
            return 0;
        });
        return new Command("positions", "Position data") { stats };
    }
}
