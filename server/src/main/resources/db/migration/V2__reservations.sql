CREATE TABLE reservation (
    id                   text PRIMARY KEY,
    name                 text NOT NULL,
    description          text,
    tags                 jsonb NOT NULL DEFAULT '[]'::jsonb,
    organization_id      text NOT NULL,
    project_id           text NOT NULL,
    region_id            text NOT NULL,
    accelerator          text NOT NULL,
    unit                 text NOT NULL,
    unit_count           int  NOT NULL CHECK (unit_count >= 1),
    unit_type_id         bigint NOT NULL REFERENCES unit_type (id),
    pod_id               text NOT NULL REFERENCES pod (id),
    claimed_unit_count   int  NOT NULL CHECK (claimed_unit_count >= 0 AND claimed_unit_count <= unit_count),
    topology_hash        text NOT NULL,
    topology_observed_at timestamptz NOT NULL,
    created_by           text,
    creation_time        timestamptz NOT NULL,
    provisioning_status  text NOT NULL
        CHECK (provisioning_status IN ('pending', 'provisioning', 'provisioned', 'deprovisioning', 'error')),
    status_message       text,
    deletion_time        timestamptz
);
CREATE INDEX reservation_scope ON reservation (organization_id, project_id);

-- A unit is claimed by at most one live reservation: the primary key makes a double claim impossible,
-- whatever the code above it does.
CREATE TABLE unit_claim (
    domain_id      text PRIMARY KEY REFERENCES nvlink_domain (id),
    reservation_id text NOT NULL REFERENCES reservation (id) ON DELETE CASCADE,
    claimed_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX unit_claim_reservation ON unit_claim (reservation_id);
