-- Idempotency-Key records: a repeated create with the same key and body answers with the original resource.
CREATE TABLE idempotency_record (
    caller          text NOT NULL,
    operation       text NOT NULL,
    idempotency_key text NOT NULL,
    request_hash    text NOT NULL,
    resource_id     text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (caller, operation, idempotency_key)
);
CREATE INDEX idempotency_record_age ON idempotency_record (created_at);
