-- Reconciler work. One row per resource that needs converging; any replica claims rows with
-- FOR UPDATE SKIP LOCKED and holds a lease while it works. A new request for the same resource bumps
-- the generation, so a worker that finishes an older generation leaves the row for another pass.
CREATE TABLE work_item (
    kind         text   NOT NULL,
    resource_id  text   NOT NULL,
    generation   bigint NOT NULL DEFAULT 1,
    not_before   timestamptz NOT NULL DEFAULT now(),
    leased_until timestamptz,
    leased_by    text,
    attempts     int    NOT NULL DEFAULT 0,
    last_reason  text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, resource_id)
);
CREATE INDEX work_item_due ON work_item (not_before);
