using GeoMine.Geo.Import;

namespace GeoMine.Geo.Export;

/// <summary>
/// What <see cref="LayerExporter"/> writes: rows of <see cref="Sql"/> with a <c>geom</c> (EPSG:4490), identified by
/// <see cref="KeyField"/>; columns starting with <c>_</c> are not written.
/// </summary>
/// <param name="Name">File layer name and what the CLI calls it.</param>
/// <param name="Sql">The rows.</param>
/// <param name="KeyField">The column that identifies a row (GPX names waypoints and tracks by it).</param>
/// <param name="Geometry">The geometry type every row has (GeoPackage types its column by it).</param>
/// <param name="TimeField">The instant a period selects on (<c>--from</c>/<c>--to</c>), or null.</param>
/// <param name="GpxTrackPoints">For lines that are tracks: SQL for their points given the SQL of the rows chosen, in GDAL's
/// <c>track_points</c> shape (<c>track_fid</c>, <c>track_seg_id</c>, <c>track_seg_point_id</c>, <c>time</c> as ISO text,
/// <c>ele</c>, <c>name</c>, <c>geom</c>), so that a GPX track carries each point's time. Null: lines are written without
/// times.</param>
public sealed record ExportSource(
    string Name, string Sql, string KeyField, TargetGeometry Geometry, string? TimeField = null, Func<string, string>? GpxTrackPoints = null)
{
    /// <summary>A reference layer: its export fields, no time.</summary>
    public static ExportSource Of(LayerDefinition layer) => new(layer.Name, layer.ExportSql, layer.KeyField, layer.Geometry);
}
