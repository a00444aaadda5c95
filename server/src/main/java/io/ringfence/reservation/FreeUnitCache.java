package io.ringfence.reservation;

import io.ringfence.capacity.FreeUnitIndex;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Each capacity pool's free units as this replica last knew them, labelled with the database's version of the
 * pool's free set (table {@code pool_free_version}). A create uses an entry only when, under the pool's lock, the
 * database still shows the entry's version and the entry's time bounds hold: other replicas and every other
 * change move the version, so the cache is never trusted on its own.
 *
 * <p>An entry's index is read only by a create holding the pool's lock and seeing the entry's version; the create
 * that commits on top of it changes the index after its commit, when the database's version has already moved on
 * and no one can match the old entry any more, and then publishes it under its own version.
 */
@Component
public class FreeUnitCache {

    private final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();

    /**
     * @param version the pool's free-set version the index reflects
     * @param validFrom the database time the index was read at: an earlier transaction time might see as still
     *     booked a unit whose booking ended in between
     * @param validUntil the earliest end of a finite booking in the pool when it was read (null: none), after which
     *     a unit may be free without any row having changed
     */
    public record Entry(long version, FreeUnitIndex index, Instant validFrom, Instant validUntil) {

        boolean current(long databaseVersion, Instant databaseNow) {
            return version == databaseVersion && !databaseNow.isBefore(validFrom)
                    && (validUntil == null || databaseNow.isBefore(validUntil));
        }
    }

    /** The pool's entry if it is what the database holds at {@code databaseNow} under {@code version}. */
    Entry current(long unitTypeId, long version, Instant databaseNow) {
        Entry entry = entries.get(unitTypeId);
        return entry != null && entry.current(version, databaseNow) ? entry : null;
    }

    /** An entry just read from the database under the pool's lock: the newest there is. */
    void loaded(long unitTypeId, Entry entry) {
        entries.put(unitTypeId, entry);
    }

    /**
     * An entry a committed create derived; a reload by a later create may have stored a newer one meanwhile (the
     * pool's versions grow in commit order, since a bump holds the version row until its transaction ends).
     */
    void committed(long unitTypeId, Entry entry) {
        entries.merge(unitTypeId, entry, (old, fresh) -> fresh.version() > old.version() ? fresh : old);
    }

    /** The pool's entry whatever it holds, for tests. */
    Entry entry(long unitTypeId) {
        return entries.get(unitTypeId);
    }

    void forget(long unitTypeId) {
        entries.remove(unitTypeId);
    }
}
