using GeoMine.Geo.Import;
using GeoMine.Viewer.Access;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;

namespace GeoMine.Viewer.Ogc;

/// <summary>
/// The extent of a layer's features within a caller's towns, [west, south, east, north] in EPSG:4490 degrees (CRS84 order;
/// CGCS2000 and WGS84 agree within centimetres), or null when there is none: what OGC API collections (<c>extent</c>) and
/// TileJSON (<c>bounds</c>, <c>center</c>) report. Computed by PostGIS (<c>ST_Extent</c>) and kept a minute per layer and
/// town scope, so a list of collections does not scan every table on every request.
/// </summary>
internal sealed class LayerExtents(NpgsqlDataSource db, IMemoryCache cache)
{
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(1);

    public Task<LayerExtent?> OfAsync(OgcCollection layer, TownScope scope, CancellationToken ct) =>
        cache.GetOrCreateAsync(("layer-extent", layer.Name, scope.IsEverything ? "*" : string.Join(',', scope.TownIds)), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Keep;
            var time = layer.TimeField is { } field ? $"min(e.{field}), max(e.{field})" : "NULL::timestamptz, NULL::timestamptz";
            await using var command = db.CreateCommand($"""
                SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b), t0, t1
                FROM (SELECT ST_Extent(e.geom) AS b, {time.Replace(", ", " AS t0, ", StringComparison.Ordinal)} AS t1
                      FROM ({layer.Sql}) e WHERE {layer.Predicate(scope, "e")}) x
                WHERE b IS NOT NULL
                """);
            scope.AddParameter(command);
            await using var r = await command.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                return null;
            }

            var interval = r.IsDBNull(4) ? null : new[] { r.GetFieldValue<DateTime>(4).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                r.GetFieldValue<DateTime>(5).ToString("O", System.Globalization.CultureInfo.InvariantCulture) };
            return new LayerExtent([r.GetDouble(0), r.GetDouble(1), r.GetDouble(2), r.GetDouble(3)], interval);
        });

    /// <summary><see cref="OfAsync(OgcCollection, TownScope, CancellationToken)"/> for a reference layer.</summary>
    public async Task<double[]?> OfAsync(LayerDefinition layer, TownScope scope, CancellationToken ct) =>
        (await OfAsync(OgcCollection.Of(layer), scope, ct))?.Bbox;

    /// <summary>A zoom (Web Mercator levels) at which the extent fills about a 512-pixel view.</summary>
    public static int ZoomToFit(double[] extent)
    {
        var degrees = Math.Max(extent[2] - extent[0], extent[3] - extent[1]);
        return degrees <= 0 ? 16 : Math.Clamp((int)Math.Floor(Math.Log2(360 * 2 / degrees)), 0, 18);
    }
}

/// <summary>Where and when a collection's features are: [west, south, east, north] in CRS84 degrees, and the first and last
/// instants (UTC, ISO-8601) of a collection with time.</summary>
internal sealed record LayerExtent(double[] Bbox, string[]? Interval);
