-- Platform work Ringfence wants done, by key. A provisioner records its intent here ('wanted') in the same
-- transaction as it decides; dispatching starts wanted work at the platform while fewer than the platform's
-- bound are in flight in the region ('started'), and later passes record how it ended. After a crash, started
-- work is found again by its key and nothing is started twice: the platform's start is idempotent per key.
CREATE TABLE platform_operation (
    kind         text        NOT NULL,
    target       text        NOT NULL,
    owner        text        NOT NULL,
    generation   bigint      NOT NULL,
    region_id    text        NOT NULL,
    operation    jsonb       NOT NULL,
    state        text        NOT NULL DEFAULT 'wanted'
                             CHECK (state IN ('wanted', 'started', 'succeeded', 'failed')),
    attempts     int         NOT NULL DEFAULT 0,
    requested_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    started_at   timestamptz,
    started_by   text,
    expected_by  timestamptz,
    failure      text,
    PRIMARY KEY (kind, target, owner, generation)
);
CREATE INDEX platform_operation_wanted ON platform_operation (region_id, requested_at) WHERE state = 'wanted';
CREATE INDEX platform_operation_started ON platform_operation (region_id, owner) WHERE state = 'started';
CREATE INDEX platform_operation_owner ON platform_operation (owner);
