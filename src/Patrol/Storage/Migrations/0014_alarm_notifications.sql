-- Alarms reach people (监测预警 → 接报): every alarm raised, raised to a higher severity, or escalated up the jurisdiction
-- for want of acknowledgement becomes a notice. A trigger writes it in the transaction that changed the alarm, so no
-- writer (feed, job, API, another node) can raise an alarm without one, and an alarm rolled back leaves none.
CREATE TABLE alarm_notice (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alarm_id   bigint NOT NULL REFERENCES alarm (id) ON DELETE CASCADE,
    event      text NOT NULL CHECK (event IN ('raised', 'severity_raised', 'ack_escalated')),
    severity   text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    routed_at  timestamptz                    -- deliveries created for the channels configured then
);
CREATE INDEX alarm_notice_unrouted_idx ON alarm_notice (id) WHERE routed_at IS NULL;
CREATE INDEX alarm_notice_alarm_idx ON alarm_notice (alarm_id);

-- One delivery per notice and channel (unique: routed twice, sent once). A node takes a due delivery with
-- FOR UPDATE SKIP LOCKED and keeps the lock while it sends, so two nodes never send the same delivery.
CREATE TABLE notice_delivery (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    notice_id       bigint NOT NULL REFERENCES alarm_notice (id) ON DELETE CASCADE,
    channel         text NOT NULL,            -- Notifications:Channels name
    next_attempt_at timestamptz NOT NULL,     -- due; after quiet hours for what quiet hours hold back (never red)
    attempts        integer NOT NULL DEFAULT 0,
    delivered_at    timestamptz,
    failed_at       timestamptz,              -- gave up after the last attempt
    last_error      text,
    UNIQUE (notice_id, channel)
);
CREATE INDEX notice_delivery_due_idx ON notice_delivery (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;

-- Every attempt, shown with the alarm: what the peer answered, never a secret or a webhook address.
CREATE TABLE notice_attempt (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id  bigint NOT NULL REFERENCES notice_delivery (id) ON DELETE CASCADE,
    attempted_at timestamptz NOT NULL,
    node         text NOT NULL,
    ok           boolean NOT NULL,
    detail       text NOT NULL
);
CREATE INDEX notice_attempt_delivery_idx ON notice_attempt (delivery_id);

CREATE FUNCTION alarm_notice_on_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    levels CONSTANT text[] := ARRAY['blue', 'yellow', 'orange', 'red'];
    event text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        event := 'raised';
    ELSIF array_position(levels, NEW.severity) > array_position(levels, OLD.severity) THEN
        event := 'severity_raised';
    ELSIF jsonb_array_length(coalesce(NEW.evidence -> 'ack_escalations', '[]'::jsonb))
          > jsonb_array_length(coalesce(OLD.evidence -> 'ack_escalations', '[]'::jsonb)) THEN
        event := 'ack_escalated';
    END IF;
    IF event IS NOT NULL THEN
        INSERT INTO alarm_notice (alarm_id, event, severity) VALUES (NEW.id, event, NEW.severity);
        -- Wakes the delivery workers of every node at commit (LISTEN geomine_notice); they also poll.
        PERFORM pg_notify('geomine_notice', NEW.id::text);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER alarm_notice AFTER INSERT OR UPDATE OF severity, evidence ON alarm
    FOR EACH ROW EXECUTE FUNCTION alarm_notice_on_change();
