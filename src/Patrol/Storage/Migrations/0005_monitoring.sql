-- Online monitoring of tailings ponds (GB 39496-2020 5.5.2 items). Points are registered before
-- they may send; every value is stored in its item's canonical unit (see the CHECKs), converted on
-- ingest from the unit the sender named.
CREATE TABLE monitoring_point (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pond_id    bigint NOT NULL REFERENCES tailings_pond (id),
    code       text NOT NULL,
    item       text NOT NULL CHECK (item IN ('water_level', 'dry_beach_length', 'phreatic_depth', 'surface_displacement',
                                             'internal_displacement', 'rainfall', 'seepage', 'pore_pressure')),
    unit       text NOT NULL,  -- canonical unit of the item; every reading's value is in it
    geom       geometry(Point, 4490),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (pond_id, code),
    CHECK (unit = CASE item
        WHEN 'water_level' THEN 'm' WHEN 'dry_beach_length' THEN 'm' WHEN 'phreatic_depth' THEN 'm'
        WHEN 'surface_displacement' THEN 'mm' WHEN 'internal_displacement' THEN 'mm' WHEN 'rainfall' THEN 'mm'
        WHEN 'seepage' THEN 'L/s' WHEN 'pore_pressure' THEN 'kPa' END)
);

-- One row per point and measurement time: a re-sent reading is the same row (idempotent).
CREATE TABLE monitoring_reading (
    point_id    bigint NOT NULL REFERENCES monitoring_point (id),
    measured_at timestamptz NOT NULL,
    value       double precision NOT NULL CHECK (value = value AND value NOT IN ('Infinity', '-Infinity')),
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (point_id, measured_at)
);

-- Warning values per pond and item, given by the design unit (GB 39496-2020 5.5.4). 'above': a level is
-- reached when value >= its threshold (water level, displacement, rainfall, seepage, pore pressure);
-- 'below': when value <= its threshold (phreatic line too shallow, dry beach too short).
CREATE TABLE monitoring_threshold (
    pond_id    bigint NOT NULL REFERENCES tailings_pond (id),
    item       text NOT NULL CHECK (item IN ('water_level', 'dry_beach_length', 'phreatic_depth', 'surface_displacement',
                                             'internal_displacement', 'rainfall', 'seepage', 'pore_pressure')),
    blue       double precision,
    yellow     double precision,
    orange     double precision,
    red        double precision,
    direction  text NOT NULL CHECK (direction IN ('above', 'below')),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (pond_id, item),
    CHECK (coalesce(blue, yellow, orange, red) IS NOT NULL)
);

-- Latest evaluation: each point's newest reading and its level (NULL: no threshold for its item), and
-- each pond's comprehensive level with its item levels. Rewritten whenever readings or thresholds change.
CREATE TABLE monitoring_point_status (
    point_id     bigint PRIMARY KEY REFERENCES monitoring_point (id),
    measured_at  timestamptz,
    value        double precision,
    level        text CHECK (level IN ('normal', 'blue', 'yellow', 'orange', 'red')),
    evaluated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE monitoring_pond_status (
    pond_id      bigint PRIMARY KEY REFERENCES tailings_pond (id),
    level        text NOT NULL CHECK (level IN ('normal', 'blue', 'yellow', 'orange', 'red')),
    item_levels  jsonb NOT NULL DEFAULT '{}'::jsonb,  -- {"phreatic_depth": "yellow", …}
    evaluated_at timestamptz NOT NULL DEFAULT now()
);
