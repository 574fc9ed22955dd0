using GeoMine.Patrol.Obligations;
using Npgsql;

namespace GeoMine.Viewer.Tiles;

/// <summary>
/// The patrol rating of each shaft <c>s</c> (joined to its mine <c>m</c>) at <c>@now</c>, as the shaft tiles read it: the
/// overdue job's stored rating (<c>shaft_patrol_rating</c>) where it still holds — rated no later than now, no change of
/// it due by then, the shaft's inputs unchanged since (not in <c>shaft_patrol_dirty</c>), made with the current settings —
/// else <see cref="ShaftPatrolRating"/> from the rating inputs, which are read only for those shafts.
/// </summary>
internal static class TileShaftRating
{
    /// <summary>The <see cref="ColumnCount"/> columns <see cref="Read"/> takes, for the select list.</summary>
    public const string Columns = """
        st.status, st.assigned,
        CASE WHEN st.status IS NULL THEN (SELECT v.arrived_at FROM patrol_visit v WHERE v.shaft_id = s.id AND v.arrived_at <= @now
                                          ORDER BY v.arrived_at DESC LIMIT 1) END,
        CASE WHEN st.status IS NULL THEN shaft_clock_start(s.id, @now) END,
        m.closure_status, m.risk_class,
        CASE WHEN st.status IS NULL THEN EXISTS (SELECT FROM assignment r WHERE r.object_kind = 'sealed_shaft' AND r.object_id = s.id
           AND r.role = 'responsible_person' AND r.valid_from <= @now AND (r.valid_to IS NULL OR r.valid_to > @now)) END
        """;

    /// <summary>The join that brings the stored rating, after the FROM item of <c>s</c> and <c>m</c>.</summary>
    public const string Join = """
        LEFT JOIN shaft_patrol_rating st ON st.shaft_id = s.id AND st.rated_at <= @now AND (st.recheck_at IS NULL OR st.recheck_at > @now)
              AND (SELECT settings FROM patrol_rating_run) = @settings
              AND NOT EXISTS (SELECT FROM shaft_patrol_dirty d WHERE d.shaft_id = s.id)
        """;

    /// <summary>How many columns <see cref="Columns"/> holds.</summary>
    public const int ColumnCount = 7;

    /// <summary>Sets <c>@now</c> and <c>@settings</c>.</summary>
    public static void AddParameters(NpgsqlCommand command, DateTime nowUtc, PatrolObligationOptions settings)
    {
        command.Parameters.AddWithValue("now", nowUtc);
        command.Parameters.AddWithValue("settings", settings.Fingerprint());
    }

    /// <summary>The status and whether a responsible person is assigned, from <see cref="Columns"/> starting at column
    /// <paramref name="first"/> of shaft <paramref name="code"/>.</summary>
    public static (PatrolStatus Status, bool Assigned) Read(NpgsqlDataReader r, int first, string code, DateTime nowUtc, PatrolObligationOptions settings)
    {
        if (!r.IsDBNull(first))
        {
            return (PatrolStatusCode.Parse(r.GetString(first)), r.GetBoolean(first + 1));
        }

        var clockStart = r.GetFieldValue<DateTime?>(first + 3);
        var interval = settings.IntervalOf(code, r.GetString(first + 4), r.IsDBNull(first + 5) ? null : r.GetString(first + 5));
        return (ShaftPatrolRating.Of(interval, r.GetFieldValue<DateTime?>(first + 2), clockStart, nowUtc, settings).Status, r.GetBoolean(first + 6));
    }
}
