using GeoMine.Patrol.Alarms;
using Microsoft.Extensions.Logging;
using Quartz;

namespace GeoMine.Patrol.Jobs;

/// <summary>Quartz job: alarms not acknowledged in time go up the jurisdiction. The work is <see cref="AckEscalationService"/>.</summary>
[DisallowConcurrentExecution]
public sealed class AckEscalationJob(AckEscalationService service, TimeProvider clock, ILogger<AckEscalationJob> log) : IJob
{
    /// <summary>Job and trigger name.</summary>
    public const string Name = "alarm-escalation";

    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var steps = await service.RunAsync(clock.GetUtcNow().UtcDateTime, cancellationToken);
        if (steps > 0)
        {
            log.LogInformation("alarm-escalation: {Steps} unacknowledged alarms escalated one step up", steps);
        }
    }
}
