-- One alarm table for every alarm kind in the product (越界, 超层, activity at a closed mine,
-- tailings reactivation, overdue patrols, monitoring thresholds…). A row is one episode of a
-- condition: it opens when the condition is confirmed, collects evidence while it lasts, and its
-- episode ends (ended_at) when the condition is over. Independently of that, people move the row
-- through the loop raised → acknowledged → verifying → closed; every move is an alarm_event row.
CREATE TABLE alarm (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         text NOT NULL,
    severity     text NOT NULL CHECK (severity IN ('blue', 'yellow', 'orange', 'red')),
    state        text NOT NULL DEFAULT 'raised' CHECK (state IN ('raised', 'acknowledged', 'verifying', 'closed')),
    object_kind  text NOT NULL,   -- mining_right, closed_mine, sealed_shaft, tailings_pond, device…
    object_id    bigint NOT NULL,
    device_id    bigint REFERENCES device (id),
    town_id      bigint REFERENCES jurisdiction (id),
    title        text NOT NULL,
    started_at   timestamptz NOT NULL,  -- first evidence
    last_seen_at timestamptz NOT NULL,  -- latest evidence
    ended_at     timestamptz,           -- condition over (e.g. the device was back inside long enough)
    evidence     jsonb NOT NULL DEFAULT '{}'::jsonb,
    assignee     text,                  -- who verifies on site (核查)
    deadline     timestamptz,           -- by when
    outcome      text CHECK (outcome IN ('confirmed', 'false_alarm', 'handled')),
    feedback     text,                  -- 核查反馈
    version      integer NOT NULL DEFAULT 1, -- optimistic concurrency for the loop
    raised_at    timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
-- At most one running episode per condition: no flood of duplicates.
CREATE UNIQUE INDEX alarm_one_running_episode ON alarm (kind, object_kind, object_id, coalesce(device_id, 0)) WHERE ended_at IS NULL;
CREATE INDEX alarm_open_idx ON alarm (state, raised_at) WHERE state <> 'closed';
CREATE INDEX alarm_town_idx ON alarm (town_id);

-- Append-only audit of the loop: who moved which alarm from what to what, when, and why.
CREATE TABLE alarm_event (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alarm_id   bigint NOT NULL REFERENCES alarm (id),
    at         timestamptz NOT NULL DEFAULT now(),
    actor      text NOT NULL,
    from_state text,
    to_state   text NOT NULL,
    note       text
);
CREATE INDEX alarm_event_alarm_idx ON alarm_event (alarm_id, at);
CREATE FUNCTION alarm_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'alarm_event is append-only';
END $$;
CREATE TRIGGER alarm_event_no_change BEFORE UPDATE OR DELETE ON alarm_event
    FOR EACH ROW EXECUTE FUNCTION alarm_event_append_only();

-- Per-device state of the position rules (dwell and debounce survive restarts) and per-job watermarks.
CREATE TABLE detection_state (
    device_id  bigint PRIMARY KEY REFERENCES device (id),
    state      jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE job_watermark (
    job        text PRIMARY KEY,
    upto       timestamptz NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
