using GeoMine.Patrol.Visits;
using Microsoft.Extensions.Logging;
using Quartz;

namespace GeoMine.Patrol.Jobs;

/// <summary>Quartz job: patrol visits in the patrol phones' positions received since its last run.
/// The work is <see cref="PatrolVisitService"/>.</summary>
[DisallowConcurrentExecution]
public sealed class PatrolVisitJob(PatrolVisitService service, TimeProvider clock, ILogger<PatrolVisitJob> log) : IJob
{
    /// <summary>Job and trigger name.</summary>
    public const string Name = PatrolVisitService.Job;

    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var result = await service.RunAsync(clock.GetUtcNow().UtcDateTime, cancellationToken);
        if (result.Devices > 0)
        {
            log.LogInformation("patrol-visits: {Devices} patrol phones rescanned, {Visits} visits", result.Devices, result.Visits);
        }
    }
}
