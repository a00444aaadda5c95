package io.ringfence.planner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A placement's {@code RollingUpdate}: how many servers may be re-imaged at once, and which to start next.
 * Pure: plain values in, plain values out.
 *
 * <ul>
 *   <li>{@code maxUnavailable} is a count ({@code "3"}) or a percentage of the placement's servers
 *       ({@code "25%"}, rounded up); it resolves to at least 1. A count is taken as given, so it may exceed the
 *       number of servers (which then all fit in one wave).</li>
 *   <li>A server is in flight while a reconcile (re-image) is pending on it; other operations (reboot, stop)
 *       do not count. A server is started when it exists at the platform, has no operation pending and does
 *       not run the placement's image; servers are started in ordinal order until {@code maxUnavailable} are in
 *       flight. A reconcile that ends without the new image (the host failed) leaves the server drifted, so a
 *       later wave starts it again.</li>
 *   <li>The rollout goes on while any server is drifted or in flight.</li>
 * </ul>
 */
public final class RollingWaves {

    /** The API's pattern for {@code maxUnavailable}: up to 9 digits, or 0 to 100 followed by {@code %}. */
    private static final Pattern MAX_UNAVAILABLE = Pattern.compile("^([0-9]{1,9}|([0-9]|[1-9][0-9]|100)%)$");

    private RollingWaves() {
    }

    /** The operation pending on a server, as far as a rollout is concerned. */
    public enum Operation {
        /** Nothing pending. */
        NONE,
        /** A reconcile (re-image to the placement's image): the server is in flight. */
        RECONCILE,
        /** Any other operation (reboot, hard reboot, stop): busy, but not in flight. */
        OTHER;

        /** From the stored pending operation: {@code null}, {@code "reconcile"} or another operation's name. */
        public static Operation of(String pendingOperation) {
            if (pendingOperation == null) {
                return NONE;
            }
            return pendingOperation.equals("reconcile") ? RECONCILE : OTHER;
        }
    }

    /**
     * One server of the placement.
     *
     * @param serverId the server
     * @param ordinal its place in the placement; waves start servers in ordinal order
     * @param created whether the platform has created it
     * @param current whether its last observed image is the placement's image
     * @param operation the operation pending on it
     */
    public record Server(String serverId, int ordinal, boolean created, boolean current, Operation operation) {
        public Server {
            Objects.requireNonNull(serverId, "serverId");
            Objects.requireNonNull(operation, "operation");
            if (ordinal < 0) {
                throw new IllegalArgumentException("ordinal must be >= 0: " + ordinal);
            }
        }

        /** From the stored fields; {@code imageId} is the observed image (null: not known, so not current). */
        public static Server of(String serverId, int ordinal, boolean createdAtProvider, String pendingOperation,
                                String imageId, String placementImageId) {
            Objects.requireNonNull(placementImageId, "placementImageId");
            return new Server(serverId, ordinal, createdAtProvider, placementImageId.equals(imageId),
                    Operation.of(pendingOperation));
        }

        /** A reconcile is pending: the server counts against {@code maxUnavailable}. */
        public boolean inFlight() {
            return operation == Operation.RECONCILE;
        }

        /** A wave may start it: created, idle and not on the placement's image. */
        public boolean startable() {
            return created && operation == Operation.NONE && !current;
        }
    }

    /**
     * Whether {@code value} is an acceptable {@code maxUnavailable}: it matches the API's pattern and is neither
     * {@code "0"} nor {@code "0%"}. Every acceptable value resolves to at least 1.
     */
    public static boolean valid(String value) {
        return value != null && MAX_UNAVAILABLE.matcher(value).matches() && !value.equals("0") && !value.equals("0%");
    }

    /**
     * Resolves {@code maxUnavailable} against the placement's server count: {@code null} is 1, a percentage is
     * that share of {@code serverCount} rounded up, a count is itself; the result is at least 1.
     *
     * @throws IllegalArgumentException when {@code value} does not match the API's pattern or
     *     {@code serverCount} is below 1
     */
    public static int resolveMaxUnavailable(String value, int serverCount) {
        if (serverCount < 1) {
            throw new IllegalArgumentException("a placement has at least one server: " + serverCount);
        }
        if (value == null) {
            return 1;
        }
        if (!MAX_UNAVAILABLE.matcher(value).matches()) {
            throw new IllegalArgumentException("maxUnavailable must be a count or a percentage: " + value);
        }
        long resolved;
        if (value.endsWith("%")) {
            long percent = Long.parseLong(value.substring(0, value.length() - 1));
            resolved = (percent * serverCount + 99) / 100;
        } else {
            resolved = Long.parseLong(value);
        }
        return (int) Math.max(1, resolved);
    }

    /**
     * The servers to start re-imaging now, in ordinal order: the first startable ones, as many as keep the
     * servers in flight at or below {@code maxUnavailable}. Empty when that many are in flight already.
     *
     * @param servers every server of the placement
     * @param maxUnavailable the resolved {@code maxUnavailable}
     * @throws IllegalArgumentException when {@code maxUnavailable} is below 1 or two servers share an ID or ordinal
     */
    public static List<String> nextWave(List<Server> servers, int maxUnavailable) {
        if (maxUnavailable < 1) {
            throw new IllegalArgumentException("maxUnavailable must be >= 1: " + maxUnavailable);
        }
        Set<String> ids = new HashSet<>();
        Set<Integer> ordinals = new HashSet<>();
        for (Server server : servers) {
            if (!ids.add(server.serverId())) {
                throw new IllegalArgumentException("server " + server.serverId() + " appears twice");
            }
            if (!ordinals.add(server.ordinal())) {
                throw new IllegalArgumentException("two servers have ordinal " + server.ordinal());
            }
        }
        long inFlight = servers.stream().filter(Server::inFlight).count();
        long slots = maxUnavailable - inFlight;
        List<Server> ordered = new ArrayList<>(servers);
        ordered.sort(Comparator.comparingInt(Server::ordinal));
        List<String> wave = new ArrayList<>();
        for (Server server : ordered) {
            if (wave.size() >= slots) {
                break;
            }
            if (server.startable()) {
                wave.add(server.serverId());
            }
        }
        return List.copyOf(wave);
    }

    /** Whether the rollout is still going: some server is not on the placement's image or is in flight. */
    public static boolean inProgress(List<Server> servers) {
        return servers.stream().anyMatch(s -> !s.current() || s.inFlight());
    }
}
