using GeoMine.Patrol.Obligations;
using Microsoft.Extensions.Logging;
using Quartz;

namespace GeoMine.Patrol.Jobs;

/// <summary>Quartz job: overdue patrols and unassigned shafts as of now. The work is <see cref="PatrolOverdueService"/>.</summary>
[DisallowConcurrentExecution]
public sealed class PatrolOverdueJob(PatrolOverdueService service, TimeProvider clock, ILogger<PatrolOverdueJob> log) : IJob
{
    /// <summary>Job and trigger name.</summary>
    public const string Name = "patrol-overdue";

    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var result = await service.RunAsync(clock.GetUtcNow().UtcDateTime, cancellationToken);
        if (result.Raised > 0 || result.Escalated > 0 || result.Ended > 0)
        {
            log.LogInformation("patrol-overdue: {Rated} of {Shafts} shafts re-rated, {Raised} alarms raised, {Escalated} escalated, {Ended} episodes ended",
                result.Shafts.Count, result.TotalShafts, result.Raised, result.Escalated, result.Ended);
        }
    }
}
