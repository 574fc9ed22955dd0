-- The host's own migrations (module "host"): tables of the web app rather than of the surveillance model. Users,
-- sessions and tokens were created by patrol/0006; their later changes go here.
--
-- ASP.NET Core Data Protection keys (the keys that sign session cookies and anti-forgery tokens), kept in the one store
-- so that every app node behind the proxy accepts a session signed in on any other, and a restart keeps sessions valid.
CREATE TABLE data_protection_key (
    id            bigserial   PRIMARY KEY,
    friendly_name text        NOT NULL UNIQUE,
    xml           text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
