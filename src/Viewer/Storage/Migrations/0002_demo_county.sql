-- The demo county's lived-in layer (geomine demo load; geomine up on first run): who and what it added, so that
-- `geomine demo remove` takes exactly that away, and whether its recorded history has gone through the feed.
CREATE TABLE demo_load (
    id              integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    loaded_at       timestamptz NOT NULL DEFAULT now(),
    history_sent_at timestamptz                 -- the recorded days went through the position feed (once)
);

CREATE TABLE demo_object (
    kind text NOT NULL CHECK (kind IN ('person', 'device', 'assignment')),
    id   bigint NOT NULL,
    PRIMARY KEY (kind, id)
);
