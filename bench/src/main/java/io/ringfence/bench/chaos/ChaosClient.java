package io.ringfence.bench.chaos;

import io.ringfence.bench.FleetManifest;
import io.ringfence.testkit.Fixtures;
import io.ringfence.testkit.RawHttp;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * One client of the mixed load: creates (each with its own Idempotency-Key), deletes, placements, placement
 * deletes and unit releases, on reservations of its own only, so that clients never race each other and every
 * unexpected answer means something. Its state lives across rounds; it writes what it was told into the
 * {@link Ledger}.
 */
final class ChaosClient {

    /** A reservation this client created and was told about. */
    private static final class Owned {
        final String id;
        final String region;
        int units;
        boolean provisioned;
        /** The placement on it, "?" while an answer about one was lost (then it is left alone). */
        String placement;
        boolean releaseUnknown;

        Owned(String id, String region, int units) {
            this.id = id;
            this.region = region;
            this.units = units;
        }
    }

    /** The answer to a request: absent when none came, or when a 5xx leaves open whether it was done. */
    private record Outcome(boolean sent, RawHttp.Response response) {
        boolean answered() {
            return response != null && response.status() < 500;
        }

        int status() {
            return response == null ? -1 : response.status();
        }
    }

    private final int number;
    private final Ledger ledger;
    private final List<String> regions;
    private final Supplier<String> token;
    private final Random random;
    private final List<Owned> owned = new ArrayList<>();
    private int sequence;

    ChaosClient(int number, Ledger ledger, List<String> regions, Supplier<String> token, long seed) {
        this.number = number;
        this.ledger = ledger;
        this.regions = regions;
        this.token = token;
        this.random = new Random(seed);
    }

    /** Sends a random mix to random targets until {@code deadline} (System.nanoTime()). */
    void runUntil(long deadline, Supplier<List<RawHttp>> targets) {
        while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            List<RawHttp> live = targets.get();
            RawHttp via = live.get(random.nextInt(live.size()));
            int dice = random.nextInt(100);
            boolean sent;
            if (dice < 35 || owned.isEmpty()) {
                sent = create(via);
            } else if (dice < 50) {
                sent = deleteReservation(via);
            } else if (dice < 65) {
                sent = place(via);
            } else if (dice < 75) {
                sent = deletePlacement(via);
            } else if (dice < 85) {
                sent = release(via);
            } else {
                sent = refresh(via);
            }
            if (!sent) {
                pause(100); // the target is down: no point hammering a closed port
            }
        }
    }

    private boolean create(RawHttp via) {
        String name = "chaos-" + number + "-" + (++sequence);
        int count = 1 + random.nextInt(3);
        String region = regions.get(random.nextInt(regions.size()));
        String body = """
                {"metadata":{"name":"%s","tags":[{"name":"chaos","value":"run"}]},
                 "spec":{"organizationId":"%s","projectId":"%s","regionId":"%s","accelerator":"GB300","unit":"NVL72","count":%d}}"""
                .formatted(name, Fixtures.DEMO_ORG, Fixtures.DEMO_PROJECT, region, count);
        Ledger.Create create = new Ledger.Create(UUID.randomUUID().toString(), name, body);
        Outcome outcome = send(() -> sendCreate(via, token.get(), create));
        if (!outcome.sent()) {
            return false;
        }
        if (outcome.status() == 202) {
            String id = outcome.response().json().get("metadata").get("id").asString();
            ledger.created(id, create);
            owned.add(new Owned(id, region, count));
        } else if (outcome.status() == 507) {
            ledger.refused.incrementAndGet();
        } else if (!outcome.answered()) {
            ledger.createsUnanswered.add(create);
        } else {
            ledger.surprises.add("create " + name + " answered " + outcome.response());
        }
        return true;
    }

    static RawHttp.Response sendCreate(RawHttp via, String token, Ledger.Create create) {
        return via.post(token, "/api/v2/reservations", create.body(),
                Map.of("Content-Type", "application/json", "Idempotency-Key", create.key()));
    }

    private boolean deleteReservation(RawHttp via) {
        Owned target = owned.get(random.nextInt(owned.size()));
        Outcome outcome = send(() -> via.delete(token.get(), "/api/v2/reservations/" + target.id));
        if (!outcome.sent()) {
            return false;
        }
        owned.remove(target);
        if (outcome.status() == 202) {
            ledger.deleted(target.id);
        } else if (!outcome.answered()) {
            ledger.deletesUnanswered.add(target.id);
        } else {
            vanishedOrSurprise("delete of reservation " + target.id, outcome);
        }
        return true;
    }

    private boolean place(RawHttp via) {
        List<Owned> free = owned.stream().filter(o -> o.placement == null).toList();
        if (free.isEmpty()) {
            return refresh(via);
        }
        List<Owned> ready = free.stream().filter(o -> o.provisioned).toList();
        if (ready.isEmpty()) {
            return refresh(via, free.get(random.nextInt(free.size()))); // placements wait for a provisioned one
        }
        Owned target = ready.get(random.nextInt(ready.size()));
        String name = "chaos-p-" + number + "-" + (++sequence);
                String body = """
                {"metadata":{"name":"%s"},
                 "spec":{"reservationId":"%s","networkId":"%s","serverSpec":{"imageId":"ubuntu-24.04"},
                  "count":%d,"constraints":{"policy":"pack"}}}"""
                .formatted(name, target.id, FleetManifest.networkId(target.region), 1 + random.nextInt(2));
        Ledger.Placement placement = new Ledger.Placement(UUID.randomUUID().toString(), name, target.id, body);
        Outcome outcome = send(() -> sendPlacement(via, token.get(), placement));
        if (!outcome.sent()) {
            return false;
        }
        if (outcome.status() == 202) {
            String id = outcome.response().json().get("metadata").get("id").asString();
            ledger.placed(id, placement);
            target.placement = id;
        } else if (outcome.status() == 409 || outcome.status() == 422) {
            ledger.refused.incrementAndGet();
        } else if (!outcome.answered()) {
            ledger.placementsUnanswered.add(placement);
            target.placement = "?";
        } else {
            vanishedOrSurprise("placement on reservation " + target.id, outcome);
            if (outcome.status() == 404) {
                owned.remove(target);
            }
        }
        return true;
    }

    static RawHttp.Response sendPlacement(RawHttp via, String token, Ledger.Placement placement) {
        return via.post(token, "/api/v2/placements", placement.body(),
                Map.of("Content-Type", "application/json", "Idempotency-Key", placement.key()));
    }

    private boolean deletePlacement(RawHttp via) {
        List<Owned> placed = owned.stream().filter(o -> o.placement != null && !o.placement.equals("?")).toList();
        if (placed.isEmpty()) {
            return place(via);
        }
        Owned target = placed.get(random.nextInt(placed.size()));
        String placement = target.placement;
        Outcome outcome = send(() -> via.delete(token.get(), "/api/v2/placements/" + placement));
        if (!outcome.sent()) {
            return false;
        }
        if (outcome.status() == 202) {
            ledger.placementDeleted(placement);
            target.placement = "?"; // being torn down; units stay occupied until its servers are gone
        } else if (!outcome.answered()) {
            ledger.placementDeletesUnanswered.add(placement);
            target.placement = "?";
        } else {
            ledger.surprises.add("delete of placement " + placement + " answered " + outcome.response());
            target.placement = "?";
        }
        return true;
    }

    private boolean release(RawHttp via) {
        List<Owned> candidates = owned.stream()
                .filter(o -> o.units >= 2 && o.placement == null && !o.releaseUnknown).toList();
        if (candidates.isEmpty()) {
            return create(via);
        }
        Owned target = candidates.get(random.nextInt(candidates.size()));
        Outcome view = send(() -> via.get(token.get(), "/api/v2/organizations/" + Fixtures.DEMO_ORG
                + "/topology?regionID=" + target.region + "&reservationID=" + target.id));
        if (!view.sent()) {
            return false;
        }
        if (view.status() != 200) {
            return true;
        }
        JsonNode overlay = view.response().json().get(0).get("projections").get(0).get("overlays").get("reservations")
                .get(target.id);
        if (overlay == null) {
            return true;
        }
        List<String> units = new ArrayList<>();
        overlay.get("units").propertyNames().forEach(units::add);
        if (units.size() < 2) {
            return true;
        }
        String unit = units.get(random.nextInt(units.size()));
        String hash = overlay.get("topologyEntityTag").asString();
        Outcome outcome = send(() -> via.post(token.get(), "/api/v2/reservations/" + target.id + "/units/release",
                "{\"spec\":{\"unitIds\":[\"" + unit + "\"]}}",
                Map.of("Content-Type", "application/json", "If-Match", "\"" + hash + "\"")));
        if (!outcome.sent()) {
            return false;
        }
        if (outcome.status() == 200) {
            ledger.released(new Ledger.Release(target.id, unit));
            target.units--;
        } else if (outcome.status() == 409 || outcome.status() == 412 || outcome.status() == 422) {
            ledger.refused.incrementAndGet();
        } else if (!outcome.answered()) {
            ledger.releasesUnanswered.add(new Ledger.Release(target.id, unit));
            target.releaseUnknown = true;
        } else {
            vanishedOrSurprise("release from reservation " + target.id, outcome);
        }
        return true;
    }

    private boolean refresh(RawHttp via) {
        return refresh(via, owned.get(random.nextInt(owned.size())));
    }

    /** Reads one of its reservations: placements wait for it to be provisioned. */
    private boolean refresh(RawHttp via, Owned target) {
        Outcome outcome = send(() -> via.get(token.get(), "/api/v2/reservations/" + target.id));
        if (!outcome.sent()) {
            return false;
        }
        if (outcome.status() == 200) {
            target.provisioned = "provisioned".equals(outcome.response().json().get("metadata")
                    .get("provisioningStatus").asString());
        } else if (outcome.status() == 404) {
            vanishedOrSurprise("read of reservation " + target.id, outcome);
            owned.remove(target);
        }
        return true;
    }

    /** A 404 for a reservation of this client that it never deleted is a lost change; anything else a note. */
    private void vanishedOrSurprise(String what, Outcome outcome) {
        (outcome.status() == 404 ? ledger.vanished : ledger.surprises).add(what + " answered " + outcome.response());
    }

    /**
     * Sends; "not sent" when the connection was refused (the target is down: the request never reached it), an
     * absent answer when the connection broke or timed out after the request went out.
     */
    private static Outcome send(Supplier<RawHttp.Response> request) {
        try {
            RawHttp.Response response = request.get();
            return new Outcome(true, response);
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof ConnectException) {
                    return new Outcome(false, null);
                }
            }
            return new Outcome(true, null);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
