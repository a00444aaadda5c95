package io.ringfence.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/** The request mixes of the load run, and what they leave behind for the invariant checks. */
final class Workloads {

    static final String[] OPS = {"create", "get", "list", "delete"};

    /** Every reservation the service accepted (202) during the run, and those whose delete it accepted. */
    final Set<String> accepted = ConcurrentHashMap.newKeySet();
    final Set<String> deleted = ConcurrentHashMap.newKeySet();
    /** Accepted creates of the create-only phase, for gets in the mixed phase. */
    final ConcurrentLinkedQueue<String> createPhaseIds = new ConcurrentLinkedQueue<>();

    private final Api api;
    private final List<String> regions;
    private final AtomicLong regionCursor = new AtomicLong();
    /** Slots of the list set handed out (returned when the create fails), and creates that joined it. */
    private final AtomicLong listSlots = new AtomicLong();
    private final AtomicLong listMembers = new AtomicLong();
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
                accepted.add(id);
                createPhaseIds.add(id);
                if (inListSet) {
                    listMembers.incrementAndGet();
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
                accepted.add(id(answer));
                listMembers.incrementAndGet();
            } else {
                stats.failure("create", answer.status());
                listSlots.decrementAndGet();
            }
        };
    }

    /** Reservations accepted into the list set so far. */
    int listSetSize() {
        return (int) listMembers.get();
    }

    boolean listSetComplete() {
        return listMembers.get() >= listSize;
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
    LoadPhase.Client mixed(Stats stats, String phase, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> live = new ArrayList<>();
        List<String> getPool = new ArrayList<>(createPhaseIds);
        return () -> {
            double dice = random.nextDouble();
            if (dice < 0.20 || live.isEmpty() && dice >= 0.20 && dice < 0.40) {
                String region = regions.get(random.nextInt(regions.size()));
                int count = 1 + random.nextInt(4);
                Api.Answer answer = api.create(body(phase, region, count, false));
                if (answer.status() == 202) {
                    stats.success("create", answer.nanos());
                    String id = id(answer);
                    accepted.add(id);
                    live.add(id);
                } else {
                    stats.failure("create", answer.status());
                }
            } else if (dice < 0.40) {
                String id = live.remove(random.nextInt(live.size()));
                Api.Answer answer = api.delete(id);
                if (answer.status() == 202) {
                    stats.success("delete", answer.nanos());
                    deleted.add(id);
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

    static String id(Api.Answer answer) {
        JsonNode json = answer.json();
        return json.get("metadata").get("id").asString();
    }
}
