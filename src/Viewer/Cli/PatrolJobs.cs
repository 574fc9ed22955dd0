using System.Globalization;
using GeoMine.Patrol.Monitoring;

namespace GeoMine.Viewer.Cli;

/// <summary>The jobs behind <c>geomine jobs run patrol-visits|patrol-overdue|tailings-rules|monitoring-check|alarm-escalation</c>, and their one-line summaries.</summary>
internal static class PatrolJobs
{
    public static async Task<string> RunAsync(CliServices services, string name, DateTime nowUtc, CancellationToken ct)
    {
        if (name == "patrol-visits")
        {
            var visits = await services.PatrolVisits.RunAsync(nowUtc, ct);
            var days = await services.TrackDays.RefreshAsync(TimeSpan.MaxValue, ct);
            return string.Create(CultureInfo.InvariantCulture,
                $"patrol-visits: positions received up to {visits.ToInclusive:u}; {visits.Devices} patrol phones rescanned, {visits.Visits} visits; {days} track days re-measured");
        }

        if (name == "alarm-escalation")
        {
            var steps = await services.AckEscalation.RunAsync(nowUtc, ct);
            return string.Create(CultureInfo.InvariantCulture, $"alarm-escalation at {nowUtc:u}: {steps} unacknowledged alarms escalated one step up");
        }

        if (name == "tailings-rules")
        {
            var rules = await services.Tailings.RunAsync(nowUtc, ct);
            var lines = rules.Findings.Select(f => $"  {f.Code} {f.Finding.Kind} ({f.Finding.Severity}): {f.Finding.Title}");
            return string.Join(Environment.NewLine, lines.Prepend(string.Create(CultureInfo.InvariantCulture,
                $"tailings-rules at {nowUtc:u}: {rules.Ponds} ponds, {rules.Findings.Count} findings; {rules.Raised} alarms raised, {rules.Escalated} escalated, {rules.Ended} episodes ended")));
        }

        if (name == "monitoring-check")
        {
            var check = await services.MonitoringCheck.RunAsync(nowUtc, ct);
            var levels = string.Join(", ", check.Ponds.Select(p => $"{p.PondCode} {p.Level.Code()}"));
            return string.Create(CultureInfo.InvariantCulture,
                $"monitoring-check at {nowUtc:u}: {check.Ponds.Count} ponds ({levels}); {check.SilentPoints.Count} silent points; {check.Raised} alarms raised, {check.Escalated} escalated, {check.Ended} episodes ended");
        }

        var result = await services.PatrolOverdue.RunAsync(nowUtc, ct);
        var counts = string.Join(", ", result.Totals.OrderBy(t => t.Key).Select(t => $"{t.Value} {t.Key}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"patrol-overdue at {nowUtc:u}: {result.TotalShafts} shafts ({counts}), {result.Shafts.Count} re-rated{(result.Full ? " (all)" : "")}; " +
            $"{result.Raised} alarms raised, {result.Escalated} escalated, {result.Ended} episodes ended");
    }
}
