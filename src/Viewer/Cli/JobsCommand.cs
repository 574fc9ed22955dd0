using System.CommandLine;
using System.Globalization;
using GeoMine.Geo;

namespace GeoMine.Viewer.Cli;

/// <summary><c>geomine jobs run NAME [--at ISO-TIME]</c>: runs a scheduled job once, now or at a given "now".</summary>
internal static class JobsCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "boundary-check, patrol-visits, patrol-overdue, tailings-rules, monitoring-check or alarm-escalation" };
        name.AcceptOnlyFromAmong("boundary-check", "patrol-visits", "patrol-overdue", "tailings-rules", "monitoring-check", "alarm-escalation");
        var at = new Option<string?>("--at") { Description = "Evaluate as of this time (ISO-8601; no offset = China time, UTC+8)" };
        var run = new Command("run", "Run a job once") { name, at };
        run.SetAction(async (parse, ct) =>
        {
            DateTime now;
            try
            {
                now = ParseAt(parse.GetValue(at));
            }
            catch (FormatException e)
            {
                CliOutput.Fail(e.Message);
                return 2;
            }

            await using var services = await CliServices.OpenAsync(parse, ct);
            if (parse.GetValue(name) != "boundary-check")
            {
                CliOutput.Done(await PatrolJobs.RunAsync(services, parse.GetRequiredValue(name), now, ct));
                return 0;
            }

            var result = await services.BoundaryCheck.RunAsync(now, ct);
            CliOutput.Done(string.Create(CultureInfo.InvariantCulture,
                $"boundary-check: {result.Positions} positions received up to {result.ToInclusive:u}; {result.Raised} alarms raised, {result.Ended} episodes ended"));
            return 0;
        });
        return new Command("jobs", "Scheduled jobs") { run };
    }

    /// <summary>ISO-8601; a time without offset is read as China time, the time officials think in.</summary>
    internal static DateTime ParseAt(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return DateTime.UtcNow;
        }

        return ChinaTime.TryParseIso(text.Trim(), out var utc) ? utc : throw new FormatException($"--at '{text}' is not {ChinaTime.IsoForm}");
    }
}
