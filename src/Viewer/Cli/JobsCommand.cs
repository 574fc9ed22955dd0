using Spectre.Console;
using Microsoft.Extensions.Configuration;
using System.CommandLine;
using System.Globalization;
using GeoMine.Geo;

namespace GeoMine.Viewer.Cli;

/// <summary><c>geomine jobs run NAME [--at ISO-TIME]</c>: runs a scheduled job once, now or at a given "now".</summary>
internal static class JobsCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = string.Join(", ", Scheduling.JobCatalog.All.Select(j => j.Name)) };
        name.AcceptOnlyFromAmong([.. Scheduling.JobCatalog.All.Select(j => j.Name)]);
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
            CliOutput.Done(await Scheduling.JobCatalog.Find(parse.GetRequiredValue(name))!.RunOnceAsync(services, now, ct));
            return 0;
        });
        var list = new Command("list", "Every scheduled job: name, schedule (Quartz cron, China time) and its setting, what it does");
        list.SetAction(_ =>
        {
            var options = CliServices.Configuration().GetSection("Scheduler").Get<Scheduling.SchedulerOptions>() ?? new Scheduling.SchedulerOptions();
            var table = new Table().AddColumns("job", "schedule", "setting", "what it does");
            foreach (var job in Scheduling.JobCatalog.All)
            {
                table.AddRow(job.Name, job.Cron(options), $"Scheduler:{job.ScheduleOption}", Markup.Escape(job.Summary));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return new Command("jobs", "Scheduled jobs") { list, run };
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
