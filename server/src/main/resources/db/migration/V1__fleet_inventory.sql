-- The physical inventory: region -> unit type (what the region offers) -> pod -> NVLink domain -> host.
CREATE TABLE region (
    id   text PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE unit_type (
    id                          bigserial PRIMARY KEY,
    region_id                   text NOT NULL REFERENCES region (id),
    accelerator                 text NOT NULL,
    unit                        text NOT NULL,
    machine_flavor_id           text NOT NULL,
    device_type_resource_class  text NOT NULL,
    hosts_per_unit              int  NOT NULL CHECK (hosts_per_unit >= 1),
    host_cpus                   int  NOT NULL CHECK (host_cpus >= 0),
    host_memory_gib             int  NOT NULL CHECK (host_memory_gib >= 0),
    host_disk_gb                int  NOT NULL CHECK (host_disk_gb >= 0),
    host_architecture           text NOT NULL,
    gpu_vendor                  text NOT NULL,
    gpu_model                   text NOT NULL,
    gpu_physical_count          int  NOT NULL CHECK (gpu_physical_count >= 0),
    gpu_logical_count           int  NOT NULL CHECK (gpu_logical_count >= 0),
    gpu_memory_gib              int  NOT NULL CHECK (gpu_memory_gib >= 0),
    UNIQUE (region_id, accelerator, unit)
);

CREATE TABLE pod (
    id           text PRIMARY KEY,
    unit_type_id bigint NOT NULL REFERENCES unit_type (id),
    name         text NOT NULL,
    position     int  NOT NULL
);
CREATE INDEX pod_unit_type ON pod (unit_type_id);

CREATE TABLE nvlink_domain (
    id       text PRIMARY KEY,
    pod_id   text NOT NULL REFERENCES pod (id),
    name     text NOT NULL,
    position int  NOT NULL,
    -- kept by the trigger below, so allocation and the catalog need not scan every host
    unhealthy_hosts int NOT NULL DEFAULT 0 CHECK (unhealthy_hosts >= 0),
    UNIQUE (pod_id, position) DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE host (
    infrastructure_ref text PRIMARY KEY,
    domain_id          text NOT NULL REFERENCES nvlink_domain (id),
    position           int  NOT NULL,
    healthy            boolean NOT NULL DEFAULT true
);
CREATE INDEX host_domain ON host (domain_id);

CREATE FUNCTION host_health_counter() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND NOT OLD.healthy THEN
        UPDATE nvlink_domain SET unhealthy_hosts = unhealthy_hosts - 1 WHERE id = OLD.domain_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NOT NEW.healthy THEN
        UPDATE nvlink_domain SET unhealthy_hosts = unhealthy_hosts + 1 WHERE id = NEW.domain_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER host_health_counter
    AFTER INSERT OR DELETE OR UPDATE OF healthy, domain_id ON host
    FOR EACH ROW EXECUTE FUNCTION host_health_counter();
