package io.ringfence.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Draws an organization's topology as a compact grid: one line per NVLink domain, one character per host, grouped
 * by region, projection (accelerator/unit) and pod. Domains the caller's reservations claim are starred and
 * annotated with the reservation and the placements on them.
 */
public final class TopologyRenderer {

    public static final char FREE = '.';
    public static final char RESERVED_BY_OTHERS = 'r';
    public static final char CLAIMED = '#';
    public static final char PLACED = 'P';
    public static final char UNHEALTHY = 'x';

    public static final String LEGEND = "Legend: " + FREE + " free   " + RESERVED_BY_OTHERS + " reserved by others   "
            + CLAIMED + " claimed by you   " + PLACED + " in your placement   " + UNHEALTHY + " unhealthy   "
            + "* your claimed domain";

    private TopologyRenderer() {
    }

    /**
     * @param topology  the API's organization topology (an array of regions)
     * @param unhealthy infrastructure refs of unhealthy hosts, or null when the caller may not know them
     */
    public static List<String> render(JsonNode topology, Set<String> unhealthy) {
        List<String> lines = new ArrayList<>();
        int claimedDomains = 0;
        int unhealthyShown = 0;
        for (JsonNode region : topology) {
            for (JsonNode projection : region.path("projections")) {
                JsonNode unit = projection.path("reservationUnit");
                lines.add("region " + Json.text(region, "regionId") + "  " + Json.text(unit, "accelerator") + "/"
                        + Json.text(unit, "unit") + "  (" + Json.text(unit, "hostsPerUnit") + " hosts per domain)");
                JsonNode reservations = projection.path("overlays").path("reservations");
                JsonNode placements = projection.path("overlays").path("placements");
                int nameWidth = 0;
                for (JsonNode pod : projection.path("topology")) {
                    for (JsonNode domain : pod.path("domains")) {
                        nameWidth = Math.max(nameWidth, domainName(domain).length());
                    }
                }
                for (JsonNode pod : projection.path("topology")) {
                    String podName = Json.text(pod, "name");
                    lines.add("  " + (podName.isEmpty() ? "pod " + BaseCommand.shortId(Json.text(pod, "id")) : podName));
                    for (JsonNode domain : pod.path("domains")) {
                        StringBuilder cells = new StringBuilder();
                        Set<String> ownReservations = new LinkedHashSet<>();
                        Map<String, Integer> ownPlacements = new LinkedHashMap<>();
                        int domainUnhealthy = 0;
                        for (JsonNode host : domain.path("hosts")) {
                            String reservationRef = Json.text(host, "reservationRef");
                            String placementRef = Json.text(host, "placementRef");
                            boolean own = !reservationRef.isEmpty();
                            if (own) {
                                ownReservations.add(reservationRef);
                            }
                            if (!placementRef.isEmpty()) {
                                ownPlacements.merge(placementRef, 1, Integer::sum);
                            }
                            char cell;
                            if (unhealthy != null && unhealthy.contains(Json.text(host, "infrastructureRef"))) {
                                cell = UNHEALTHY;
                                domainUnhealthy++;
                            } else if (!placementRef.isEmpty()) {
                                cell = PLACED;
                            } else if (own) {
                                cell = CLAIMED;
                            } else if (host.path("reserved").asBoolean(false)) {
                                cell = RESERVED_BY_OTHERS;
                            } else {
                                cell = FREE;
                            }
                            cells.append(cell);
                        }
                        unhealthyShown += domainUnhealthy;
                        boolean claimed = !ownReservations.isEmpty();
                        if (claimed) {
                            claimedDomains++;
                        }
                        StringBuilder line = new StringBuilder("  ").append(claimed ? "* " : "  ")
                                .append(pad(domainName(domain), nameWidth)).append("  ").append(cells);
                        List<String> notes = new ArrayList<>();
                        for (String reservationId : ownReservations) {
                            notes.add(describeReservation(reservationId, reservations.path(reservationId)));
                        }
                        for (Map.Entry<String, Integer> placement : ownPlacements.entrySet()) {
                            String name = Json.text(placements.path(placement.getKey()), "metadata", "name");
                            notes.add("placement " + (name.isEmpty() ? "" : name + " ") + "("
                                    + BaseCommand.shortId(placement.getKey()) + ") " + placement.getValue() + " hosts");
                        }
                        if (domainUnhealthy > 0) {
                            notes.add(domainUnhealthy + " unhealthy");
                        }
                        if (!notes.isEmpty()) {
                            line.append("  ").append(String.join("; ", notes));
                        }
                        lines.add(line.toString().stripTrailing());
                    }
                }
                lines.add("");
            }
        }
        lines.add(LEGEND);
        lines.add("Your claimed domains: " + claimedDomains + ". " + (unhealthy == null
                ? "Unhealthy hosts are shown to operators only; a reservation's health says how many of its hosts are down."
                : "Unhealthy hosts: " + unhealthyShown + "."));
        return lines;
    }

    private static String describeReservation(String id, JsonNode overlay) {
        String name = Json.text(overlay, "metadata", "name");
        String status = Json.text(overlay, "metadata", "provisioningStatus");
        String health = Json.text(overlay, "metadata", "healthStatus");
        StringBuilder text = new StringBuilder("reservation ");
        if (!name.isEmpty()) {
            text.append(name).append(' ');
        }
        text.append('(').append(BaseCommand.shortId(id)).append(')');
        if (!status.isEmpty()) {
            text.append(' ').append(status);
        }
        if (!health.isEmpty() && !"healthy".equals(health)) {
            String detail = Json.text(overlay, "metadata", "healthStatusDetail", "message");
            text.append(", ").append(health).append(detail.isEmpty() ? "" : " (" + detail + ")");
        }
        return text.toString();
    }

    private static String domainName(JsonNode domain) {
        String name = Json.text(domain, "name");
        return name.isEmpty() ? BaseCommand.shortId(Json.text(domain, "id")) : name;
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
