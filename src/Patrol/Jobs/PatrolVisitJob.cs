using GeoMine.Patrol.Coverage;
using GeoMine.Patrol.Visits;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging;
using Quartz;

namespace GeoMine.Patrol.Jobs;

/// <summary>Quartz job: patrol visits in the patrol phones' positions received since its last run
/// (<see cref="PatrolVisitService"/>), then the track days those positions made stale re-measured for coverage
/// (<see cref="TrackDayService"/>, within <see cref="CoverageOptions.TrackDayBudget"/>).</summary>
[DisallowConcurrentExecution]
public sealed class PatrolVisitJob(PatrolVisitService service, TrackDayService trackDays, IOptions<CoverageOptions> coverage, TimeProvider clock, ILogger<PatrolVisitJob> log) : IJob
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

        var days = await trackDays.RefreshAsync(coverage.Value.TrackDayBudget, cancellationToken);
        if (days > 0)
        {
            log.LogInformation("patrol-visits: {Days} track days re-measured", days);
        }
    }
}
