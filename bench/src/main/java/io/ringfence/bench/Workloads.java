package io.ringfence.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/** The request mixes of the load run, and what they leave behind for the invariant checks. */
final class Workloads {

    static final String[] OPS = {"create", "get", "list", "delete"};

    /** Every reservation the service accepted (202) during the run, and those whose delete it accepted. */
    final Set<String> accepted = ConcurrentHashMap.newKeySet();
    final Set<String> deleted = ConcurrentHashMap.newKeySet();
    /** Units of each accepted reservation whose delete has not been sent: what the run holds of the fleet. */
    final Map<String, Integer> liveUnits = new ConcurrentHashMap<>();
    /** Reservations kept alive for the gets of the mixed and open-loop phases (set by the clean-up before them). */
    volatile List<String> getPool = List.of();
    /**
     * Reservations the clean-up hands to the mixed phase's clients as their own: each client can delete from its
     * first step, so its creates and deletes balance from the start and the fleet's occupancy holds steady.
     */
    volatile List<String> owned = List.of();

    private final Api api;
    private final List<String> regions;
    private final AtomicLong regionCursor = new AtomicLong();
    /** Slots of the list set handed out (returned when the create fails, or when a clean-up deletes the member). */
    private final AtomicLong listSlots = new AtomicLong();
    /** The creates that joined the list set and have not been deleted. */
    private final Set<String> listIds = ConcurrentHashMap.newKeySet();
    private final int listSize;
    private final Map<String, byte[]> createBodies = new ConcurrentHashMap<>();

    Workloads(Api api, List<String> regions, int listSize) {
        this.api = api;
        this.regions = List.copyOf(regions);
        this.listSize = listSize;
    }

    int regionCount() {
        return regions.size();
    }

    private byte[] body(String phase, String region, int count, boolean inListSet) {
        String key = phase + "/" + region + "/" + count + "/" + inListSet;
        return createBodies.computeIfAbsent(key, k -> {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put("bench", "run");
            tags.put("phase", phase);
            if (inListSet) {
                tags.put("set", "list");
            }
            return Api.createBody("bench-" + phase, region, count, tags);
        });
    }

    /** Create-only: count 1, round robin over every region (each region's pool is one lock). */
    LoadPhase.Client createOnly(Stats stats) {
        return () -> {
            String region = regions.get((int) (regionCursor.getAndIncrement() % regions.size()));
            boolean inListSet = takeListSlot();
            Api.Answer answer = api.create(body("create", region, 1, inListSet));
            if (answer.status() == 202) {
                stats.success("create", answer.nanos());
                String id = id(answer);
                accepted(id, 1);
                if (inListSet) {
                    listIds.add(id);
                }
            } else {
                stats.failure("create", answer.status());
                if (inListSet) {
                    listSlots.decrementAndGet();
                }
            }
        };
    }

    /** Tops the list set ({@code set=list}) up to {@code listSize}. */
    LoadPhase.Client listTopUp(Stats stats) {
        return () -> {
            if (!takeListSlot()) {
                Thread.sleep(50);
                return;
            }
            String region = regions.get((int) (regionCursor.getAndIncrement() % regions.size()));
            Api.Answer answer = api.create(body("create", region, 1, true));
            if (answer.status() == 202) {
                stats.success("create", answer.nanos());
                String id = id(answer);
                accepted(id, 1);
                listIds.add(id);
            } else {
                stats.failure("create", answer.status());
                listSlots.decrementAndGet();
            }
        };
    }

    /** Reservations accepted into the list set so far. */
    int listSetSize() {
        return listIds.size();
    }

    boolean listSetComplete() {
        return listIds.size() >= listSize;
    }

    private boolean takeListSlot() {
        if (listSlots.incrementAndGet() <= listSize) {
            return true;
        }
        listSlots.decrementAndGet();
        return false;
    }

    /**
     * The mix: 20% create (1 to 4 units, random region), 40% get, 20% list with filters (region and tag),
     * 20% delete (of this client's own reservations).
     */
    LoadPhase.Client mixed(Stats stats, String phase, long seed, int client, int clients) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> live = new ArrayList<>();
        List<String> handed = owned;
        for (int i = client; i < handed.size(); i += clients) {
            live.add(handed.get(i));
        }
        List<String> getPool = this.getPool;
        return () -> {
            double dice = random.nextDouble();
            if (dice < 0.20 || live.isEmpty() && dice >= 0.20 && dice < 0.40) {
                String region = regions.get(random.nextInt(regions.size()));
                int count = 1 + random.nextInt(4);
                Api.Answer answer = api.create(body(phase, region, count, false));
                if (answer.status() == 202) {
                    stats.success("create", answer.nanos());
                    String id = id(answer);
                    accepted(id, count);
                    live.add(id);
                } else {
                    stats.failure("create", answer.status());
                }
            } else if (dice < 0.40) {
                String id = live.remove(random.nextInt(live.size()));
                Api.Answer answer = api.delete(id);
                if (answer.status() == 202) {
                    stats.success("delete", answer.nanos());
                    deletedOne(id);
                } else {
                    stats.failure("delete", answer.status());
                }
            } else if (dice < 0.80) {
                String id;
                if (!live.isEmpty() && (getPool.isEmpty() || random.nextBoolean())) {
                    id = live.get(random.nextInt(live.size()));
                } else if (!getPool.isEmpty()) {
                    id = getPool.get(random.nextInt(getPool.size()));
                } else {
                    return;
                }
                Api.Answer answer = api.get(id);
                if (answer.status() == 200) {
                    stats.success("get", answer.nanos());
                } else {
                    stats.failure("get", answer.status());
                }
            } else {
                String region = regions.get(random.nextInt(regions.size()));
                Api.Answer answer = api.list(List.of(Map.entry("regionID", region), Map.entry("tag", "phase=" + phase)));
                if (answer.status() == 200) {
                    stats.success("list", answer.nanos());
                } else {
                    stats.failure("list", answer.status());
                }
            }
        };
    }

    /**
     * The open loop's create: count 1, round robin over the regions; latency from the scheduled send time. The
     * reservation stays (the fleet's room for the phase was made beforehand).
     */
    OpenLoopPhase.Request openCreate(Api api) {
        return (scheduled, stats) -> {
            String region = regions.get((int) (regionCursor.getAndIncrement() % regions.size()));
            Api.Answer answer = api.create(body("open", region, 1, false));
            long latency = System.nanoTime() - scheduled;
            if (answer.status() == 202) {
                stats.success("create", latency);
                accepted(id(answer), 1);
            } else {
                stats.failure("create", answer.status());
            }
        };
    }

    /** The open loop's get: a random reservation of the get pool; latency from the scheduled send time. */
    OpenLoopPhase.Request openGet(Api api, long seed) {
        List<String> pool = getPool;
        SplittableRandom random = new SplittableRandom(seed);
        return (scheduled, stats) -> {
            String id;
            synchronized (random) {
                id = pool.get(random.nextInt(pool.size()));
            }
            Api.Answer answer = api.get(id);
            long latency = System.nanoTime() - scheduled;
            if (answer.status() == 200) {
                stats.success("get", latency);
            } else {
                stats.failure("get", answer.status());
            }
        };
    }

    /** Creates a reservation of {@code count} units in a random region outside any measured phase; its ID or null. */
    String createUnmeasured(SplittableRandom random, int count) {
        String region = regions.get(random.nextInt(regions.size()));
        Api.Answer answer = api.create(body("fill", region, count, false));
        if (answer.status() != 202) {
            return null;
        }
        String id = id(answer);
        accepted(id, count);
        return id;
    }

    /** Units of the run's reservations whose delete has not been sent. */
    long heldUnits() {
        return liveUnits.values().stream().mapToLong(Integer::longValue).sum();
    }

    /** Deletes one reservation outside any measured phase (the clean-up); whether the service accepted it. */
    boolean deleteUnmeasured(String id) {
        Api.Answer answer = api.delete(id);
        if (answer.status() == 202) {
            deletedOne(id);
            return true;
        }
        return false;
    }

    private void accepted(String id, int units) {
        accepted.add(id);
        liveUnits.put(id, units);
    }

    private void deletedOne(String id) {
        deleted.add(id);
        liveUnits.remove(id);
        if (listIds.remove(id)) {
            listSlots.decrementAndGet();
        }
    }

    static String id(Api.Answer answer) {
        JsonNode json = answer.json();
        return json.get("metadata").get("id").asString();
    }
}
