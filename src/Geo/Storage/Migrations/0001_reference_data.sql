-- GeoMine reference data. Every geometry is CGCS2000 geographic, EPSG:4490 (lon, lat degrees).
-- Elevations are metres above the 1985 national height datum. Natural keys (code) make imports
-- idempotent: re-importing a layer updates rows with the same code.
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE jurisdiction (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code       text NOT NULL UNIQUE,
    name       text NOT NULL,
    level      text NOT NULL CHECK (level IN ('province', 'city', 'county', 'town', 'village')),
    parent_id  bigint REFERENCES jurisdiction (id),
    geom       geometry(MultiPolygon, 4490) NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jurisdiction_geom_idx ON jurisdiction USING gist (geom);
CREATE INDEX jurisdiction_parent_idx ON jurisdiction (parent_id);
CREATE INDEX jurisdiction_level_name_idx ON jurisdiction (level, name);

-- 关闭煤矿: a closed (or closing / stopped) mine, its area or, when only that is known, a point.
CREATE TABLE closed_mine (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code                  text NOT NULL UNIQUE,
    name                  text NOT NULL,
    town_id               bigint REFERENCES jurisdiction (id),
    closure_decision_date date,
    closure_status        text NOT NULL DEFAULT 'closed'
                          CHECK (closure_status IN ('closing', 'closed', 'sealed', 'stopped')),
    mineral               text,
    geom                  geometry(Geometry, 4490) NOT NULL
                          CHECK (geometrytype(geom) IN ('POINT', 'POLYGON', 'MULTIPOLYGON')),
    updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX closed_mine_geom_idx ON closed_mine USING gist (geom);
CREATE INDEX closed_mine_town_idx ON closed_mine (town_id);

-- 封闭井口: a sealed shaft (adit, inclined or vertical shaft) of a closed mine.
CREATE TABLE sealed_shaft (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code               text NOT NULL UNIQUE,
    mine_id            bigint NOT NULL REFERENCES closed_mine (id),
    name               text,
    geom               geometry(Point, 4490) NOT NULL,
    collar_elevation_m double precision,
    seal_date          date,
    seal_method        text,
    status             text NOT NULL DEFAULT 'intact'
                       CHECK (status IN ('intact', 'damaged', 'opened', 'backfilled')),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sealed_shaft_geom_idx ON sealed_shaft USING gist (geom);
CREATE INDEX sealed_shaft_mine_idx ON sealed_shaft (mine_id);

-- 采矿权: a mining right, its licensed area (矿区范围) and licensed elevation range (开采标高).
CREATE TABLE mining_right (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    licence_no  text NOT NULL UNIQUE,
    holder      text,
    mine_name   text,
    mineral     text,
    valid_from  date,
    valid_to    date,
    upper_m     double precision NOT NULL,
    lower_m     double precision NOT NULL,
    town_id     bigint REFERENCES jurisdiction (id),
    geom        geometry(MultiPolygon, 4490) NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (upper_m >= lower_m),
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
);
CREATE INDEX mining_right_geom_idx ON mining_right USING gist (geom);

-- 尾矿库: a tailings pond. Storage in 10 000 m³ (万m³) as in the regulations, dam height in metres.
CREATE TABLE tailings_pond (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code                 text NOT NULL UNIQUE,
    name                 text NOT NULL,
    operator             text,
    town_id              bigint REFERENCES jurisdiction (id),
    status               text NOT NULL DEFAULT 'in_use'
                         CHECK (status IN ('in_use', 'disused', 'closed', 'deregistered', 'no_operator')),
    disused_since        date,
    total_storage_10k_m3 double precision CHECK (total_storage_10k_m3 >= 0),
    dam_height_m         double precision CHECK (dam_height_m >= 0),
    geom                 geometry(MultiPolygon, 4490) NOT NULL,
    dam_toe              geometry(Point, 4490),
    flow_path            geometry(LineString, 4490),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tailings_pond_geom_idx ON tailings_pond USING gist (geom);
CREATE INDEX tailings_pond_flow_path_idx ON tailings_pond USING gist (flow_path);
CREATE INDEX tailings_pond_dam_toe_idx ON tailings_pond USING gist (dam_toe);

-- Residents and important facilities that matter downstream of tailings ponds (头顶库).
CREATE TABLE facility (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code       text NOT NULL UNIQUE,
    name       text NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('residential', 'school', 'hospital', 'factory', 'other')),
    population integer CHECK (population >= 0),
    town_id    bigint REFERENCES jurisdiction (id),
    geom       geometry(Geometry, 4490) NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX facility_geom_idx ON facility USING gist (geom);

CREATE TABLE person (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL,
    phone        text,
    organisation text,
    post         text,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Dated responsibility (包保 / 一对一). valid_to NULL = current. One holder per object and role at
-- any instant (patrol team members excepted): overlapping periods are refused by the database.
CREATE TABLE assignment (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id   bigint NOT NULL REFERENCES person (id),
    role        text NOT NULL CHECK (role IN ('lead_leader', 'responsible_person', 'village_cadre',
                                              'government_leader', 'regulator', 'enterprise_principal',
                                              'patrol_member')),
    object_kind text NOT NULL CHECK (object_kind IN ('sealed_shaft', 'closed_mine', 'tailings_pond', 'town')),
    object_id   bigint NOT NULL,
    valid_from  timestamptz NOT NULL,
    valid_to    timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_to IS NULL OR valid_to > valid_from),
    EXCLUDE USING gist (object_kind WITH =, object_id WITH =, role WITH =,
                        tstzrange(valid_from, valid_to) WITH &&) WHERE (role <> 'patrol_member')
);
CREATE INDEX assignment_object_idx ON assignment (object_kind, object_id);
CREATE INDEX assignment_person_idx ON assignment (person_id);

-- What was imported, from which file, when: the audit trail of reference data.
CREATE TABLE import_log (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    layer         text NOT NULL,
    source        text NOT NULL,
    source_crs    text,
    encoding      text,
    feature_count integer NOT NULL,
    imported_at   timestamptz NOT NULL DEFAULT now()
);
