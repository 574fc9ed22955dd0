namespace GeoMine.Viewer.Scheduling;

/// <summary>The scheduler (configuration section <c>Scheduler</c>). Cron strings are Quartz cron
/// (seconds first), evaluated in China time.</summary>
public sealed class SchedulerOptions
{
    /// <summary>Run scheduled jobs in this process. Every app node may; Quartz clustering fires each trigger once.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long an idle node waits before looking for due triggers again.</summary>
    public TimeSpan IdleWaitTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a node checks in; a node silent for longer is taken over by the others.</summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(7.5);

    /// <summary>Out-of-boundary detection over new positions: every minute.</summary>
    public string BoundaryCheckCron { get; set; } = "0 * * * * ?";

    /// <summary>Patrol visits from new patrol-phone positions: every 5 minutes.</summary>
    public string PatrolVisitsCron { get; set; } = "30 */5 * * * ?";

    /// <summary>Overdue patrols and unassigned shafts: hourly, at minute 7 (after a visits run).</summary>
    public string PatrolOverdueCron { get; set; } = "0 7 * * * ?";

    /// <summary>Tailings watch rules (flood-season inspections, closure, reactivation, dam raises, spot checks): daily at 06:15.</summary>
    public string TailingsRulesCron { get; set; } = "0 15 6 * * ?";

    /// <summary>Alarms not acknowledged in time go up the jurisdiction: every minute, at second 40.</summary>
    public string AlarmEscalationCron { get; set; } = "40 * * * * ?";

    /// <summary>Stale monitoring feeds and pond ratings: every 5 minutes.</summary>
    public string MonitoringCheckCron { get; set; } = "15 */5 * * * ?";
}
