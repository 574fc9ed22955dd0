-- The tailings pond registry beyond what the first import carries: dam and crest data, construction
-- method, status dates, the 一库一策 plan, and the dated records the watch rules read — crest surveys,
-- approvals, inspections and class overrides. Class (等别) and 头顶库 are never stored: they are
-- computed from volume, height, flow path and facilities every time they are asked for.
ALTER TABLE tailings_pond
    ADD COLUMN dam_crest           geometry(LineString, 4490),
    ADD COLUMN design_crest_m      double precision,  -- design final crest elevation (m, 1985 national height datum)
    ADD COLUMN construction_method text CHECK (construction_method IN ('upstream', 'downstream', 'centerline', 'other')),
    ADD COLUMN closed_on           date,              -- 闭库 (closure works accepted)
    ADD COLUMN deregistered_on     date,              -- 闭库销号
    ADD COLUMN plan_ref            text;              -- 一库一策: document number or file reference
CREATE INDEX tailings_pond_dam_crest_idx ON tailings_pond USING gist (dam_crest);

-- Crest elevation surveys, dated: the latest one on or before a day is the pond's current crest.
CREATE TABLE tailings_crest_survey (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pond_id     bigint NOT NULL REFERENCES tailings_pond (id),
    surveyed_on date NOT NULL,
    crest_m     double precision NOT NULL,  -- elevation (m)
    source      text,                       -- surveyor, report number, satellite product…
    recorded_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (pond_id, surveyed_on)
);

-- Approvals that make a change legal: a dam raise up to crest_m, a change of construction method, a restart.
CREATE TABLE tailings_approval (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pond_id     bigint NOT NULL REFERENCES tailings_pond (id),
    kind        text NOT NULL CHECK (kind IN ('dam_raise', 'method_change', 'reactivation', 'closure')),
    approved_on date NOT NULL,
    crest_m     double precision,           -- for dam_raise: the approved crest elevation (m)
    document    text NOT NULL,              -- approval document number
    recorded_at timestamptz NOT NULL DEFAULT now(),
    CHECK (kind <> 'dam_raise' OR crest_m IS NOT NULL)
);
CREATE INDEX tailings_approval_pond_idx ON tailings_approval (pond_id, kind, approved_on);

-- Inspections done: 汛前检查, 调洪演算, spot checks (抽查).
CREATE TABLE tailings_inspection (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pond_id     bigint NOT NULL REFERENCES tailings_pond (id),
    kind        text NOT NULL CHECK (kind IN ('pre_flood', 'flood_routing', 'spot_check')),
    done_on     date NOT NULL,
    inspector   text NOT NULL,
    findings    text,
    document    text,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tailings_inspection_pond_idx ON tailings_inspection (pond_id, kind, done_on);

-- Class 一 is given only by an explicit override with a reason (GB 50863 conditions); any override is
-- kept here, append-only, newest wins; class NULL withdraws the override.
CREATE TABLE tailings_class_override (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pond_id    bigint NOT NULL REFERENCES tailings_pond (id),
    class      smallint CHECK (class BETWEEN 1 AND 5),
    reason     text NOT NULL CHECK (length(trim(reason)) > 0),
    actor      text NOT NULL,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tailings_class_override_pond_idx ON tailings_class_override (pond_id, at);
CREATE FUNCTION tailings_class_override_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'tailings_class_override is append-only';
END $$;
CREATE TRIGGER tailings_class_override_no_change BEFORE UPDATE OR DELETE ON tailings_class_override
    FOR EACH ROW EXECUTE FUNCTION tailings_class_override_append_only();
