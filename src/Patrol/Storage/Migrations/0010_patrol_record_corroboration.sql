-- Who filed a patrol record and what corroborates it. A record is evidence of a visit only when it was made at the
-- site and something beyond the filer's word places the person there: the patrol phone's own token (the record came
-- from the phone, with the phone's GPS), or a fix of the person's phone near the shaft around the record's time.
-- Records typed in a browser without such a fix are kept and shown as not corroborated; they are not visits.
-- Rows written before this migration were taken without authentication: they are marked 'none' (not corroborated).
ALTER TABLE patrol_record
    ADD COLUMN filed_by        text NOT NULL DEFAULT 'unknown (before 2026-12)', -- signed-in user's actor name, or 'phone <key>'
    ADD COLUMN filed_by_phone  boolean NOT NULL DEFAULT false,                  -- the phone itself, with its token
    ADD COLUMN corroboration   text NOT NULL DEFAULT 'none'
                               CHECK (corroboration IN ('phone_token', 'phone_fix', 'none')),
    ADD COLUMN corroborating_device_id bigint REFERENCES device (id),            -- phone_fix: whose fix
    ADD COLUMN corroborating_fix_time  timestamptz,                             -- phone_fix: the fix's time
    ADD COLUMN corroborating_fix_distance_m double precision;                   -- phone_fix: geodesic, metres from the shaft
