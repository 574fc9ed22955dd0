using GeoMine.Patrol.Notifications;
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
        _ = ListenAsync(wake, listening, stoppingToken);
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

    private async Task ListenAsync(SemaphoreSlim wake, TaskCompletionSource listening, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await db.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => wake.Release();
                await using (var listen = new NpgsqlCommand("LISTEN geomine_notice", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                listening.TrySetResult();
                wake.Release(); // anything committed while the connection was being (re)opened

                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or System.IO.IOException)
            {
                log.LogWarning("notifications: listening connection lost ({Message}); polling meanwhile", e.Message);
                await Task.Delay(options.Value.PollInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
