package io.ringfence.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The checks after a run, through the API and the database (the database and catalog ones are the test kit's
 * {@link io.ringfence.testkit.Invariants}). Each broken invariant adds a line to {@link #broken}; the run fails
 * when any is there.
 */
final class Invariants {

    final List<String> broken = new ArrayList<>();
    final List<String> passed = new ArrayList<>();
    Duration convergedAfter;

    private final Api api;
    private final DatabaseBaseline db;
    private final PrintStream out;

    Invariants(Api api, DatabaseBaseline db, PrintStream out) {
        this.api = api;
        this.db = db;
        this.out = out;
    }

    /**
     * Every accepted create reaches provisioned (or, if its delete was accepted, is gone) within {@code timeout}.
     * Polls one list of every bench reservation.
     */
    void converge(Workloads work, Duration timeout) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long lastLine = 0;
        while (true) {
            Api.Answer answer = api.list(List.of(Map.entry("tag", "bench=run")));
            if (answer.status() != 200) {
                throw new IllegalStateException("listing every bench reservation answered " + answer.status());
            }
            Map<String, String> status = new HashMap<>();
            for (JsonNode r : answer.json()) {
                status.put(r.get("metadata").get("id").asString(), r.get("metadata").get("provisioningStatus").asString());
            }
            int notProvisioned = 0;
            int notGone = 0;
            int missing = 0;
            int errored = 0;
            for (String id : work.accepted) {
                String s = status.get(id);
                if (work.deleted.contains(id)) {
                    if (s != null) {
                        notGone++;
                    }
                } else if (s == null) {
                    missing++;
                } else if (s.equals("error")) {
                    errored++;
                } else if (!s.equals("provisioned")) {
                    notProvisioned++;
                }
            }
            if (missing > 0 || errored > 0) {
                broken.add("accepted reservations lost: " + missing + " missing from the list, " + errored
                        + " in state error");
            }
            long now = System.nanoTime();
            if (notProvisioned == 0 && notGone == 0) {
                convergedAfter = Duration.ofNanos(now - start);
                passed.add(String.format("every accepted request converged (%d accepted, %d deleted) after %.1f s",
                        work.accepted.size(), work.deleted.size(), convergedAfter.toMillis() / 1000.0));
                return;
            }
            if (now > deadline) {
                broken.add("not converged within " + timeout.toSeconds() + " s: " + notProvisioned
                        + " accepted reservations not provisioned, " + notGone + " deleted ones not gone");
                return;
            }
            if (now - lastLine > 5_000_000_000L) {
                out.printf("  converging: %d not yet provisioned, %d deleted not yet gone (%.0f s)%n", notProvisioned,
                        notGone, (now - start) / 1e9);
                lastLine = now;
            }
            Thread.sleep(1000);
        }
    }

    /** Deleted reservations answer 404 (a sample), live ones hold exactly spec.count units. */
    void checkApi(Workloads work) throws Exception {
        int checked = 0;
        int not404 = 0;
        String example = null;
        for (String id : work.deleted) {
            if (checked++ >= 100) {
                break;
            }
            Api.Answer answer = api.get(id);
            if (answer.status() != 404) {
                not404++;
                example = id + " answers " + answer.status();
            }
        }
        if (not404 > 0) {
            broken.add(not404 + " of " + Math.min(100, work.deleted.size()) + " deleted reservations checked do not "
                    + "answer 404 (e.g. " + example + ")");
        }
        Api.Answer list = api.list(List.of(Map.entry("tag", "bench=run")));
        int wrong = 0;
        int count = 0;
        for (JsonNode r : list.json()) {
            count++;
            if (r.get("status").get("claimedUnitCount").asInt() != r.get("spec").get("count").asInt()) {
                wrong++;
            }
        }
        int expected = work.accepted.size() - work.deleted.size();
        if (count != expected) {
            broken.add("the list shows " + count + " bench reservations, expected " + expected);
        }
        if (wrong > 0) {
            broken.add(wrong + " reservations with status.claimedUnitCount != spec.count");
        }
        if (count == expected && wrong == 0) {
            passed.add("API: " + count + " live reservations, each claimedUnitCount == count; " + Math.min(100,
                    work.deleted.size()) + " deleted ones answer 404");
        }
    }

    /**
     * Claims in the database, and the catalog's figures against them: the test kit's invariants (the same checks
     * the service's own tests make), read again while work still moves claims.
     */
    void checkDatabaseAndCatalog() {
        io.ringfence.testkit.Invariants database = new io.ringfence.testkit.Invariants(db::connect)
                .claimsAreConsistent().catalogAddsUp(api::catalog);
        broken.addAll(database.broken());
        passed.addAll(database.passed());
    }
}
