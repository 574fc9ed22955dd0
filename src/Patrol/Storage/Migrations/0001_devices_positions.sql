-- Devices and the positions they report. Positions are range-partitioned by fix time (one
-- partition per month, created on demand by the ingest path) with a BRIN index on receive time:
-- the table is meant to grow to billions of rows; old months can be detached or archived whole.
-- Scale-out beyond one server: position is the table to distribute with Citus by device_id.

CREATE TABLE device (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_key        text NOT NULL UNIQUE,  -- the identifier the device sends (Traccar "id")
    name              text,
    kind              text NOT NULL DEFAULT 'unknown'
                      CHECK (kind IN ('patrol_phone', 'vehicle', 'equipment', 'underground_tag', 'unknown')),
    owner_person_id   bigint REFERENCES person (id),
    owner_name        text,                  -- licence holder or person, when not a registered person
    mining_right_id   bigint REFERENCES mining_right (id),
    coordinate_system text NOT NULL DEFAULT 'wgs84' CHECK (coordinate_system IN ('wgs84', 'gcj02')),
    token_sha256      bytea,                 -- ingest token, stored hashed; NULL = no token required
    registered        boolean NOT NULL DEFAULT true, -- false: first seen sending, never registered
    enabled           boolean NOT NULL DEFAULT true,
    created_at        timestamptz NOT NULL DEFAULT now()
);

-- No foreign key to device: a per-row integrity trigger halved ingest throughput, and the only
-- writer (PositionIngestor) stores ids it has just resolved or registered; devices are disabled, never deleted.
CREATE TABLE position (
    device_id   bigint NOT NULL,
    fix_time    timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    geom        geometry(Point, 4490) NOT NULL, -- corrected to CGCS2000/WGS84 when the device is GCJ-02
    altitude_m  double precision,                -- NULL when the device did not report one
    accuracy_m  double precision,
    speed_mps   double precision,
    bearing_deg double precision,
    battery_pct double precision,
    source      text NOT NULL CHECK (source IN ('osmand', 'traccar-json', 'batch', 'gpx', 'csv')),
    PRIMARY KEY (device_id, fix_time)            -- an exact re-send (device + fix time) is stored once
) PARTITION BY RANGE (fix_time);
CREATE INDEX position_received_brin ON position USING brin (received_at);

-- Fixes refused before storage, counted per day, reason and device (visible in `positions stats`).
CREATE TABLE position_rejection (
    day        date NOT NULL,
    reason     text NOT NULL,
    device_key text NOT NULL,
    count      bigint NOT NULL,
    PRIMARY KEY (day, reason, device_key)
);
