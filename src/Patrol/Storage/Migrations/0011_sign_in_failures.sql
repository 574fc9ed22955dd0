-- Failed sign-ins, per name as typed (an account or not) and client address. Sign-in is paused for a name from one
-- address after a few failures, for an address after more failures across names, and for a name from everywhere only
-- after many failures from several addresses: five wrong passwords from one machine no longer lock the administrator
-- out for everyone, and the answer is the same whether the account exists or not.
-- The per-account counter of migration 0006 is no longer used.
CREATE TABLE sign_in_failure (
    user_name      text NOT NULL,
    client_address text NOT NULL,
    failed_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failure_name_idx ON sign_in_failure (user_name, failed_at);
CREATE INDEX sign_in_failure_address_idx ON sign_in_failure (client_address, failed_at);
