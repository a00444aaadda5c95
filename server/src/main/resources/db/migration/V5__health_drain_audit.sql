-- Host health has two sources: what the platform reports and what operators say. A host is healthy only
-- when both agree; `healthy` stays the one column that claims and counters look at.
ALTER TABLE host
    ADD COLUMN provider_healthy boolean NOT NULL DEFAULT true,
    ADD COLUMN operator_faulty  boolean NOT NULL DEFAULT false,
    ADD COLUMN health_reason    text,
    ADD COLUMN health_changed_at timestamptz;

-- A draining domain takes no new claims; existing claims stay.
ALTER TABLE nvlink_domain ADD COLUMN draining boolean NOT NULL DEFAULT false;

-- What happened, for operators and auditors: every change the service makes on its own (a unit swapped for a
-- failed one) and, later, every mutating request.
CREATE TABLE audit_event (
    id              bigserial PRIMARY KEY,
    occurred_at     timestamptz NOT NULL DEFAULT now(),
    actor           text NOT NULL,
    client_id       text,
    organization_id text,
    project_id      text,
    resource_kind   text NOT NULL,
    resource_id     text,
    verb            text NOT NULL,
    result_status   int,
    trace_id        text,
    detail          text
);
CREATE INDEX audit_event_time ON audit_event (occurred_at);
CREATE INDEX audit_event_organization ON audit_event (organization_id, occurred_at);
CREATE INDEX audit_event_actor ON audit_event (actor, occurred_at);

-- Units a reservation let go of that the platform has not yet taken back. They are free for new claims at
-- once; the reconciler releases them at the provider.
CREATE TABLE unit_release (
    domain_id      text PRIMARY KEY REFERENCES nvlink_domain (id),
    reservation_id text NOT NULL,
    requested_at   timestamptz NOT NULL DEFAULT now()
);

-- Why a degraded reservation could not heal itself (no spare unit in its pod, a unit still in use), shown to
-- its owner in healthStatusDetail.
ALTER TABLE reservation ADD COLUMN health_note text;

-- Whether the platform has prepared the claimed unit for its reservation: provisioning resumes from here
-- after a crash, and a unit swapped in for a failed one is prepared the same way.
ALTER TABLE unit_claim ADD COLUMN prepared boolean NOT NULL DEFAULT false;
