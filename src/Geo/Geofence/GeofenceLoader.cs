using GeoMine.Geo.Storage;
using NetTopologySuite.Geometries;
using Npgsql;

namespace GeoMine.Geo.Geofence;

/// <summary>
/// Reads the watched areas from PostGIS: mining_right (block by block with each block's elevation band when the licence
/// text gave blocks, <c>mining_right_block</c>; else the right whole with its band, or none when unknown), closed_mine (areas;
/// mines known only by a point become circles of the shaft radius), sealed_shaft (circles) and
/// tailings_pond. The schema holds no per-shaft radius, so one protection radius applies to all shafts.
/// </summary>
public static class GeofenceLoader
{
    private const string Query = """
        SELECT 0, r.id, coalesce(b.geom, r.geom), coalesce(b.lower_m, r.lower_m), coalesce(b.upper_m, r.upper_m)
        FROM mining_right r LEFT JOIN mining_right_block b ON b.mining_right_id = r.id
        UNION ALL SELECT 1, id, geom, NULL, NULL FROM closed_mine
        UNION ALL SELECT 2, id, geom, NULL, NULL FROM sealed_shaft WHERE status <> 'backfilled'
        UNION ALL SELECT 3, id, geom, NULL, NULL FROM tailings_pond
        """;

    /// <summary>Loads every area; <paramref name="shaftRadiusMetres"/> is the protection radius of sealed shafts (metres).</summary>
    public static async Task<IReadOnlyList<GeofenceArea>> LoadAsync(string connectionString, double shaftRadiusMetres, CancellationToken cancellationToken = default)
    {
        await using var dataSource = GeoDataSource.Create(connectionString);
        return await LoadAsync(dataSource, shaftRadiusMetres, cancellationToken);
    }

    /// <summary>Loads every area through <paramref name="dataSource"/> (whose connection string, as Npgsql
    /// exposes it, no longer holds the password).</summary>
    public static async Task<IReadOnlyList<GeofenceArea>> LoadAsync(NpgsqlDataSource dataSource, double shaftRadiusMetres, CancellationToken cancellationToken = default)
    {
        var areas = new List<GeofenceArea>();
        await using var command = dataSource.CreateCommand(Query);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var kind = (GeofenceAreaKind)reader.GetInt32(0);
            var geometry = GeometryWkb.Read(reader, 2)!;
            ElevationRangeMetres? band = reader.IsDBNull(3) ? null : new ElevationRangeMetres(reader.GetDouble(3), reader.GetDouble(4));
            double? radius = geometry is Point ? shaftRadiusMetres : null;
            areas.Add(new GeofenceArea(reader.GetInt64(1), kind, geometry, band, radius));
        }

        return areas;
    }
}
