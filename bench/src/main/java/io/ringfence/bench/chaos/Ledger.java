package io.ringfence.bench.chaos;

import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the clients were told, and what they never heard back about. An acknowledged change (202, or 200 for a
 * release) is a promise the final checks hold the service to; a change whose answer was lost (no answer, or a 5xx
 * that may have come after the commit) must have happened entirely or not at all.
 */
final class Ledger {

    /** A create as sent: its Idempotency-Key and exact body (a name unique to it), so it can be sent again. */
    record Create(String key, String name, String body) {
    }

    /** A placement create as sent, on its reservation. */
    record Placement(String key, String name, String reservationId, String body) {
    }

    /** One unit released from a reservation. */
    record Release(String reservationId, String unitId) {
    }

    /** An audit record an acknowledged change must have: resource, the verb's start and the answer's status. */
    record Audited(String resourceId, String verb, int status, String detail) {
    }

    final Map<String, Create> createdById = new ConcurrentHashMap<>();
    final Queue<Create> createsUnanswered = new ConcurrentLinkedQueue<>();
    final Set<String> deleted = ConcurrentHashMap.newKeySet();
    final Set<String> deletesUnanswered = ConcurrentHashMap.newKeySet();
    final Map<String, Placement> placedById = new ConcurrentHashMap<>();
    final Queue<Placement> placementsUnanswered = new ConcurrentLinkedQueue<>();
    final Set<String> placementsDeleted = ConcurrentHashMap.newKeySet();
    final Set<String> placementDeletesUnanswered = ConcurrentHashMap.newKeySet();
    final Queue<Release> released = new ConcurrentLinkedQueue<>();
    final Queue<Release> releasesUnanswered = new ConcurrentLinkedQueue<>();
    final Queue<Audited> audited = new ConcurrentLinkedQueue<>();
    /** 404s for a client's own reservation that nobody deleted: acknowledged creates that were lost. */
    final Queue<String> vanished = new ConcurrentLinkedQueue<>();
    /** Other answers no request should get; printed, for a reader to judge. */
    final Queue<String> surprises = new ConcurrentLinkedQueue<>();
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong refused = new AtomicLong();

    void created(String id, Create create) {
        createdById.put(id, create);
        acknowledge(new Audited(id, "POST /api/v2/reservations", 202, null));
    }

    void deleted(String id) {
        deleted.add(id);
        acknowledge(new Audited(id, "DELETE /api/v2/reservations/", 202, null));
    }

    void placed(String id, Placement placement) {
        placedById.put(id, placement);
        acknowledge(new Audited(id, "POST /api/v2/placements", 202, null));
    }

    void placementDeleted(String id) {
        placementsDeleted.add(id);
        acknowledge(new Audited(id, "DELETE /api/v2/placements/", 202, null));
    }

    void released(Release release) {
        released.add(release);
        acknowledge(new Audited(release.reservationId(), "release-units", 200, release.unitId()));
    }

    /** Changes whose answer was lost so far. */
    long unanswered() {
        return createsUnanswered.size() + deletesUnanswered.size() + placementsUnanswered.size()
                + placementDeletesUnanswered.size() + releasesUnanswered.size();
    }

    /** Whether the reservation was (or may have been) deleted: then it, and its placements, may be gone. */
    boolean mayBeGone(String reservationId) {
        return deleted.contains(reservationId) || deletesUnanswered.contains(reservationId);
    }

    private void acknowledge(Audited audit) {
        audited.add(audit);
        acknowledged.incrementAndGet();
    }
}
