-- Several capacity pools locked, and each one's free-set version read after its lock is granted, in one round
-- trip: a group of creates admitted in one transaction takes the locks of all its pools. The caller passes the
-- pools in ascending order, so two groups with overlapping pools wait for each other instead of deadlocking.
-- Each call of pool_lock_and_version (V18) runs its statements with snapshots of their own, taken after the wait.
CREATE FUNCTION pool_locks_and_versions(pools bigint[]) RETURNS TABLE (pool bigint, version bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    p bigint;
BEGIN
    FOREACH p IN ARRAY pools LOOP
        pool := p;
        version := pool_lock_and_version(p);
        RETURN NEXT;
    END LOOP;
END;
$$;
