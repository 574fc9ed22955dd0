using GeoMine.Patrol.Detection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace GeoMine.Patrol.Jobs;

/// <summary>Quartz job: flags out-of-boundary (越界), out-of-elevation (超层) and closed-mine activity
/// from the positions received since its last run. The work is <see cref="BoundaryCheckService"/>.</summary>
[DisallowConcurrentExecution]
public sealed class BoundaryCheckJob(BoundaryCheckService service, TimeProvider clock, ILogger<BoundaryCheckJob> log) : IJob
{
    /// <summary>Job and trigger name.</summary>
    public const string Name = "boundary-check";

    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var result = await service.RunAsync(clock.GetUtcNow().UtcDateTime, cancellationToken);
        if (result.Raised > 0 || result.Ended > 0)
        {
            log.LogInformation("boundary-check: {Positions} positions, {Raised} alarms raised, {Ended} episodes ended",
                result.Positions, result.Raised, result.Ended);
        }
    }
}
