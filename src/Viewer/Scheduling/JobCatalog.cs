using System.Globalization;
using GeoMine.Patrol.Jobs;
using GeoMine.Patrol.Monitoring;
using GeoMine.Viewer.Cli;

namespace GeoMine.Viewer.Scheduling;

/// <summary>One scheduled job: its name (trigger, job key, <c>geomine jobs run NAME</c>), Quartz job type, the
/// <see cref="SchedulerOptions"/> property holding its cron, what it does, and how the command line runs it once.</summary>
internal sealed record JobDefinition(
    string Name, Type JobType, string ScheduleOption, Func<SchedulerOptions, string> Cron, string Summary,
    Func<CliServices, DateTime, CancellationToken, Task<string>> RunOnceAsync);

/// <summary>Every scheduled job, in one place: the scheduler registers these, <c>geomine jobs list|run</c> reads them.
/// Adding a job: a line here, a cron in <see cref="SchedulerOptions"/>, the job class.</summary>
internal static class JobCatalog
{
    public static IReadOnlyList<JobDefinition> All { get; } =
    [
        new(BoundaryCheckJob.Name, typeof(BoundaryCheckJob), nameof(SchedulerOptions.BoundaryCheckCron), o => o.BoundaryCheckCron,
            "越界/超层/无证/死灰复燃: positions received since the last run against the geofences", async (s, now, ct) =>
            {
                var result = await s.BoundaryCheck.RunAsync(now, ct);
                return Invariant($"boundary-check: {result.Positions} positions received up to {result.ToInclusive:u}; {result.Raised} alarms raised, {result.Ended} episodes ended");
            }),
        new(PatrolVisitJob.Name, typeof(PatrolVisitJob), nameof(SchedulerOptions.PatrolVisitsCron), o => o.PatrolVisitsCron,
            "patrol visits in new patrol-phone positions, then the track days coverage reads", async (s, now, ct) =>
            {
                var visits = await s.PatrolVisits.RunAsync(now, ct);
                var days = await s.TrackDays.RefreshAsync(TimeSpan.MaxValue, ct);
                return Invariant($"patrol-visits: positions received up to {visits.ToInclusive:u}; {visits.Devices} patrol phones rescanned, {visits.Visits} visits; {days} track days re-measured");
            }),
        new(PatrolOverdueJob.Name, typeof(PatrolOverdueJob), nameof(SchedulerOptions.PatrolOverdueCron), o => o.PatrolOverdueCron,
            "overdue patrols and shafts without a responsible person", async (s, now, ct) =>
            {
                var result = await s.PatrolOverdue.RunAsync(now, ct);
                var counts = string.Join(", ", result.Totals.OrderBy(t => t.Key).Select(t => $"{t.Value} {t.Key}"));
                return Invariant($"patrol-overdue at {now:u}: {result.TotalShafts} shafts ({counts}), {result.Shafts.Count} re-rated{(result.Full ? " (all)" : "")}; ") +
                       Invariant($"{result.Raised} alarms raised, {result.Escalated} escalated, {result.Ended} episodes ended");
            }),
        new(TailingsRulesJob.Name, typeof(TailingsRulesJob), nameof(SchedulerOptions.TailingsRulesCron), o => o.TailingsRulesCron,
            "tailings watch rules: flood-season inspections, closure, reactivation, dam raises, spot checks", async (s, now, ct) =>
            {
                var rules = await s.Tailings.RunAsync(now, ct);
                var lines = rules.Findings.Select(f => $"  {f.Code} {f.Finding.Kind} ({f.Finding.Severity}): {f.Finding.Title}");
                return string.Join(Environment.NewLine, lines.Prepend(Invariant(
                    $"tailings-rules at {now:u}: {rules.Ponds} ponds, {rules.Findings.Count} findings; {rules.Raised} alarms raised, {rules.Escalated} escalated, {rules.Ended} episodes ended")));
            }),
        new(AckEscalationJob.Name, typeof(AckEscalationJob), nameof(SchedulerOptions.AlarmEscalationCron), o => o.AlarmEscalationCron,
            "alarms not acknowledged in time go one step up the jurisdiction", async (s, now, ct) =>
            {
                var steps = await s.AckEscalation.RunAsync(now, ct);
                return Invariant($"alarm-escalation at {now:u}: {steps} unacknowledged alarms escalated one step up");
            }),
        new(MonitoringCheckJob.Name, typeof(MonitoringCheckJob), nameof(SchedulerOptions.MonitoringCheckCron), o => o.MonitoringCheckCron,
            "stale monitoring feeds and pond warning levels", async (s, now, ct) =>
            {
                var check = await s.MonitoringCheck.RunAsync(now, ct);
                var levels = string.Join(", ", check.Ponds.Select(p => $"{p.PondCode} {p.Level.Code()}"));
                return Invariant($"monitoring-check at {now:u}: {check.Ponds.Count} ponds ({levels}); {check.SilentPoints.Count} silent points; ") +
                       Invariant($"{check.Raised} alarms raised, {check.Escalated} escalated, {check.Ended} episodes ended");
            }),
    ];

    /// <summary>The job named <paramref name="name"/>, or null.</summary>
    public static JobDefinition? Find(string name) => All.FirstOrDefault(j => j.Name == name);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
