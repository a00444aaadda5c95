package io.ringfence.reservation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ringfence.capacity.Allocation;
import io.ringfence.capacity.FreeUnitIndex;
import io.ringfence.calendar.CalendarDecision;
import io.ringfence.contract.model.ReservationV2Create;
import io.ringfence.contract.model.ReservationV2CreateSpec;
import io.ringfence.error.ApiError;
import io.ringfence.error.ApiException;
import io.ringfence.fleet.UnitType;
import io.ringfence.resource.ProvisioningStatus;
import io.ringfence.resource.ResourceMetadata;
import io.ringfence.resource.ResourceTag;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * The steps a create takes under its pool's lock, shared by a create admitted alone ({@link ReservationService})
 * and creates admitted as a group ({@link GroupAdmission}): the pool's free set (this replica's cached index when
 * the database still shows its version, else read afresh), the reservation as accepted, the refusal's words, and the
 * free set left behind for the next create.
 */
@Component
class PoolAdmission {

    private final ReservationStore reservations;
    private final FreeUnitCache freeUnitCache;
    private final Counter fromCache;
    private final Counter fromDatabase;
    private final Timer databaseRead;

    PoolAdmission(ReservationStore reservations, FreeUnitCache freeUnitCache, MeterRegistry meters) {
        this.reservations = reservations;
        this.freeUnitCache = freeUnitCache;
        // every read from the database happens under the pool's lock: its count and time are what a pool's creates
        // wait for after a change to its free set this replica did not track (a drain, a release of some units,
        // another replica's create or delete)
        this.fromCache = Counter.builder("ringfence.admission.free.set").tag("from", "cache")
                .description("pool free sets a create decided on, by where they came from").register(meters);
        this.fromDatabase = Counter.builder("ringfence.admission.free.set").tag("from", "database")
                .description("pool free sets a create decided on, by where they came from").register(meters);
        this.databaseRead = Timer.builder("ringfence.admission.free.set.read")
                .description("reading a pool's free set from the database, under the pool's lock").register(meters);
    }

    /**
     * The pool's free units, under its lock: this replica's cached index when the database still shows its version
     * (and no finite booking has ended since it was read), else read afresh and cached. A pool whose version was
     * never recorded counts as version 0, which no bump hands out.
     */
    FreeUnitCache.Entry freeSet(long unitTypeId, ReservationStore.FreeSetVersion seen) {
        long version = seen.version() == null ? 0 : seen.version();
        FreeUnitCache.Entry cached = freeUnitCache.current(unitTypeId, version, seen.now());
        if (cached != null) {
            fromCache.increment();
            return cached;
        }
        long start = System.nanoTime();
        // the version is read first: a change committed before the read below only makes the entry more recent
        // than its label, and such a change has moved the database's version past the label for good
        ReservationStore.FreeSet read = reservations.freeSet(unitTypeId);
        FreeUnitCache.Entry loaded = new FreeUnitCache.Entry(version, FreeUnitIndex.of(read.units()), seen.now(),
                reservations.freeUnitsValidUntil(unitTypeId), read.hostsByUnit());
        freeUnitCache.loaded(unitTypeId, loaded);
        fromDatabase.increment();
        databaseRead.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return loaded;
    }

    /**
     * After the creates' claims and bookings: if no other change to the pool's free set committed since the
     * version the decisions were made on, the free set after this commit is that set minus the granted units,
     * under the version this transaction took. Published now, under the pool's lock; the units leave the index when
     * a later create first sees that version in the database, i.e. after this commit ({@link FreeUnitCache}).
     *
     * @param bookedUntil the earliest end of the bookings written (null: all open-ended), after which the set is
     *     no longer what the database holds
     * @param taken the free-set versions the transaction's insert took, by pool ({@link ReservationStore#insertAll})
     */
    void keepForNextCreate(long unitTypeId, FreeUnitCache.Entry freeSet, List<String> grantedUnits,
                           Instant bookedUntil, Map<Long, Long> taken) {
        Long next = taken.get(unitTypeId);
        if (next == null) {
            return;
        }
        Instant validUntil = freeSet.validUntil() == null || (bookedUntil != null
                && bookedUntil.isBefore(freeSet.validUntil())) ? bookedUntil : freeSet.validUntil();
        freeUnitCache.published(unitTypeId, new FreeUnitCache.Entry(next, freeSet.index(),
                freeSet.validFrom(), validUntil, grantedUnits, freeSet.hostsByUnit()));
    }

    /**
     * After a delete changed reservations' holdings (a delete asked for ends their bookings; the last step of one
     * removes them), in the same transaction and under their pools' locks ({@code seen}, taken before the change):
     * a pool whose cached free set is what the database held before the change keeps it, with those of the
     * {@code heldDomains} that are free now added, under the version this transaction takes. Without it, the next
     * create of each such pool read the whole free set again under the pool's lock: after a clean-up, every pool at
     * once, and under churn, half of the creates.
     *
     * <p>The new entry is published before the commit, as a create's is, with its units added to a copy of the index
     * (the old entry's stays as it was): if this transaction rolls back, its version never shows in the database,
     * the entry is never used, and the next create reads the set afresh.
     *
     * @param heldDomains the domains the changed reservations claimed or booked before the change
     */
    void keepAfterChange(Map<Long, ReservationStore.FreeSetVersion> seen, List<String> heldDomains) {
        Map<Long, FreeUnitCache.Entry> cached = new HashMap<>();
        Map<Long, Long> expected = new HashMap<>();
        seen.forEach((pool, read) -> {
            long version = read.version() == null ? 0 : read.version();
            FreeUnitCache.Entry entry = freeUnitCache.current(pool, version, read.now());
            if (entry != null) {
                cached.put(pool, entry);
                expected.put(pool, version);
            }
        });
        if (expected.isEmpty()) {
            return; // the row triggers give the pools new versions at commit, and the next create reads them
        }
        Map<Long, Long> taken = reservations.takeFreeSetVersions(expected);
        Map<Long, ReservationStore.FreeSet> freed = reservations.freeAmong(heldDomains);
        taken.forEach((pool, version) -> {
            FreeUnitCache.Entry entry = cached.get(pool);
            FreeUnitIndex index = entry.index();
            Map<String, List<String>> hosts = entry.hostsByUnit();
            ReservationStore.FreeSet back = freed.get(pool);
            if (back != null) {
                // changed in a copy only: the entry in place must stay right for its own version
                index = index.copy();
                index.add(back.units());
                hosts = new HashMap<>(hosts);
                hosts.putAll(back.hostsByUnit());
            }
            freeUnitCache.published(pool, new FreeUnitCache.Entry(version, index, entry.validFrom(),
                    entry.validUntil(), hosts));
        });
    }

    /** The reservation as a create writes it and answers it: pending, with its grant (claimed when it starts now). */
    static ReservationRecord accepted(String id, String subject, ReservationV2Create request, List<ResourceTag> tags,
                                      UnitType unitType, BookingWindow window, Allocation.Granted granted,
                                      String topologyHash, Instant now) {
        ReservationV2CreateSpec spec = request.getSpec();
        boolean startsNow = window.startsNow();
        return new ReservationRecord(
                ResourceMetadata.created(id, request.getMetadata().getName(), request.getMetadata().getDescription(),
                        tags, spec.getOrganizationId(), spec.getProjectId(), subject, now),
                new ReservationRecord.Spec(spec.getRegionId(), spec.getAccelerator(), spec.getUnit(),
                        spec.getCount(), window.askedStart(), window.end()),
                new ReservationRecord.Status(ProvisioningStatus.PENDING,
                        startsNow ? null : ReservationProvisioner.scheduledToStart(window.start()), granted.podId(),
                        startsNow ? granted.unitIds().size() : 0, topologyHash, startsNow ? now : null, 0, null),
                unitType);
    }

    /** The 507 for a create that does not fit, saying what does: the largest contiguous set, the earliest start. */
    static ApiException refusal(UnitType unitType, int count, BookingWindow window, CalendarDecision decision) {
        int largest = decision instanceof CalendarDecision.Insufficient insufficient
                ? insufficient.largestContiguous() : 0;
        StringBuilder description = new StringBuilder("insufficient capacity: ").append(count).append(" contiguous ")
                .append(unitType.accelerator()).append('/').append(unitType.unit()).append(" units requested in region ")
                .append(unitType.regionId());
        if (!window.openEndedFromNow()) {
            description.append(" from ").append(window.startsNow() ? "now" : window.start().toString())
                    .append(window.end() == null ? ", open-ended" : " until " + window.end());
        }
        description.append(", but the largest contiguous set available")
                .append(window.openEndedFromNow() ? "" : " over that window").append(" is ").append(largest);
        if (decision instanceof CalendarDecision.Insufficient insufficient && insufficient.earliestStart().isPresent()) {
            description.append("; the earliest start at which it fits is ")
                    .append(Instant.ofEpochSecond(insufficient.earliestStart().getAsLong()));
        }
        return new ApiException(ApiError.INSUFFICIENT_CAPACITY, description.toString());
    }
}
