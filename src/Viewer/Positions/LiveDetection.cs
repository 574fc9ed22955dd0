using GeoMine.Patrol.Detection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Viewer.Positions;

/// <summary>
/// Classifies fixes as they are stored, on the node that stored them: the feed calls <see cref="FixesStored"/> after each
/// commit, and this service runs the boundary check (越界, 超层, 无证, 死灰复燃) once <see cref="DetectionOptions.CommitLag"/>
/// has passed — at most one run at a time, the fixes stored meanwhile taken by the next. It is the same run as the
/// minute job's (<see cref="BoundaryCheckService"/>, one watermark under a row lock), so the two give the same alarms and
/// the job catches up whatever a node stopped before classifying.
/// </summary>
internal sealed class LiveDetection(BoundaryCheckService check, IOptions<DetectionOptions> options, TimeProvider clock, ILogger<LiveDetection> log)
    : BackgroundService
{
    private readonly SemaphoreSlim _signal = new(0);
    private int _pending;

    /// <summary>Fixes were committed: classify them soon.</summary>
    public void FixesStored()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0)
        {
            _signal.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(stoppingToken);
                // Reset before waiting: fixes stored from now on signal the next run.
                Interlocked.Exchange(ref _pending, 0);
                await Task.Delay(options.Value.CommitLag + TimeSpan.FromMilliseconds(50), stoppingToken);
                var result = await check.RunAsync(clock.GetUtcNow().UtcDateTime, stoppingToken);
                if (result.Raised > 0 || result.Ended > 0)
                {
                    log.LogInformation("live detection: {Positions} positions, {Raised} alarms raised, {Ended} episodes ended",
                        result.Positions, result.Raised, result.Ended);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                // The minute job catches up what this run could not.
                log.LogWarning("live detection: database unavailable ({Message}); the boundary-check job will catch up", e.Message);
            }
        }
    }
}
