-- The patrol-overdue job's per-shaft state, so that a run re-rates only the shafts whose rating can have changed
-- instead of all of them (100 000 shafts every five minutes).
--
-- shaft_patrol_rating: each shaft as of the job's last rating of it. recheck_at is the next instant at which time
-- alone changes the rating or its inputs: due soon, due, escalation, an assignment starting or ending, a visit
-- recorded for a later time. A run re-rates the shafts whose recheck_at has come, plus those in shaft_patrol_dirty.
-- Readers (the map's overview tiles) may take a stored rating as the rating at any time before recheck_at, as long as
-- the shaft is not in shaft_patrol_dirty and the run's settings are the current ones.
CREATE TABLE shaft_patrol_rating (
    shaft_id      bigint PRIMARY KEY REFERENCES sealed_shaft (id) ON DELETE CASCADE,
    rated_at      timestamptz NOT NULL,
    status        text NOT NULL CHECK (status IN ('never_visited', 'ok', 'due_soon', 'overdue')),
    last_visit_at timestamptz,
    due_at        timestamptz,
    escalated     boolean NOT NULL,
    assigned      boolean NOT NULL,      -- has a responsible person (一对一责任人)
    recheck_at    timestamptz            -- null: only a change of its inputs changes the rating
);
CREATE INDEX shaft_patrol_rating_recheck_idx ON shaft_patrol_rating (recheck_at);

-- Shafts whose inputs changed since the job last read this table: filled by the triggers below in the changing
-- transaction, emptied by the job in its own. Duplicates are harmless.
CREATE TABLE shaft_patrol_dirty (
    shaft_id bigint NOT NULL
);
CREATE INDEX shaft_patrol_dirty_shaft_idx ON shaft_patrol_dirty (shaft_id);

-- When the job last ran and with which interval settings: a run earlier than the last one, or with other settings,
-- re-rates every shaft.
CREATE TABLE patrol_rating_run (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    rated_at  timestamptz NOT NULL,
    settings  text NOT NULL
);

-- Visits: arrivals (and track visits replaced by a rescan).
CREATE FUNCTION shaft_patrol_dirty_visit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO shaft_patrol_dirty SELECT DISTINCT shaft_id FROM new_rows;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO shaft_patrol_dirty SELECT DISTINCT shaft_id FROM old_rows;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER patrol_visit_dirty_insert AFTER INSERT ON patrol_visit REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION shaft_patrol_dirty_visit();
CREATE TRIGGER patrol_visit_dirty_update AFTER UPDATE ON patrol_visit REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION shaft_patrol_dirty_visit();
CREATE TRIGGER patrol_visit_dirty_delete AFTER DELETE ON patrol_visit REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION shaft_patrol_dirty_visit();

-- Assignments: a shaft's responsible person and lead leader, and its mine's lead leader (the shaft's fallback).
CREATE FUNCTION shaft_patrol_dirty_assignment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO shaft_patrol_dirty
        SELECT n.object_id FROM new_rows n WHERE n.object_kind = 'sealed_shaft' AND n.role IN ('responsible_person', 'lead_leader')
        UNION
        SELECT s.id FROM new_rows n JOIN sealed_shaft s ON s.mine_id = n.object_id WHERE n.object_kind = 'closed_mine' AND n.role = 'lead_leader';
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO shaft_patrol_dirty
        SELECT o.object_id FROM old_rows o WHERE o.object_kind = 'sealed_shaft' AND o.role IN ('responsible_person', 'lead_leader')
        UNION
        SELECT s.id FROM old_rows o JOIN sealed_shaft s ON s.mine_id = o.object_id WHERE o.object_kind = 'closed_mine' AND o.role = 'lead_leader';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER assignment_dirty_insert AFTER INSERT ON assignment REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION shaft_patrol_dirty_assignment();
CREATE TRIGGER assignment_dirty_update AFTER UPDATE ON assignment REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION shaft_patrol_dirty_assignment();
CREATE TRIGGER assignment_dirty_delete AFTER DELETE ON assignment REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION shaft_patrol_dirty_assignment();

-- Mines: status and risk class set the interval, the name is in the alarm's title.
CREATE FUNCTION shaft_patrol_dirty_mine() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO shaft_patrol_dirty
    SELECT s.id FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN sealed_shaft s ON s.mine_id = n.id
    WHERE (n.closure_status, n.risk_class, n.name) IS DISTINCT FROM (o.closure_status, o.risk_class, o.name);
    RETURN NULL;
END $$;
CREATE TRIGGER closed_mine_dirty_update AFTER UPDATE ON closed_mine REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION shaft_patrol_dirty_mine();

-- Shafts: a new shaft, or one whose code (per-shaft intervals) or mine changed.
CREATE FUNCTION shaft_patrol_dirty_shaft() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO shaft_patrol_dirty SELECT id FROM new_rows;
    ELSE
        INSERT INTO shaft_patrol_dirty
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE (n.code, n.mine_id) IS DISTINCT FROM (o.code, o.mine_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER sealed_shaft_dirty_insert AFTER INSERT ON sealed_shaft REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION shaft_patrol_dirty_shaft();
CREATE TRIGGER sealed_shaft_dirty_update AFTER UPDATE ON sealed_shaft REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION shaft_patrol_dirty_shaft();
