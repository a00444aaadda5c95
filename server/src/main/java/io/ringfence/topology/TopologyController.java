package io.ringfence.topology;

import io.ringfence.reservation.ReservationConversion;
import io.ringfence.reservation.ReservationFilter;
import io.ringfence.reservation.ReservationRecord;
import io.ringfence.reservation.ReservationRepository;
import io.ringfence.reservation.UnitConsumers;
import io.ringfence.contract.api.TopologyApi;
import io.ringfence.contract.model.ReservationV2Read;
import io.ringfence.contract.model.TopologyDomainV2;
import io.ringfence.contract.model.TopologyHostV2;
import io.ringfence.contract.model.TopologyOverlaysV2;
import io.ringfence.contract.model.TopologyPodV2;
import io.ringfence.contract.model.TopologyProjectionV2;
import io.ringfence.contract.model.TopologyRegionV2;
import io.ringfence.contract.model.TopologyReservationOverlayUnitV2;
import io.ringfence.contract.model.TopologyReservationOverlayV2;
import io.ringfence.contract.model.TopologyReservationUnitV2;
import io.ringfence.identity.Acl;
import io.ringfence.identity.Caller;
import io.ringfence.identity.CurrentCaller;
import io.ringfence.error.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v2/organizations/{organizationID}/topology}: region -> projection (unit type) -> pods ->
 * NVLink domains -> hosts. Every host shows whether it is reserved; which reservation holds it, and the
 * reservation overlay, appear only for the organization's own reservations (narrowed by the project and
 * reservation filters). From the overlay's units and the hosts, a client can recompute {@code topologyHash}.
 */
@RestController
public class TopologyController implements TopologyApi {

    private final TopologyStore topology;
    private final ReservationRepository reservations;
    private final UnitConsumers consumers;
    private final PlacementOverlays placements;
    private final CurrentCaller caller;

    public TopologyController(TopologyStore topology, ReservationRepository reservations,
                              UnitConsumers consumers, PlacementOverlays placements, CurrentCaller caller) {
        this.placements = placements;
        this.topology = topology;
        this.reservations = reservations;
        this.consumers = consumers;
        this.caller = caller;
    }

    @Override
    public ResponseEntity<List<TopologyRegionV2>> getOrganizationTopology(String organizationID, String regionID,
                                                                          String accelerator, String unit,
                                                                          String projectID, String reservationID) {
        Caller current = caller.get();
        if (!current.allowsSomewhereIn(Acl.Endpoint.TOPOLOGY, Acl.Operation.READ, organizationID)) {
            throw ApiException.forbidden();
        }
        Map<String, ReservationRecord> visible = new TreeMap<>();
        for (ReservationRecord r : reservations.list(new ReservationFilter(java.util.Set.of(organizationID),
                projectID == null ? List.of() : List.of(projectID), List.of(), List.of()))) {
            if ((reservationID == null || reservationID.equals(r.id()))
                    && current.allows(Acl.Endpoint.RESERVATIONS, Acl.Operation.READ, r.organizationId(), r.projectId())) {
                visible.put(r.id(), r);
            }
        }

        Map<String, String> placementOfHost = placements.placementOfHosts(visible.keySet());
        Map<String, java.util.Set<String>> placementsByProjection = new LinkedHashMap<>();
        Map<String, TopologyRegionV2> regions = new LinkedHashMap<>();
        Map<Long, TopologyProjectionV2> projections = new LinkedHashMap<>();
        Map<String, TopologyPodV2> pods = new LinkedHashMap<>();
        Map<String, TopologyDomainV2> domains = new LinkedHashMap<>();
        Map<String, Map<String, List<String>>> unitsByReservation = new TreeMap<>();
        for (TopologyStore.HostRow row : topology.hosts(regionID, accelerator, unit)) {
            TopologyRegionV2 region = regions.computeIfAbsent(row.regionId(),
                    id -> new TopologyRegionV2().regionId(id).projections(new ArrayList<>()));
            TopologyProjectionV2 projection = projections.computeIfAbsent(row.unitTypeId(), id -> {
                TopologyProjectionV2 p = new TopologyProjectionV2()
                        .reservationUnit(new TopologyReservationUnitV2().accelerator(row.accelerator())
                                .unit(row.unit()).machineFlavorId(row.machineFlavorId())
                                .deviceTypeResourceClass(row.deviceTypeResourceClass())
                                .hostsPerUnit(row.hostsPerUnit()))
                        .topology(new ArrayList<>())
                        .overlays(new TopologyOverlaysV2().reservations(new TreeMap<>()).placements(new TreeMap<>()));
                region.getProjections().add(p);
                return p;
            });
            TopologyPodV2 pod = pods.computeIfAbsent(row.podId(), id -> {
                TopologyPodV2 p = new TopologyPodV2().id(id).name(row.podName()).domains(new ArrayList<>());
                projection.getTopology().add(p);
                return p;
            });
            TopologyDomainV2 domain = domains.computeIfAbsent(row.domainId(), id -> {
                TopologyDomainV2 d = new TopologyDomainV2().id(id).name(row.domainName()).hosts(new ArrayList<>());
                pod.getDomains().add(d);
                return d;
            });
            TopologyHostV2 host = new TopologyHostV2().infrastructureRef(row.infrastructureRef())
                    .reserved(row.reservationId() != null);
            ReservationRecord owner = row.reservationId() == null ? null : visible.get(row.reservationId());
            if (owner != null) {
                host.reservationRef(owner.id()).reservationUnitRef(row.domainId());
                String placementId = placementOfHost.get(row.infrastructureRef());
                if (placementId != null) {
                    host.placementRef(placementId);
                    placementsByProjection.computeIfAbsent(String.valueOf(row.unitTypeId()), k -> new java.util.TreeSet<>())
                            .add(placementId);
                }
                unitsByReservation.computeIfAbsent(owner.id(), k -> new TreeMap<>())
                        .computeIfAbsent(row.domainId(), k -> new ArrayList<>()).add(row.infrastructureRef());
                projection.getOverlays().getReservations().computeIfAbsent(owner.id(), k -> overlay(owner));
            }
            domain.getHosts().add(host);
        }
        for (Map.Entry<String, Map<String, List<String>>> entry : unitsByReservation.entrySet()) {
            Map<String, List<UnitConsumers.Consumer>> used = consumers.of(entry.getKey(),
                    List.copyOf(entry.getValue().keySet()));
            for (TopologyProjectionV2 projection : projections.values()) {
                TopologyReservationOverlayV2 overlay = projection.getOverlays().getReservations().get(entry.getKey());
                if (overlay != null) {
                    entry.getValue().forEach((unitId, hosts) -> overlay.putUnitsItem(unitId,
                            new TopologyReservationOverlayUnitV2().infrastructureRefs(hosts)
                                    .occupied(used.containsKey(unitId))));
                }
            }
        }
        projections.forEach((unitTypeId, projection) -> {
            java.util.Set<String> ids = placementsByProjection.get(String.valueOf(unitTypeId));
            if (ids != null) {
                projection.getOverlays().getPlacements().putAll(placements.placements(ids));
            }
        });
        return ResponseEntity.ok(new ArrayList<>(regions.values()));
    }

    private static TopologyReservationOverlayV2 overlay(ReservationRecord reservation) {
        ReservationV2Read read = ReservationConversion.toRead(reservation);
        return new TopologyReservationOverlayV2().metadata(read.getMetadata()).spec(read.getSpec())
                .status(read.getStatus()).topologyEntityTag(reservation.topologyHash()).units(new TreeMap<>());
    }
}
