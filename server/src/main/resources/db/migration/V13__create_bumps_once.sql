-- A create takes its pool's next free-set version itself (pool_free_version_take, in the statement that writes its
-- reservation, bookings and claims). The deferred triggers of those rows then fire at commit, under the pool lock,
-- and bump the same pool again: a no-op, since a transaction bumps a pool once (changed_by), that still costs an
-- upsert per row. The take now records the pool it bumped in a transaction-local setting, and the row triggers skip
-- exactly that pool; every other pool, and every transaction that took no version, is bumped as before.
CREATE OR REPLACE FUNCTION pool_free_version_take(pool bigint, expected_previous bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    taken bigint;
BEGIN
    PERFORM pool_free_version_bump(pool);
    PERFORM set_config('ringfence.free_version_taken_for', pool::text, true);
    SELECT v.version INTO taken FROM pool_free_version v
    WHERE v.unit_type_id = pool AND v.previous_version = expected_previous AND v.changed_by = txid_current();
    RETURN taken;
END;
$$;

CREATE OR REPLACE FUNCTION pool_free_version_bump_domain(domain_id text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    pool bigint;
BEGIN
    SELECT p.unit_type_id INTO pool FROM nvlink_domain d JOIN pod p ON p.id = d.pod_id WHERE d.id = domain_id;
    IF FOUND THEN
        IF pool::text IS DISTINCT FROM current_setting('ringfence.free_version_taken_for', true) THEN
            PERFORM pool_free_version_bump(pool);
        END IF;
    ELSE
        PERFORM pool_free_version_bump_all();
    END IF;
END;
$$;
