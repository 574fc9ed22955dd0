using GeoMine.Patrol.Notifications;
using GeoMine.Viewer.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Viewer.Notifications;

/// <summary>
/// Runs <see cref="NotificationDispatcher"/> on this node: woken by PostgreSQL <c>NOTIFY geomine_notice</c> (sent by the
/// alarm trigger at commit, from any node) and at least every <see cref="NotificationOptions.PollInterval"/> (for retries,
/// quiet hours ending, and a notification lost while the listening connection was down). Every node runs one; the
/// dispatcher's row locks make each delivery go out once.
/// </summary>
internal sealed class NotificationWorker(
    NpgsqlDataSource db, NotificationDispatcher dispatcher, IOptions<NotificationOptions> options, TimeProvider clock, ILogger<NotificationWorker> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wake = new SemaphoreSlim(0);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = PostgresListener.ListenAsync(db, "geomine_notice", _ => wake.Release(), () =>
        {
            listening.TrySetResult();
            wake.Release(); // anything committed while the connection was being (re)opened
        }, log, stoppingToken);
        // Listening before the first run: a notice committed before it is found by the run, one after wakes the loop.
        await ((Task)Task.WhenAny(listening.Task, Task.Delay(options.Value.PollInterval, stoppingToken))).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await dispatcher.RunOnceAsync(clock.GetUtcNow().UtcDateTime, stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                log.LogWarning("notifications: database unavailable ({Message}); retrying", e.Message);
            }

            try
            {
                await wake.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
