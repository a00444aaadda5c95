-- A create computes its topology hash from the hosts of the units it takes. The service keeps those hosts with the
-- pool's cached free set (FreeUnitCache), read in the same statement as the free units, so a create no longer asks
-- for them under the pool lock. They are as current as the free set's version only if a change to the hosts moves
-- the version too: any statement that adds, removes or moves hosts (only a manifest load does) gives every pool a
-- new version, including pools that never had one. Health reports update other columns and move nothing.
CREATE FUNCTION pool_free_version_hosts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pool_free_version AS v (unit_type_id, version, previous_version, changed_by)
    SELECT u.id, nextval('pool_free_version_seq'), 0, txid_current() FROM unit_type u
    ON CONFLICT (unit_type_id) DO UPDATE
    SET previous_version = v.version, version = excluded.version, changed_by = excluded.changed_by
    WHERE v.changed_by <> excluded.changed_by;
    RETURN NULL;
END;
$$;

CREATE TRIGGER host_free_version AFTER INSERT OR DELETE OR UPDATE OF infrastructure_ref, domain_id, position
    ON host FOR EACH STATEMENT EXECUTE FUNCTION pool_free_version_hosts_changed();
CREATE TRIGGER host_free_version_truncate AFTER TRUNCATE ON host
    FOR EACH STATEMENT EXECUTE FUNCTION pool_free_version_hosts_changed();
