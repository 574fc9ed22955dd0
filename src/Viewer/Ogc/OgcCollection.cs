using GeoMine.Geo.Export;
using GeoMine.Geo.Import;
using GeoMine.Viewer.Access;

namespace GeoMine.Viewer.Ogc;

/// <summary>
/// One collection of the OGC API: a reference layer of <see cref="LayerCatalog"/>, or a read-only record of what happened
/// (alarms, patrol visits) that officials want in QGIS beside the map. Every collection is rows of <see cref="Sql"/> with a
/// <c>geom</c> (EPSG:4490), a key and its fields; hidden columns (town ids for scoping) start with <c>_</c> and never reach
/// the answer.
/// </summary>
/// <param name="Name">Collection id.</param>
/// <param name="Title">Title in Chinese and English.</param>
/// <param name="Sql">The rows.</param>
/// <param name="KeyField">The column that identifies a feature (sorted on for paging).</param>
/// <param name="NumericKey">Whether the key is a bigint (else text).</param>
/// <param name="Fields">The properties a client may filter on (<c>field=value</c>).</param>
/// <param name="TownOfRow">SQL for the town (jurisdiction id) of the row alias given.</param>
/// <param name="TimeField">The instant <c>datetime</c> selects on, or null for a collection without time.</param>
/// <param name="Geometry">The geometry type of every feature.</param>
internal sealed record OgcCollection(
    string Name, string Title, string Sql, string KeyField, bool NumericKey, IReadOnlyList<string> Fields, Func<string, string> TownOfRow,
    string? TimeField, TargetGeometry Geometry)
{
    public static OgcCollection Of(LayerDefinition layer) =>
        new(layer.Name, layer.Title, layer.ExportSql, layer.KeyField, false, [.. layer.Fields.Select(f => f.Name)],
            row => layer.TownOf($"{row}.{layer.KeyField}"), null, layer.Geometry);

    /// <summary>For a collection of tracks: SQL for the GPX points of the chosen rows (see <see cref="ExportSource.GpxTrackPoints"/>).</summary>
    public Func<string, string>? GpxTrackPoints { get; init; }

    /// <summary>The same rows as a file (<c>geomine export</c>): every town, the hidden columns left out.</summary>
    public ExportSource Export => new(Name, Sql, KeyField, Geometry, TimeField, GpxTrackPoints);

    /// <summary>SQL that keeps a row <paramref name="row"/> only when its town is in <paramref name="scope"/>.</summary>
    public string Predicate(TownScope scope, string row) => scope.IsEverything ? "TRUE" : $"{TownOfRow(row)} = ANY(@{TownScope.Parameter})";
}

/// <summary>Every collection the OGC API serves: the reference layers, then the activity records.</summary>
internal static class OgcCollections
{
    /// <summary>Alarms with kind, severity and state, placed at their object (a point on it) or, for an object without a
    /// place (a phone's SOS), at their latest evidence position.</summary>
    public static OgcCollection Alarms { get; } = new("alarms", "告警 alarms", $"""
        SELECT a.id, a.kind, a.severity, a.state, a.title, a.object_kind, a.started_at, a.last_seen_at, a.ended_at, a.assignee,
               a.deadline, a.outcome, a.evidence, t.code AS town, a.town_id AS _town_id, {GeoMine.Patrol.Alarms.AlarmStore.PlaceOf("a")} AS geom
        FROM alarm a LEFT JOIN jurisdiction t ON t.id = a.town_id
        """, "id", true, ["kind", "severity", "state", "object_kind", "town"], row => $"{row}._town_id", "started_at", TargetGeometry.Point);

    /// <summary>Patrol visits: who was at which sealed shaft from when to when, how close (metres), from a track or a record.</summary>
    public static OgcCollection Visits { get; } = new("patrol-visits", "巡查到访 patrol visits", """
        SELECT v.id, s.code AS shaft, m.code AS mine, coalesce(p.name, d.owner_name) AS person, d.device_key AS device, v.arrived_at,
               v.left_at, round(v.min_distance_m::numeric, 1)::float8 AS distance_m, v.fixes, v.source, t.code AS town, m.town_id AS _town_id,
               s.geom
        FROM patrol_visit v JOIN sealed_shaft s ON s.id = v.shaft_id JOIN closed_mine m ON m.id = s.mine_id
        LEFT JOIN person p ON p.id = v.person_id LEFT JOIN device d ON d.id = v.device_id LEFT JOIN jurisdiction t ON t.id = m.town_id
        """, "id", true, ["shaft", "mine", "person", "device", "source", "town"], row => $"{row}._town_id", "arrived_at", TargetGeometry.Point);

    /// <summary>Patrol records (巡查记录): who filed what about which shaft, where the phone was (an online patrol, which has
    /// no place of its own, is drawn at its shaft), how far from the shaft (metres), the seal as found, how it is corroborated.</summary>
    public static OgcCollection Records { get; } = new("patrol-records", "巡查记录 patrol records", """
        SELECT r.id, s.code AS shaft, m.code AS mine, r.person_name AS person, r.kind, r.recorded_at, r.accuracy_m,
               round(r.distance_m::numeric, 1)::float8 AS distance_m, r.at_site, r.seal_condition, r.remarks, r.filed_by,
               r.corroboration, t.code AS town, m.town_id AS _town_id, coalesce(r.geom, s.geom) AS geom
        FROM patrol_record r JOIN sealed_shaft s ON s.id = r.shaft_id JOIN closed_mine m ON m.id = s.mine_id
        LEFT JOIN jurisdiction t ON t.id = m.town_id
        """, "id", true, ["shaft", "mine", "person", "kind", "seal_condition", "corroboration", "town"], row => $"{row}._town_id", "recorded_at", TargetGeometry.Point);

    /// <summary>Patrol tracks: each segment of a phone's or vehicle's day (cut where fixes are further apart than
    /// Patrol:Coverage:MaxGapSeconds, as coverage measures them) as a line through its fixes in time order; its length in
    /// metres on the CGCS2000 ellipsoid. A track belongs to the town that holds its first fix. The id is the device key and
    /// the segment's first fix time (UTC), e.g. <c>phone-7@2026-12-01T00:12:05.000Z</c>.</summary>
    public static OgcCollection Tracks { get; } = new("patrol-tracks", "巡查轨迹 patrol tracks", $"""
        SELECT d.device_key || '@' || to_char(s.start_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS id,
               d.device_key AS device, d.kind AS device_kind, coalesce(p.name, d.owner_name) AS person, s.day, s.start_at, s.end_at,
               s.fixes, round(s.metres::numeric, 1)::float8 AS metres, t.code AS town, s._town_id,
               (SELECT ST_MakeLine(f.geom ORDER BY f.fix_time) FROM position f
                WHERE f.device_id = s.device_id AND f.fix_time BETWEEN s.start_at AND s.end_at) AS geom
        FROM (SELECT s.*, {LayerCatalog.TownAt("(SELECT f.geom FROM position f WHERE f.device_id = s.device_id AND f.fix_time = s.start_at)")} AS _town_id
              FROM patrol_track_segment s) s
        JOIN device d ON d.id = s.device_id LEFT JOIN person p ON p.id = d.owner_person_id LEFT JOIN jurisdiction t ON t.id = s._town_id
        """, "id", false, ["device", "device_kind", "person", "day", "town"], row => $"{row}._town_id", "start_at", TargetGeometry.LineString)
    {
        // Each fix of each chosen segment, with its China time and altitude: a GPX track officials can replay.
        GpxTrackPoints = rows => $"""
            SELECT dense_rank() OVER (ORDER BY r.id) - 1 AS track_fid, 0 AS track_seg_id, f.n - 1 AS track_seg_point_id,
                   to_char(f.fix_time AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') AS time, f.altitude_m AS ele,
                   r.id AS name, f.geom
            FROM ({rows}) r JOIN device d ON d.device_key = r.device
            CROSS JOIN LATERAL (SELECT p.fix_time, p.altitude_m, p.geom, row_number() OVER (ORDER BY p.fix_time) AS n FROM position p
                                WHERE p.device_id = d.id AND p.fix_time BETWEEN r.start_at AND r.end_at) f
            ORDER BY r.id, f.fix_time
            """,
    };

    /// <summary>The activity records (alarms, visits, patrol records, tracks): the collections that are not reference layers.</summary>
    public static IReadOnlyList<OgcCollection> Activity { get; } = [Alarms, Visits, Records, Tracks];

    /// <summary>Every collection, reference layers first (declared after what it lists: static initialisers run in order).</summary>
    public static IReadOnlyList<OgcCollection> All { get; } = [.. LayerCatalog.All.Select(OgcCollection.Of), .. Activity];

    public static OgcCollection? Find(string id) => All.FirstOrDefault(c => string.Equals(c.Name, id, StringComparison.Ordinal));
}
