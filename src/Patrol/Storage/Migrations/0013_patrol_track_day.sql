-- Patrol phones' tracks summarised per China calendar day (UTC+8), so that coverage over a month reads a few hundred
-- rows instead of a million fixes. Written only by the patrol-visits job (TrackDayService), from the fixes; a day
-- is recomputed whole when it is marked stale. Coverage takes a day from here only when its row was computed with
-- the settings in force and no fix of it arrived since; any other day it computes from the fixes, as before.

CREATE TABLE patrol_track_day (
    device_id     bigint NOT NULL REFERENCES device (id),
    day           date NOT NULL,             -- China calendar day
    max_gap_s     double precision NOT NULL, -- the settings it was computed with (Patrol:Coverage)
    buffer_m      double precision NOT NULL,
    cell_m        double precision NOT NULL,
    fixes         integer NOT NULL,          -- every fix of the day
    first_fix     timestamptz NOT NULL,      -- its first and last fix: the row serves any period holding both
    last_fix      timestamptz NOT NULL,
    track_fixes   integer NOT NULL,          -- fixes within segments (a lone fix is no segment)
    lon_sum       double precision NOT NULL, -- sum of their longitudes, degrees: a period's plane is the zone of the mean
    plane_epsg    integer,                   -- CGCS2000 3° Gauss-Krüger zone of the day's own mean longitude; NULL without segments
    cells         bigint[] NOT NULL,         -- grid cells (side cell_m) in plane_epsg the buffered segments touch: i · 2³² + j of ST_SquareGrid
    swath         geometry,                  -- union of the buffered segments in plane_epsg (SRID set); NULL without segments
    computed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, day)
);

-- The day's segments (cut at gaps longer than max_gap_s), in time order.
CREATE TABLE patrol_track_segment (
    device_id bigint NOT NULL,
    day       date NOT NULL,
    start_at  timestamptz NOT NULL,
    end_at    timestamptz NOT NULL,
    fixes     integer NOT NULL CHECK (fixes >= 2),
    metres    double precision NOT NULL,   -- geodesic, CGCS2000 ellipsoid
    PRIMARY KEY (device_id, start_at),
    FOREIGN KEY (device_id, day) REFERENCES patrol_track_day (device_id, day) ON DELETE CASCADE
);
CREATE INDEX patrol_track_segment_day_idx ON patrol_track_segment (device_id, day);

-- Days to (re)compute: marked by the patrol-visits job for the days of the fixes it reads, and by coverage for days it
-- had to compute from the fixes. Taken with FOR UPDATE SKIP LOCKED, so two runners never take the same day.
CREATE TABLE patrol_track_stale (
    device_id bigint NOT NULL,
    day       date NOT NULL,
    marked_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (device_id, day)
);

-- Every day of every patrol phone already stored.
INSERT INTO patrol_track_stale (device_id, day)
SELECT DISTINCT p.device_id, ((p.fix_time AT TIME ZONE 'UTC') + interval '8 hours')::date
FROM position p JOIN device d ON d.id = p.device_id AND d.kind = 'patrol_phone';
