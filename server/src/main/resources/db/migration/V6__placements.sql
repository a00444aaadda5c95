-- Placements: blocks of hosts carved out of a reservation, one server per host.
CREATE TABLE placement (
    id                  text PRIMARY KEY,
    name                text NOT NULL,
    description         text,
    tags                jsonb NOT NULL DEFAULT '[]'::jsonb,
    organization_id     text NOT NULL,
    project_id          text NOT NULL,
    reservation_id      text NOT NULL REFERENCES reservation (id),
    region_id           text NOT NULL,
    network_id          text NOT NULL,
    host_count          int  NOT NULL CHECK (host_count >= 1),
    policy              text NOT NULL CHECK (policy IN ('pack', 'spread')),
    max_skew            int,
    min_domains         int,
    when_unsatisfiable  text,
    readiness_mode      text,
    image_id            text NOT NULL,
    ssh_ca_id           text,
    networking          jsonb,
    user_data           text,
    update_type         text,
    max_unavailable     text,
    created_by          text,
    creation_time       timestamptz NOT NULL,
    modified_by         text,
    modified_time       timestamptz,
    provisioning_status text NOT NULL
        CHECK (provisioning_status IN ('pending', 'provisioning', 'provisioned', 'deprovisioning', 'error')),
    status_message      text,
    deletion_time       timestamptz
);
CREATE INDEX placement_reservation ON placement (reservation_id);
CREATE INDEX placement_scope ON placement (organization_id, project_id);

-- A host is in at most one live placement: the primary key makes a double booking impossible.
CREATE TABLE placement_host (
    infrastructure_ref text PRIMARY KEY REFERENCES host (infrastructure_ref),
    placement_id       text NOT NULL REFERENCES placement (id) ON DELETE CASCADE,
    reservation_id     text NOT NULL,
    domain_id          text NOT NULL,
    ordinal            int  NOT NULL,
    UNIQUE (placement_id, ordinal)
);
CREATE INDEX placement_host_reservation ON placement_host (reservation_id);
CREATE INDEX placement_host_domain ON placement_host (domain_id);

CREATE TABLE placement_server (
    id                   text PRIMARY KEY,
    placement_id         text NOT NULL REFERENCES placement (id) ON DELETE CASCADE,
    ordinal              int  NOT NULL,
    name                 text NOT NULL,
    infrastructure_ref   text NOT NULL,
    creation_time        timestamptz NOT NULL DEFAULT now(),
    created_at_provider  boolean NOT NULL DEFAULT false,
    power_state          text NOT NULL DEFAULT 'Pending',
    private_ip           text,
    public_ip            text,
    mac_address          text,
    image_id             text,
    desired_state        text NOT NULL DEFAULT 'Running',
    lifecycle_revision   bigint NOT NULL DEFAULT 1,
    operation_generation bigint NOT NULL DEFAULT 0,
    observed_generation  bigint NOT NULL DEFAULT 0,
    pending_operation    text,
    operation_issued     boolean NOT NULL DEFAULT false,
    ever_running         boolean NOT NULL DEFAULT false,
    UNIQUE (placement_id, ordinal)
);
