using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;

namespace GeoMine.Patrol.Positions;

/// <summary>
/// Creates the monthly partitions of <c>position</c> that incoming fixes need, and the month after, once per month per
/// process (an advisory lock serialises app nodes creating the same partition). Creating a partition locks the whole table
/// until every transaction reading or writing positions has ended, so no month's first fix should be the one that creates
/// it: the app creates this month's and the next at start (<c>PartitionsAhead</c>), and the first fix of a month creates
/// the month after.
/// </summary>
public sealed class PositionPartitions(NpgsqlDataSource db)
{
    private readonly ConcurrentDictionary<DateOnly, bool> _known = new();

    /// <summary>Makes sure a partition exists for every month of <paramref name="fixTimesUtc"/>.</summary>
    public async Task EnsureAsync(IEnumerable<DateTime> fixTimesUtc, CancellationToken cancellationToken)
    {
        HashSet<DateOnly>? seen = null;
        var previous = default(DateOnly);
        foreach (var t in fixTimesUtc)
        {
            var month = new DateOnly(t.Year, t.Month, 1);
            if (month != previous && !_known.ContainsKey(month))
            {
                (seen ??= []).Add(month);
            }

            previous = month;
        }

        // Each month seen, and the month after it.
        foreach (var month in (seen ?? []).SelectMany(m => new[] { m, m.AddMonths(1) }).Distinct())
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"position_y{month.Year:0000}m{month.Month:00}");
            var from = month.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var to = month.AddMonths(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Partition bounds cannot be parameters; they are formatted from a DateOnly, never from input text.
            await using var command = new NpgsqlCommand(
                $"SELECT pg_advisory_xact_lock(7305); CREATE TABLE IF NOT EXISTS {name} PARTITION OF position FOR VALUES FROM ('{from} 00:00Z') TO ('{to} 00:00Z')",
                connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        foreach (var month in seen ?? [])
        {
            _known[month] = true; // its partition and the next month's exist
        }
    }
}
