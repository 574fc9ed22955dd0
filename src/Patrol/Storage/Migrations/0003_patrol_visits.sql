-- Patrol visits (巡查到位): a patrol phone that stayed at a sealed shaft, found in its track, or a visit
-- recorded by hand (source 'record', e.g. from a paper patrol log). The overdue job reads the latest
-- visit per shaft. Track visits are recomputed (deleted and re-inserted) when a device's positions
-- in their time range are rescanned, so they carry no foreign key from elsewhere.
CREATE TABLE patrol_visit (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shaft_id       bigint NOT NULL REFERENCES sealed_shaft (id),
    device_id      bigint REFERENCES device (id),
    person_id      bigint REFERENCES person (id),  -- the device's owner when known
    arrived_at     timestamptz NOT NULL,           -- first fix within the visit radius
    left_at        timestamptz NOT NULL,           -- last fix within it
    min_distance_m double precision CHECK (min_distance_m >= 0), -- geodesic, metres, CGCS2000 ellipsoid
    fixes          integer CHECK (fixes > 0),
    source         text NOT NULL CHECK (source IN ('track', 'record')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (left_at >= arrived_at),
    CHECK (source = 'record' OR device_id IS NOT NULL)
);
CREATE INDEX patrol_visit_shaft_idx ON patrol_visit (shaft_id, arrived_at DESC);
CREATE INDEX patrol_visit_device_idx ON patrol_visit (device_id, arrived_at);
