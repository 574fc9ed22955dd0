-- When the patrol clock of a never-visited shaft starts: the start of its FIRST responsible person (seed 000 §(七): 不断档,
-- 不缺位). A handover, or a spell with nobody assigned, never restarts it: a shaft handed over on day 30 without ever
-- having been visited is 30 days into its interval, not 0. One definition for the overdue job, the shaft details, the map
-- tiles and the coverage figures. (A visited shaft's clock counts from its last visit; that is the caller's part.)
CREATE FUNCTION shaft_clock_start(shaft bigint, at timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT min(a.valid_from) FROM assignment a
    WHERE a.object_kind = 'sealed_shaft' AND a.object_id = shaft AND a.role = 'responsible_person' AND a.valid_from <= at
$$;
