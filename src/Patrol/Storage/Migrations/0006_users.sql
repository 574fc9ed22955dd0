-- Users of the web app and the API (sign-in and town scoping). Passwords are stored as ASP.NET Core
-- PasswordHasher hashes (PBKDF2), API tokens as SHA-256 of the token; neither is ever stored in clear.
CREATE TABLE app_user (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                 text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9_.@-]{1,64}$'),
    display_name         text,
    role                 text NOT NULL CHECK (role IN ('town_coordinator', 'county_bureau', 'tailings_reviewer', 'administrator')),
    password_hash        text NOT NULL,
    must_change_password boolean NOT NULL DEFAULT false,
    failed_sign_ins      integer NOT NULL DEFAULT 0,
    locked_until         timestamptz,
    disabled_at          timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);

-- The towns a town coordinator may see and change (other roles see every town).
CREATE TABLE app_user_town (
    user_id bigint NOT NULL REFERENCES app_user (id),
    town_id bigint NOT NULL REFERENCES jurisdiction (id),
    PRIMARY KEY (user_id, town_id)
);

-- Per-user API tokens for GIS clients and scripts (header or HTTP basic auth); revocable.
CREATE TABLE api_token (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES app_user (id),
    token_sha256 bytea NOT NULL UNIQUE,
    label        text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    last_used_at timestamptz
);
CREATE INDEX api_token_user_idx ON api_token (user_id);

-- Who did what to accounts: sign-ins, failures, lock-outs, tokens issued and revoked (append-only).
CREATE TABLE app_user_event (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id  bigint REFERENCES app_user (id),
    at       timestamptz NOT NULL DEFAULT now(),
    kind     text NOT NULL,
    actor    text,
    detail   text
);
CREATE INDEX app_user_event_user_idx ON app_user_event (user_id, at);
