using GeoMine.Patrol.Positions;
using Npgsql;

namespace GeoMine.Viewer.Positions;

/// <summary>At start, the partitions of <c>position</c> for this month and the next: created before fixes arrive, not under
/// their load (see <see cref="PositionPartitions"/>). A database that is not reachable yet is left to the first fix.</summary>
internal sealed class PartitionsAhead(PositionPartitions partitions, TimeProvider clock, ILogger<PartitionsAhead> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await partitions.EnsureAsync([clock.GetUtcNow().UtcDateTime], cancellationToken);
        }
        catch (NpgsqlException e)
        {
            log.LogWarning("position partitions not created at start ({Message}); the first fix of the month creates them", e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
