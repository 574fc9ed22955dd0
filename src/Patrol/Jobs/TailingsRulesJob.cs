using GeoMine.Patrol.Tailings;
using Microsoft.Extensions.Logging;
using Quartz;

namespace GeoMine.Patrol.Jobs;

/// <summary>Quartz job: the tailings watch rules as of now. The work is <see cref="TailingsWatchService"/>.</summary>
[DisallowConcurrentExecution]
public sealed class TailingsRulesJob(TailingsWatchService service, TimeProvider clock, ILogger<TailingsRulesJob> log) : IJob
{
    /// <summary>Job and trigger name.</summary>
    public const string Name = "tailings-rules";

    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var result = await service.RunAsync(clock.GetUtcNow().UtcDateTime, cancellationToken);
        if (result.Raised > 0 || result.Escalated > 0 || result.Ended > 0)
        {
            log.LogInformation("tailings-rules: {Ponds} ponds, {Raised} alarms raised, {Escalated} escalated, {Ended} episodes ended",
                result.Ponds, result.Raised, result.Escalated, result.Ended);
        }
    }
}
