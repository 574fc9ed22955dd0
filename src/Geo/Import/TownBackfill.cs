using Npgsql;

namespace GeoMine.Geo.Import;

/// <summary>
/// After towns are imported, gives a town to every feature that has none and lies in one (by the point on its surface):
/// closed mines, mining rights, tailings ponds, facilities, and villages (their parent). A feature's town, and so which
/// coordinator sees it, never depends on the order the layers were imported in. Features that already have a town keep it.
/// </summary>
public static class TownBackfill
{
    private static readonly (string Table, string Column, string Filter, string What)[] Targets =
    [
        ("closed_mine", "town_id", "TRUE", "closed mines"),
        ("mining_right", "town_id", "TRUE", "mining rights"),
        ("tailings_pond", "town_id", "TRUE", "tailings ponds"),
        ("facility", "town_id", "TRUE", "facilities"),
        ("jurisdiction", "parent_id", "f.level = 'village'", "villages"),
    ];

    /// <summary>Assigns towns in the import's transaction; returns one line per kind of feature that got any, e.g.
    /// "town assigned to 12 closed mines imported before their town".</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var lines = new List<string>();
        foreach (var (table, column, filter, what) in Targets)
        {
            await using var command = new NpgsqlCommand($"""
                UPDATE {table} f SET {column} = {LayerCatalog.TownAt("ST_PointOnSurface(f.geom)")}
                WHERE f.{column} IS NULL AND {filter} AND {LayerCatalog.TownAt("ST_PointOnSurface(f.geom)")} IS NOT NULL
                """, connection, transaction);
            if (await command.ExecuteNonQueryAsync(ct) is var n and > 0)
            {
                lines.Add($"town assigned to {n} {what} imported before their town");
            }
        }

        return lines;
    }
}
