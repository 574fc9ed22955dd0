-- Each block (采区) of a licence keeps its own elevation band: a licence with 远东采区 363…10 m and 西采区 280…−120 m is
-- two bands, and 超层 is checked against the band of the block that holds the fix. Written by the licence importer
-- with the right; a change of the right's boundary by any other import removes them (the trigger), so blocks never
-- disagree with the boundary. mining_right.upper_m/lower_m stay the widest band over the blocks, for lists.
CREATE TABLE mining_right_block (
    mining_right_id bigint NOT NULL REFERENCES mining_right (id) ON DELETE CASCADE,
    block_no        integer NOT NULL,
    name            text NOT NULL,
    upper_m         double precision NOT NULL,
    lower_m         double precision NOT NULL,
    geom            geometry(MultiPolygon, 4490) NOT NULL,
    PRIMARY KEY (mining_right_id, block_no),
    CHECK (upper_m >= lower_m)
);
CREATE INDEX mining_right_block_geom_idx ON mining_right_block USING gist (geom);

CREATE FUNCTION mining_right_boundary_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM mining_right_block WHERE mining_right_id = NEW.id;
    RETURN NEW;
END $$;
CREATE TRIGGER mining_right_boundary_changed AFTER UPDATE OF geom ON mining_right
    FOR EACH ROW WHEN (OLD.geom IS DISTINCT FROM NEW.geom) EXECUTE FUNCTION mining_right_boundary_changed();

-- Many boundary datasets carry no elevation band: such a right is stored with the band unknown (both NULL), and 超层 is
-- not checked for it until a licence text gives one.
ALTER TABLE mining_right ALTER COLUMN upper_m DROP NOT NULL, ALTER COLUMN lower_m DROP NOT NULL;
ALTER TABLE mining_right ADD CONSTRAINT mining_right_band_whole CHECK ((upper_m IS NULL) = (lower_m IS NULL));
