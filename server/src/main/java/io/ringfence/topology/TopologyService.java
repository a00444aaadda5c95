package io.ringfence.topology;

import io.ringfence.identity.Acl;
import io.ringfence.identity.Caller;
import io.ringfence.placement.PlacementService;
import io.ringfence.reservation.ReservationDependents;
import io.ringfence.reservation.ReservationFilter;
import io.ringfence.reservation.ReservationRecord;
import io.ringfence.reservation.ReservationStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.stereotype.Service;

/**
 * Gathers an organization's topology view: every host of the fleet in physical order, and of them what the
 * caller may see (its organization's readable reservations, narrowed by the filters, with their placements).
 */
@Service
public class TopologyService {

    private final TopologyStore topology;
    private final ReservationStore reservations;
    private final ReservationDependents dependents;
    private final PlacementService placements;

    public TopologyService(TopologyStore topology, ReservationStore reservations,
                           ReservationDependents dependents, PlacementService placements) {
        this.topology = topology;
        this.reservations = reservations;
        this.dependents = dependents;
        this.placements = placements;
    }

    /**
     * Everything the view shows.
     *
     * @param visible the reservations whose overlays the caller sees, by ID
     * @param placementOfHost the placement on each host of a visible reservation
     * @param consumers per visible reservation, the consumers of each of its units that has any
     * @param placements the placements on visible reservations, with their servers
     */
    public record TopologyView(List<TopologyStore.HostRow> hosts, Map<String, ReservationRecord> visible,
                               Map<String, String> placementOfHost,
                               Map<String, Map<String, List<ReservationDependents.Consumer>>> consumers,
                               Map<String, PlacementService.PlacementView> placements) {
    }

    public TopologyView view(Caller caller, String organizationId, String regionId, String accelerator, String unit,
                             String projectId, String reservationId) {
        caller.requireSomewhereIn(Acl.Endpoint.TOPOLOGY, Acl.Operation.READ, organizationId);
        Map<String, ReservationRecord> visible = new TreeMap<>();
        for (ReservationRecord r : reservations.list(new ReservationFilter(Set.of(organizationId),
                projectId == null ? List.of() : List.of(projectId), List.of(), List.of()))) {
            if ((reservationId == null || reservationId.equals(r.id()))
                    && caller.allows(Acl.Endpoint.RESERVATIONS, Acl.Operation.READ, r.organizationId(), r.projectId())) {
                visible.put(r.id(), r);
            }
        }
        List<TopologyStore.HostRow> hosts = topology.hosts(regionId, accelerator, unit);
        Map<String, Set<String>> unitsByReservation = new TreeMap<>();
        for (TopologyStore.HostRow row : hosts) {
            if (row.reservationId() != null && visible.containsKey(row.reservationId())) {
                unitsByReservation.computeIfAbsent(row.reservationId(), k -> new TreeSet<>()).add(row.domainId());
            }
        }
        Map<String, Map<String, List<ReservationDependents.Consumer>>> consumers = new TreeMap<>();
        unitsByReservation.forEach((id, units) -> consumers.put(id, dependents.consumersOf(id, List.copyOf(units))));
        Map<String, String> placementOfHost = placements.placementOfHosts(visible.keySet());
        return new TopologyView(hosts, visible, placementOfHost, consumers,
                placements.views(new TreeSet<>(placementOfHost.values())));
    }
}
