using Npgsql;

namespace GeoMine.Viewer.Hosting;

/// <summary>
/// PostgreSQL LISTEN on one channel for as long as the node runs: one dedicated connection, reopened after it drops
/// (2 s later). <c>onListening</c> runs each time the LISTEN is in place (again after a drop: what was notified meanwhile
/// was not heard), <c>onPayload</c> for each notification.
/// </summary>
internal static class PostgresListener
{
    public static async Task ListenAsync(
        NpgsqlDataSource db, string channel, Action<string> onPayload, Action onListening, ILogger log, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await db.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => onPayload(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                onListening();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
            {
                log.LogWarning("LISTEN {Channel}: connection lost ({Message}); reconnecting", channel, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
