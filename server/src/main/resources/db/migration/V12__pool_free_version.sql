-- The version of each capacity pool's free set, so that a replica may keep the pool's free units in memory
-- between creates and know, under the pool lock, whether they are still what the database holds.
--
-- Every transaction that changes what ReservationStore.freeUnits would return for a pool (a claim, a pending
-- release or a booking of one of its domains; a domain's health, draining, pod or position; a pod moved to
-- another unit type) gives the pool a fresh version from a sequence, so a rolled-back transaction's version is
-- never seen again. Time also changes the free set (a booking that ends frees its unit without any row
-- changing): the service bounds how long it trusts a cached set instead (ReservationStore.freeUnitsValidUntil).
--
-- The version is a row of its own, not a column of unit_type: the pool lock (SELECT ... FOR NO KEY UPDATE on
-- unit_type) must not be taken by every release, health report or drain. The triggers are deferred to commit:
-- the version row stays locked from the bump until the transaction ends, and bumping last means a transaction
-- holds that lock only while it commits, never while it waits for anything else.
CREATE SEQUENCE pool_free_version_seq;

CREATE TABLE pool_free_version (
    unit_type_id     bigint PRIMARY KEY,  -- no foreign key: a pool removed by a manifest may still be bumped
    version          bigint NOT NULL,
    -- the version the last bumping transaction found: a create compares it with the version it read under the
    -- pool lock, to know that no other change committed in between
    previous_version bigint NOT NULL,
    changed_by       bigint NOT NULL       -- txid_current() of that transaction: one bump per transaction
);

CREATE FUNCTION pool_free_version_bump(pool bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO pool_free_version AS v (unit_type_id, version, previous_version, changed_by)
    VALUES (pool, nextval('pool_free_version_seq'), 0, txid_current())
    ON CONFLICT (unit_type_id) DO UPDATE
    SET previous_version = v.version, version = excluded.version, changed_by = excluded.changed_by
    WHERE v.changed_by <> excluded.changed_by
$$;

-- A create's own bump, in one round trip under the pool lock: the new version if the version it replaced is the
-- one the create decided on (no other change committed in between), else null.
CREATE FUNCTION pool_free_version_take(pool bigint, expected_previous bigint) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    taken bigint;
BEGIN
    PERFORM pool_free_version_bump(pool);
    SELECT v.version INTO taken FROM pool_free_version v
    WHERE v.unit_type_id = pool AND v.previous_version = expected_previous AND v.changed_by = txid_current();
    RETURN taken;
END;
$$;

-- When the pool can no longer be found (a domain or pod removed by a manifest), every pool moves on.
CREATE FUNCTION pool_free_version_bump_all() RETURNS void LANGUAGE sql AS $$
    UPDATE pool_free_version
    SET previous_version = version, version = nextval('pool_free_version_seq'), changed_by = txid_current()
    WHERE changed_by <> txid_current()
$$;

CREATE FUNCTION pool_free_version_bump_pod(pod_id text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    pool bigint;
BEGIN
    SELECT p.unit_type_id INTO pool FROM pod p WHERE p.id = pod_id;
    IF FOUND THEN
        PERFORM pool_free_version_bump(pool);
    ELSE
        PERFORM pool_free_version_bump_all();
    END IF;
END;
$$;

CREATE FUNCTION pool_free_version_bump_domain(domain_id text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    pool bigint;
BEGIN
    SELECT p.unit_type_id INTO pool FROM nvlink_domain d JOIN pod p ON p.id = d.pod_id WHERE d.id = domain_id;
    IF FOUND THEN
        PERFORM pool_free_version_bump(pool);
    ELSE
        PERFORM pool_free_version_bump_all();
    END IF;
END;
$$;

-- unit_claim, unit_release, unit_booking
CREATE FUNCTION pool_free_version_holding_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM pool_free_version_bump_domain(OLD.domain_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM pool_free_version_bump_domain(NEW.domain_id);
    END IF;
    RETURN NULL;
END;
$$;

CREATE FUNCTION pool_free_version_domain_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM pool_free_version_bump_pod(OLD.pod_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM pool_free_version_bump_pod(NEW.pod_id);
    END IF;
    RETURN NULL;
END;
$$;

CREATE FUNCTION pool_free_version_pod_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM pool_free_version_bump(OLD.unit_type_id);
    END IF;
    IF TG_OP = 'UPDATE' THEN
        PERFORM pool_free_version_bump(NEW.unit_type_id);
    END IF;
    RETURN NULL;
END;
$$;

CREATE FUNCTION pool_free_version_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pool_free_version_bump_all();
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER unit_claim_free_version AFTER INSERT OR DELETE ON unit_claim
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pool_free_version_holding_changed();
-- a unit prepared for its reservation changes nothing free
CREATE CONSTRAINT TRIGGER unit_claim_free_version_update AFTER UPDATE ON unit_claim
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.domain_id IS DISTINCT FROM NEW.domain_id)
    EXECUTE FUNCTION pool_free_version_holding_changed();

CREATE CONSTRAINT TRIGGER unit_release_free_version AFTER INSERT OR DELETE ON unit_release
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pool_free_version_holding_changed();
CREATE CONSTRAINT TRIGGER unit_release_free_version_update AFTER UPDATE ON unit_release
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.domain_id IS DISTINCT FROM NEW.domain_id)
    EXECUTE FUNCTION pool_free_version_holding_changed();

CREATE CONSTRAINT TRIGGER unit_booking_free_version AFTER INSERT OR DELETE ON unit_booking
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pool_free_version_holding_changed();
CREATE CONSTRAINT TRIGGER unit_booking_free_version_update AFTER UPDATE ON unit_booking
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.domain_id IS DISTINCT FROM NEW.domain_id OR OLD.during IS DISTINCT FROM NEW.during)
    EXECUTE FUNCTION pool_free_version_holding_changed();

CREATE CONSTRAINT TRIGGER nvlink_domain_free_version AFTER INSERT OR DELETE ON nvlink_domain
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pool_free_version_domain_changed();
CREATE CONSTRAINT TRIGGER nvlink_domain_free_version_update AFTER UPDATE ON nvlink_domain
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN ((OLD.unhealthy_hosts = 0) IS DISTINCT FROM (NEW.unhealthy_hosts = 0)
          OR OLD.draining IS DISTINCT FROM NEW.draining
          OR OLD.pod_id IS DISTINCT FROM NEW.pod_id OR OLD.position IS DISTINCT FROM NEW.position)
    EXECUTE FUNCTION pool_free_version_domain_changed();

CREATE CONSTRAINT TRIGGER pod_free_version AFTER DELETE ON pod
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pool_free_version_pod_changed();
CREATE CONSTRAINT TRIGGER pod_free_version_update AFTER UPDATE ON pod
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.unit_type_id IS DISTINCT FROM NEW.unit_type_id)
    EXECUTE FUNCTION pool_free_version_pod_changed();

CREATE TRIGGER unit_claim_free_version_truncate AFTER TRUNCATE ON unit_claim
    FOR EACH STATEMENT EXECUTE FUNCTION pool_free_version_truncated();
CREATE TRIGGER unit_release_free_version_truncate AFTER TRUNCATE ON unit_release
    FOR EACH STATEMENT EXECUTE FUNCTION pool_free_version_truncated();
CREATE TRIGGER unit_booking_free_version_truncate AFTER TRUNCATE ON unit_booking
    FOR EACH STATEMENT EXECUTE FUNCTION pool_free_version_truncated();
CREATE TRIGGER nvlink_domain_free_version_truncate AFTER TRUNCATE ON nvlink_domain
    FOR EACH STATEMENT EXECUTE FUNCTION pool_free_version_truncated();
