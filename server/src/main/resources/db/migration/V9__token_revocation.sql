-- Tokens of the embedded issuer that were revoked or invalidated before they expired, by their jti. Every replica
-- loads the unexpired rows every second and refuses those tokens; a row is useless once its token has expired,
-- and is purged then.
CREATE TABLE revoked_token (
    jti        text        PRIMARY KEY,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    client_id  text,
    reason     text        NOT NULL
);

CREATE INDEX revoked_token_expires_at ON revoked_token (expires_at);
