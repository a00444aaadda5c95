-- V13 let a create's row triggers skip the pool the create had already bumped, recording that pool in a
-- transaction-local setting. A group of creates (V19) takes the versions of several pools in one transaction,
-- and each take overwrote the setting: the claim and booking rows of every pool but the last still ran
-- pool_free_version_bump, an upsert that found the pool already bumped by this transaction. The setting now lists
-- every pool the transaction took (",3,17,"), and the row triggers skip each of them.
CREATE OR REPLACE FUNCTION pool_free_version_take(pool bigint, expected_previous bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    taken bigint;
BEGIN
    PERFORM pool_free_version_bump(pool);
    PERFORM set_config('ringfence.free_version_taken_for',
        COALESCE(NULLIF(current_setting('ringfence.free_version_taken_for', true), ''), ',') || pool || ',', true);
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
        IF strpos(COALESCE(current_setting('ringfence.free_version_taken_for', true), ''), ',' || pool || ',') = 0 THEN
            PERFORM pool_free_version_bump(pool);
        END IF;
    ELSE
        PERFORM pool_free_version_bump_all();
    END IF;
END;
$$;
