-- A create takes its pool's lock and then reads the pool's free-set version, and the read must come after the
-- wait: one statement's snapshot is taken before it waits for a lock, so a version read in the locking statement
-- would be the one from before the previous holder committed. A PL/pgSQL function runs each of its statements
-- with a snapshot of its own (read committed, volatile), so this one takes the lock and then reads the version as
-- committed by then: the two steps in one round trip, while the lock is held. Null version: no change recorded yet.
CREATE FUNCTION pool_lock_and_version(pool bigint) RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    found_version bigint;
BEGIN
    PERFORM 1 FROM unit_type WHERE id = pool FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no capacity pool %', pool USING ERRCODE = 'no_data_found';
    END IF;
    SELECT v.version INTO found_version FROM pool_free_version v WHERE v.unit_type_id = pool;
    RETURN found_version;
END;
$$;
