using GeoMine.Patrol.Monitoring;
using Microsoft.Extensions.Logging;
using Quartz;

namespace GeoMine.Patrol.Jobs;

/// <summary>Quartz job: re-rates the monitored ponds and raises or ends stale-feed alarms as of now. The work is
/// <see cref="MonitoringCheckService"/>.</summary>
[DisallowConcurrentExecution]
public sealed class MonitoringCheckJob(MonitoringCheckService service, TimeProvider clock, ILogger<MonitoringCheckJob> log) : IJob
{
    /// <summary>Job and trigger name.</summary>
    public const string Name = "monitoring-check";

    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var result = await service.RunAsync(clock.GetUtcNow().UtcDateTime, cancellationToken);
        if (result.Raised > 0 || result.Escalated > 0 || result.Ended > 0)
        {
            log.LogInformation("monitoring-check: {Ponds} ponds, {Silent} silent points, {Raised} alarms raised, {Escalated} escalated, {Ended} episodes ended",
                result.Ponds.Count, result.SilentPoints.Count, result.Raised, result.Escalated, result.Ended);
        }
    }
}
