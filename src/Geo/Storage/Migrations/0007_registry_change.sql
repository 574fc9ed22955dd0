-- Every change of a registry field made by a person (the map page's forms, PATCH /api/registry/...): which record,
-- which field, from what to what, who, why, when. Append-only, like the alarm audit: nobody rewrites what was changed.
CREATE TABLE registry_change (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    layer      text NOT NULL,             -- the layer catalog's name: shafts, closed-mines…
    object_key text NOT NULL,             -- the record's code
    field      text NOT NULL,             -- the catalog's field name (status, seal_meth…)
    old_value  text,
    new_value  text,
    actor      text NOT NULL,
    reason     text NOT NULL,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX registry_change_object_idx ON registry_change (layer, object_key, at);
CREATE FUNCTION registry_change_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'registry_change is append-only';
END $$;
CREATE TRIGGER registry_change_no_change BEFORE UPDATE OR DELETE ON registry_change
    FOR EACH ROW EXECUTE FUNCTION registry_change_append_only();
