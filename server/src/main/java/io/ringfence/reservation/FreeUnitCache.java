package io.ringfence.reservation;

import io.ringfence.capacity.FreeUnitIndex;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Each capacity pool's free units as this replica last knew them, labelled with the database's version of the
 * pool's free set (table {@code pool_free_version}). A create uses an entry only when, under the pool's lock, the
 * database still shows the entry's version and the entry's time bounds hold: other replicas and every other
 * change move the version, so the cache is never trusted on its own.
 *
 * <p>Everything here happens under the pool's lock: a create reads an entry, loads a fresh one, or publishes the
 * free set it leaves behind, before its commit, under the version its commit will make visible. That entry's
 * index still holds the create's units: they are taken out when a later create first matches the version, which
 * proves the commit happened (a rolled-back version is never seen again, and the untouched index is replaced by
 * the next load). So no index is ever changed outside the lock, and the next create of the pool finds the entry
 * ready however late the committing thread runs on after its commit.
 */
@Component
public class FreeUnitCache {

    private final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();

    /**
     * @param version the pool's free-set version the index reflects, once {@code withdrawing} is taken out of it
     * @param validFrom the database time the index was read at: an earlier transaction time might see as still
     *     booked a unit whose booking ended in between
     * @param validUntil the earliest end of a finite booking in the pool when it was read (null: none), after which
     *     a unit may be free without any row having changed
     * @param withdrawing units the index still holds that the create which published the entry has taken
     * @param hostsByUnit the hosts of every unit the index was read with (a taken unit's stay: harmless)
     */
    public record Entry(long version, FreeUnitIndex index, Instant validFrom, Instant validUntil,
                        List<String> withdrawing, Map<String, List<String>> hostsByUnit) {

        public Entry {
            withdrawing = List.copyOf(withdrawing);
        }

        public Entry(long version, FreeUnitIndex index, Instant validFrom, Instant validUntil,
                     Map<String, List<String>> hostsByUnit) {
            this(version, index, validFrom, validUntil, List.of(), hostsByUnit);
        }

        /** The hosts of {@code unitIds} (units of the index), for the topology hash. */
        public Map<String, List<String>> hostsOf(List<String> unitIds) {
            Map<String, List<String>> hosts = new LinkedHashMap<>();
            for (String unitId : unitIds) {
                List<String> ofUnit = hostsByUnit.get(unitId);
                if (ofUnit == null) {
                    throw new IllegalStateException("unit " + unitId + " was not read with the free set");
                }
                hosts.put(unitId, ofUnit);
            }
            return hosts;
        }

        boolean current(long databaseVersion, Instant databaseNow) {
            return version == databaseVersion && !databaseNow.isBefore(validFrom)
                    && (validUntil == null || databaseNow.isBefore(validUntil));
        }
    }

    /**
     * The pool's entry if it is what the database holds at {@code databaseNow} under {@code version}, with the
     * publishing create's units taken out of it now that its version shows it committed.
     */
    Entry current(long unitTypeId, long version, Instant databaseNow) {
        Entry entry = entries.get(unitTypeId);
        if (entry == null || !entry.current(version, databaseNow)) {
            return null;
        }
        if (entry.withdrawing().isEmpty()) {
            return entry;
        }
        entry.index().remove(entry.withdrawing());
        Entry settled = new Entry(entry.version(), entry.index(), entry.validFrom(), entry.validUntil(),
                entry.hostsByUnit());
        entries.replace(unitTypeId, entry, settled);
        return settled;
    }

    /** An entry just read from the database under the pool's lock: the newest there is. */
    void loaded(long unitTypeId, Entry entry) {
        entries.put(unitTypeId, entry);
    }

    /** The free set a create leaves behind, published under the pool's lock before its commit (see above). */
    void published(long unitTypeId, Entry entry) {
        entries.put(unitTypeId, entry);
    }

    /** The pool's entry whatever it holds, for tests. */
    Entry entry(long unitTypeId) {
        return entries.get(unitTypeId);
    }

    void forget(long unitTypeId) {
        entries.remove(unitTypeId);
    }
}
