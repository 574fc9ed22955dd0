-- Patrol records (巡查记录) sent from the field: where the patroller stood, the seal's condition,
-- remarks and photos. A record farther from the shaft than the visit radius + its accuracy is kept
-- but marked not at site; an on-site record at site also counts as a visit (patrol_visit, source 'record').
CREATE TABLE patrol_record (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shaft_id       bigint NOT NULL REFERENCES sealed_shaft (id),
    device_id      bigint REFERENCES device (id),
    person_name    text NOT NULL,
    kind           text NOT NULL DEFAULT 'on_site' CHECK (kind IN ('on_site', 'online')), -- 线上巡查 is online
    recorded_at    timestamptz NOT NULL,
    geom           geometry(Point, 4490),        -- NULL for online patrols
    accuracy_m     double precision CHECK (accuracy_m >= 0),
    distance_m     double precision CHECK (distance_m >= 0), -- geodesic, CGCS2000 ellipsoid
    at_site        boolean NOT NULL,
    seal_condition text NOT NULL CHECK (seal_condition IN ('intact', 'damaged', 'opened', 'signs_of_entry')),
    remarks        text,
    received_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (kind = 'online' OR geom IS NOT NULL)
);
CREATE INDEX patrol_record_shaft_idx ON patrol_record (shaft_id, recorded_at DESC);

CREATE TABLE patrol_record_photo (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_id   bigint NOT NULL REFERENCES patrol_record (id),
    media_type  text NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png')),
    size_bytes  integer NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 5242880),
    sha256      bytea NOT NULL,
    content     bytea NOT NULL
);
CREATE INDEX patrol_record_photo_record_idx ON patrol_record_photo (record_id);
