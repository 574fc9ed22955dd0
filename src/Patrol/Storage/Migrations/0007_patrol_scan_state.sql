-- How far the patrol-visits job has scanned each patrol phone: the latest fix time it read, and where the next scan
-- must start so that a stop still going on at that fix is found whole (the first fix of the trailing run of fixes
-- near a shaft; the latest fix itself when it was near none). Fixes arriving in time order are then scanned from
-- there instead of from a fixed look-back; a fix older than scanned_upto falls back to the look-back.
CREATE TABLE patrol_scan_state (
    device_id    bigint PRIMARY KEY REFERENCES device (id),
    scanned_upto timestamptz NOT NULL,
    resume_from  timestamptz NOT NULL CHECK (resume_from <= scanned_upto)
);

-- The visits a rescan widens to and replaces are those of the device ending at or after the window's start: found
-- by this index without reading the device's older visits.
CREATE INDEX patrol_visit_device_left_idx ON patrol_visit (device_id, left_at);
