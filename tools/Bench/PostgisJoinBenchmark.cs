using System.Diagnostics;
using GeoMine.Geo.Geofence;
using GeoMine.Geo.Storage;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Viewer.Bench;

/// <summary>
/// The same classification done by PostGIS, set-based: areas (shaft circles as 32-gons) and positions
/// loaded with binary COPY into unlogged tables, then two formulations timed on one backend without parallel workers
/// (as the index runs on one thread): (1) a GiST index on the areas and one <c>ST_Intersects</c> join (index build not
/// counted); (2) PostGIS at its best for many points and few areas — a GiST index on the <b>positions</b>, built inside
/// the timing, and the areas as the outer relation of the join (each area an index scan of the points). Both must find
/// the same pairs. The tables are dropped afterwards.
/// </summary>
internal static class PostgisJoinBenchmark
{
    public sealed record Result(long Pairs, int Positions, double LoadSeconds, double JoinSeconds, double BestSeconds, string BestPlan);

    public static async Task<Result> RunAsync(string connectionString, SyntheticWorkload workload, int positions, CancellationToken ct)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var areaTable = $"bench_area_{suffix}";
        var positionTable = $"bench_position_{suffix}";
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        try
        {
            await ExecuteAsync(connection, $"""
                CREATE EXTENSION IF NOT EXISTS postgis;
                CREATE UNLOGGED TABLE {areaTable} (id bigint, kind smallint, geom geometry(Geometry, 4490));
                CREATE UNLOGGED TABLE {positionTable} (id bigint, device int, geom geometry(Point, 4490));
                """, ct);
            var load = Stopwatch.StartNew();
            await using (var copy = await connection.BeginBinaryImportAsync($"COPY {areaTable} (id, kind, geom) FROM STDIN (FORMAT BINARY)", ct))
            {
                foreach (var area in workload.Areas)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(area.Id, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync((short)area.Kind, NpgsqlDbType.Smallint, ct);
                    await copy.WriteAsync(GeometryWkb.ToEwkb(area.Geometry is Point p ? Circle(p, area.RadiusMetres ?? 0) : area.Geometry), NpgsqlDbType.Bytea, ct);
                }

                await copy.CompleteAsync(ct);
            }

            await using (var copy = await connection.BeginBinaryImportAsync($"COPY {positionTable} (id, device, geom) FROM STDIN (FORMAT BINARY)", ct))
            {
                for (var i = 0; i < positions; i++)
                {
                    var p = workload.Positions[i];
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync((long)i, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(p.Device, NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(PointEwkb(p.Longitude, p.Latitude), NpgsqlDbType.Bytea, ct);
                }

                await copy.CompleteAsync(ct);
            }

            await ExecuteAsync(connection, $"CREATE INDEX ON {areaTable} USING gist (geom); ANALYZE {areaTable}; ANALYZE {positionTable};", ct);
            load.Stop();
            await ExecuteAsync(connection, "SET max_parallel_workers_per_gather = 0", ct);
            var join = Stopwatch.StartNew();
            await using var command = new NpgsqlCommand(
                $"SELECT count(*) FROM {positionTable} p JOIN {areaTable} a ON ST_Intersects(a.geom, p.geom)", connection) { CommandTimeout = 0 };
            var pairs = (long)(await command.ExecuteScalarAsync(ct))!;
            join.Stop();

            // (2) Positions indexed, areas outer; the index build is part of the cost.
            await ExecuteAsync(connection, $"DROP INDEX {areaTable}_geom_idx", ct);
            var best = Stopwatch.StartNew();
            await ExecuteAsync(connection, $"CREATE INDEX ON {positionTable} USING gist (geom); ANALYZE {positionTable};", ct);
            var bestSql = $"SELECT count(*) FROM {areaTable} a JOIN {positionTable} p ON ST_Intersects(a.geom, p.geom)";
            await using var bestCommand = new NpgsqlCommand(bestSql, connection) { CommandTimeout = 0 };
            var bestPairs = (long)(await bestCommand.ExecuteScalarAsync(ct))!;
            best.Stop();
            if (bestPairs != pairs)
            {
                throw new InvalidOperationException($"the two PostGIS formulations disagree: {pairs} and {bestPairs} pairs");
            }

            await using var explain = new NpgsqlCommand("EXPLAIN (COSTS OFF) " + bestSql, connection);
            var plan = new List<string>();
            await using (var reader = await explain.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    plan.Add(reader.GetString(0).Trim());
                }
            }

            return new Result(pairs, positions, load.Elapsed.TotalSeconds, join.Elapsed.TotalSeconds, best.Elapsed.TotalSeconds,
                string.Join(" / ", plan.Where(l => l.Contains("Scan", StringComparison.Ordinal) || l.Contains("Loop", StringComparison.Ordinal))
                    .Select(l => l.TrimStart('-', '>', ' ')).Select(l => l.Replace(suffix, "", StringComparison.Ordinal))));
        }
        finally
        {
            await ExecuteAsync(connection, $"DROP TABLE IF EXISTS {areaTable}; DROP TABLE IF EXISTS {positionTable};", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>EWKB of a 2D point with SRID 4490, little endian.</summary>
    private static byte[] PointEwkb(double lon, double lat)
    {
        var bytes = new byte[25];
        bytes[0] = 1;
        BitConverter.TryWriteBytes(bytes.AsSpan(1), 0x20000001u);
        BitConverter.TryWriteBytes(bytes.AsSpan(5), Geo.Srid.Cgcs2000);
        BitConverter.TryWriteBytes(bytes.AsSpan(9), lon);
        BitConverter.TryWriteBytes(bytes.AsSpan(17), lat);
        return bytes;
    }

    private static Polygon Circle(Point centre, double radiusMetres)
    {
        var (kx, ky) = LocalMetricPlane.MetresPerDegree(centre.Y);
        var ring = Enumerable.Range(0, 33)
            .Select(k => 2 * Math.PI * (k % 32) / 32)
            .Select(a => new Coordinate(centre.X + (radiusMetres * Math.Cos(a) / kx), centre.Y + (radiusMetres * Math.Sin(a) / ky)))
            .ToArray();
        var polygon = GeometryWkb.Factory.CreatePolygon(ring);
        polygon.SRID = Geo.Srid.Cgcs2000;
        return polygon;
    }
}
