package io.ringfence.bench.chaos;

import io.ringfence.client.ApiException;
import io.ringfence.testkit.Await;
import io.ringfence.testkit.Clients;
import io.ringfence.testkit.Invariants;
import io.ringfence.testkit.RawHttp;
import io.ringfence.testkit.ServiceProcess;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The harness's verdict once the last round is over and the service runs alone again: every acknowledged change
 * done and converged, every change whose answer was lost done entirely or not at all, the database's invariants,
 * the catalog, the audit trail and the platform's journal. Something acknowledged and missing (or undone), or a
 * broken invariant, is <em>lost</em>; something that has not converged after a generous wait is <em>stuck</em>.
 */
final class ChaosChecks {

    /** The counts of the summary line. */
    record Verdict(long lost, long stuck) {
    }

    private static final Duration CONVERGENCE = Duration.ofSeconds(240);

    private final Ledger ledger;
    private final ServiceProcess service;
    private final Invariants.Database database;
    private final Path platform;
    private final PrintStream out;
    private final List<String> lost = new ArrayList<>();
    private final List<String> stuck = new ArrayList<>();
    private RawHttp api;
    private String token;

    ChaosChecks(Ledger ledger, ServiceProcess service, Invariants.Database database, Path platform, PrintStream out) {
        this.ledger = ledger;
        this.service = service;
        this.database = database;
        this.platform = platform;
        this.out = out;
    }

    Verdict check(String token) throws Exception {
        this.token = token;
        this.api = service.http();
        long start = System.nanoTime();
        Map<String, Ledger.Create> creates = new HashMap<>(ledger.createdById);
        Map<String, Ledger.Placement> placements = new HashMap<>(ledger.placedById);
        resolveUnansweredCreates(creates);
        resolveUnansweredPlacements(placements);

        Invariants invariants = new Invariants(database);
        long deadline = System.nanoTime() + CONVERGENCE.toNanos();
        long queued;
        while ((queued = invariants.queuedWork()) > 0 && System.nanoTime() < deadline) {
            Await.pause(500);
        }
        out.printf(Locale.ROOT, "checks: work queue %s after %.1f s%n", queued == 0 ? "drained" : queued + " items left",
                (System.nanoTime() - start) / 1e9);
        if (queued > 0) {
            stuck.add(queued + " work items still queued after " + CONVERGENCE.toSeconds() + " s");
        }

        checkReservations(creates);
        checkPlacements(placements);
        checkReleases();
        ledger.vanished.forEach(v -> lost.add("vanished: " + v));
        ledger.surprises.forEach(s -> out.println("  note: " + s));

        // the database and the platform: no unit or host held twice, claims, the catalog, platform work done once
        Clients.Ringfence client = Clients.connect(service.url(), token);
        Invariants held = new Invariants(database).claimsAreConsistent().everyClaimPrepared()
                .placementsStayInTheirReservations().platformHoldsExactlyTheClaims(platform)
                .everyPlatformOperationStartedOnce(platform)
                .catalogAddsUp(() -> {
                    try {
                        return client.units().listReservationUnits(null, null, null);
                    } catch (ApiException e) {
                        throw new IllegalStateException("the catalog answered " + e.getCode(), e);
                    }
                });
        held.broken().forEach(b -> lost.add("invariant: " + b));
        Invariants finished = new Invariants(database).nothingHalfDone();
        finished.broken().forEach(b -> stuck.add("not converged: " + b));
        held.passed().forEach(p -> out.println("  ok: " + p));
        finished.passed().forEach(p -> out.println("  ok: " + p));
        checkAudit();

        lost.stream().limit(40).forEach(l -> out.println("  lost: " + l));
        stuck.stream().limit(40).forEach(s -> out.println("  stuck: " + s));
        return new Verdict(lost.size(), stuck.size());
    }

    /**
     * A create whose answer was lost happened once or not at all: at most one reservation carries its unique name.
     * Sent again with its Idempotency-Key it answers that reservation (or, if there is none, creates it now, once).
     */
    private void resolveUnansweredCreates(Map<String, Ledger.Create> creates) throws SQLException {
        int happened = 0;
        int createdNow = 0;
        for (Ledger.Create create : ledger.createsUnanswered) {
            List<String> before = ids("SELECT id FROM reservation WHERE name = ?", create.name());
            if (before.size() > 1) {
                lost.add("create " + create.name() + " (answer lost) made " + before.size() + " reservations");
                continue;
            }
            RawHttp.Response again = ChaosClient.sendCreate(api, token, create);
            if (again.status() == 202) {
                String id = again.json().get("metadata").get("id").asString();
                if (!before.isEmpty() && !before.get(0).equals(id)) {
                    lost.add("create " + create.name() + " sent again answered " + id + ", but " + before.get(0)
                            + " exists: the idempotency record was lost");
                }
                creates.put(id, create);
                happened += before.isEmpty() ? 0 : 1;
                createdNow += before.isEmpty() ? 1 : 0;
            } else if (!before.isEmpty()) {
                lost.add("create " + create.name() + " sent again answered " + again.status() + " although "
                        + before.get(0) + " exists");
            }
        }
        // every acknowledged create, sent again, still answers the reservation it created (the key is durable too)
        for (Map.Entry<String, Ledger.Create> entry : ledger.createdById.entrySet()) {
            if (ledger.mayBeGone(entry.getKey())) {
                continue;
            }
            RawHttp.Response again = ChaosClient.sendCreate(api, token, entry.getValue());
            String id = again.status() == 202 ? again.json().get("metadata").get("id").asString() : null;
            if (!entry.getKey().equals(id)) {
                lost.add("create " + entry.getValue().name() + " acknowledged as " + entry.getKey()
                        + "; sent again it answered " + (id == null ? again.toString() : id));
            }
        }
        out.printf("checks: %d creates whose answer was lost: %d had happened (once), %d had not and were created by "
                + "the retry, the rest had not and were refused (507)%n", ledger.createsUnanswered.size(), happened,
                createdNow);
    }

    private void resolveUnansweredPlacements(Map<String, Ledger.Placement> placements) throws SQLException {
        for (Map.Entry<String, Ledger.Placement> entry : ledger.placedById.entrySet()) {
            if (ledger.placementsDeleted.contains(entry.getKey()) || ledger.placementDeletesUnanswered.contains(entry.getKey())
                    || ledger.mayBeGone(entry.getValue().reservationId())) {
                continue;
            }
            RawHttp.Response again = ChaosClient.sendPlacement(api, token, entry.getValue());
            String id = again.status() == 202 ? again.json().get("metadata").get("id").asString() : null;
            if (!entry.getKey().equals(id)) {
                lost.add("placement " + entry.getValue().name() + " acknowledged as " + entry.getKey()
                        + "; sent again it answered " + (id == null ? again.toString() : id));
            }
        }
        for (Ledger.Placement placement : ledger.placementsUnanswered) {
            List<String> before = ids("SELECT id FROM placement WHERE name = ?", placement.name());
            if (before.size() > 1) {
                lost.add("placement " + placement.name() + " (answer lost) made " + before.size() + " placements");
            }
            if (ledger.mayBeGone(placement.reservationId())) {
                continue; // its reservation is going or gone; the placement with it (checked below)
            }
            RawHttp.Response again = ChaosClient.sendPlacement(api, token, placement);
            if (again.status() == 202) {
                String id = again.json().get("metadata").get("id").asString();
                if (!before.isEmpty() && !before.get(0).equals(id)) {
                    lost.add("placement " + placement.name() + " sent again answered " + id + ", but " + before.get(0)
                            + " exists");
                }
                placements.put(id, placement);
            } else if (!before.isEmpty()) {
                lost.add("placement " + placement.name() + " sent again answered " + again + " although "
                        + before.get(0) + " exists");
            }
        }
    }

    /** Acknowledged creates provisioned, acknowledged deletes gone, deletes whose answer was lost all or nothing. */
    private void checkReservations(Map<String, Ledger.Create> creates) {
        int provisioned = 0;
        int gone = 0;
        for (String id : creates.keySet()) {
            String state = await("reservation", id, ledger.deleted.contains(id), ledger.deletesUnanswered.contains(id));
            if (state.equals("gone")) {
                gone++;
            } else if (state.equals("provisioned")) {
                provisioned++;
            }
        }
        out.printf("checks: %d reservations created: %d provisioned, %d gone (%d deletes acknowledged, %d whose answer "
                + "was lost)%n", creates.size(), provisioned, gone, ledger.deleted.size(), ledger.deletesUnanswered.size());
    }

    private void checkPlacements(Map<String, Ledger.Placement> placements) {
        int provisioned = 0;
        for (Map.Entry<String, Ledger.Placement> entry : placements.entrySet()) {
            String id = entry.getKey();
            String reservation = entry.getValue().reservationId();
            boolean deleted = ledger.placementsDeleted.contains(id) || ledger.deleted.contains(reservation);
            boolean maybe = ledger.placementDeletesUnanswered.contains(id) || ledger.deletesUnanswered.contains(reservation);
            if (await("placement", id, deleted, maybe).equals("provisioned")) {
                provisioned++;
            }
        }
        out.printf("checks: %d placements: %d provisioned, the rest gone%n", placements.size(), provisioned);
    }

    /**
     * Waits until the resource is where it should end up: gone when its delete was acknowledged, provisioned when
     * no delete was sent, either when the delete's answer was lost. Returns its final state.
     */
    private String await(String kind, String id, boolean deleted, boolean maybeDeleted) {
        String path = "/api/v2/" + kind + "s/" + id;
        long deadline = System.nanoTime() + CONVERGENCE.toNanos();
        String state;
        while (true) {
            RawHttp.Response response = api.get(token, path);
            state = response.status() == 404 ? "gone" : response.status() == 200
                    ? response.json().get("metadata").get("provisioningStatus").asString() : "answer " + response.status();
            boolean settled = state.equals("gone") || state.equals("provisioned") || state.equals("error");
            if (settled && !(deleted && state.equals("provisioned"))) {
                break;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            Await.pause(250);
        }
        if (state.equals("gone") && !deleted && !maybeDeleted) {
            lost.add(kind + " " + id + " acknowledged, never deleted, is gone");
        } else if (state.equals("provisioned") && deleted) {
            lost.add(kind + " " + id + ": its delete was acknowledged, but it is still there");
        } else if (!state.equals("gone") && !state.equals("provisioned")) {
            stuck.add(kind + " " + id + " still " + state + " after " + CONVERGENCE.toSeconds() + " s");
        }
        return state;
    }

    /** An acknowledged release took the unit from the reservation for good. */
    private void checkReleases() throws SQLException {
        for (Ledger.Release release : ledger.released) {
            if (!ids("SELECT reservation_id FROM unit_claim WHERE domain_id = ? AND reservation_id = ?",
                    release.unitId(), release.reservationId()).isEmpty()) {
                lost.add("unit " + release.unitId() + " released from " + release.reservationId() + " is still claimed by it");
            }
        }
        out.printf("checks: %d releases acknowledged, %d whose answer was lost%n", ledger.released.size(),
                ledger.releasesUnanswered.size());
    }

    /** Every acknowledged change has its audit record, written in the change's own transaction. */
    private void checkAudit() throws SQLException {
        int missing = 0;
        try (Connection c = database.connect(); PreparedStatement s = c.prepareStatement("""
                SELECT count(*) FROM audit_event
                WHERE resource_id = ? AND result_status = ? AND starts_with(verb, ?)
                  AND (?::text IS NULL OR strpos(detail, ?) > 0)""")) {
            for (Ledger.Audited audited : ledger.audited) {
                s.setString(1, audited.resourceId());
                s.setInt(2, audited.status());
                s.setString(3, audited.verb());
                s.setString(4, audited.detail());
                s.setString(5, audited.detail());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        missing++;
                        lost.add("no audit record of " + audited);
                    }
                }
            }
        }
        if (missing == 0) {
            out.println("  ok: audit: every one of " + ledger.audited.size() + " acknowledged changes has its record");
        }
    }

    private List<String> ids(String sql, String... parameters) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = database.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }
}
