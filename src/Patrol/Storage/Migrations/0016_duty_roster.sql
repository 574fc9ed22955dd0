-- 值班表: who is on duty for a town (or the county) from when to when. One officer per jurisdiction at any instant
-- (overlapping shifts are refused by the database). Alarm notifications address the officer on duty for the alarm's
-- town at the time of the notice, else the one of the jurisdiction above (Notifications recipient role duty_officer).
CREATE TABLE duty_shift (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    jurisdiction_id bigint NOT NULL REFERENCES jurisdiction (id),
    person_id       bigint NOT NULL REFERENCES person (id),
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at),
    EXCLUDE USING gist (jurisdiction_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
);
