-- The page's alarm list is live: every alarm raised, and every change of its state or severity or its end, is announced
-- at commit on channel geomine_alarm (PostgreSQL NOTIFY, to every node's listener), with what a listener needs to decide
-- who may see it (the town) and how loudly (severity). The payload is small JSON; the page fetches the alarm itself.
CREATE FUNCTION alarm_changed_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.state IS DISTINCT FROM OLD.state OR NEW.severity IS DISTINCT FROM OLD.severity
       OR NEW.ended_at IS DISTINCT FROM OLD.ended_at THEN
        PERFORM pg_notify('geomine_alarm', json_build_object(
            'id', NEW.id, 'town_id', NEW.town_id, 'kind', NEW.kind, 'severity', NEW.severity, 'state', NEW.state,
            'change', CASE WHEN TG_OP = 'INSERT' THEN 'raised' ELSE 'changed' END)::text);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER alarm_changed AFTER INSERT OR UPDATE OF state, severity, ended_at ON alarm
    FOR EACH ROW EXECUTE FUNCTION alarm_changed_notify();
