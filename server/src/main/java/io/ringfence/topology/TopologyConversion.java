package io.ringfence.topology;

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
import io.ringfence.placement.PlacementConversion;
import io.ringfence.reservation.ReservationConversion;
import io.ringfence.reservation.ReservationDependents;
import io.ringfence.reservation.ReservationRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.json.JsonMapper;

/**
 * The topology view on the wire: region -> projection (unit type) -> pods -> NVLink domains -> hosts. Every host
 * shows whether it is reserved; which reservation holds it, and the reservation overlay, appear only for the
 * reservations the view lets the caller see. From the overlay's units and the hosts, a client can recompute
 * {@code topologyHash}.
 */
final class TopologyConversion {

    private TopologyConversion() {
    }

    static List<TopologyRegionV2> toWire(TopologyService.TopologyView view, JsonMapper json) {
        Map<String, ReservationRecord> visible = view.visible();
        Map<String, String> placementOfHost = view.placementOfHost();
        Map<String, Set<String>> placementsByProjection = new LinkedHashMap<>();
        Map<String, TopologyRegionV2> regions = new LinkedHashMap<>();
        Map<Long, TopologyProjectionV2> projections = new LinkedHashMap<>();
        Map<String, TopologyPodV2> pods = new LinkedHashMap<>();
        Map<String, TopologyDomainV2> domains = new LinkedHashMap<>();
        Map<String, Map<String, List<String>>> unitsByReservation = new TreeMap<>();
        for (TopologyStore.HostRow row : view.hosts()) {
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
                    placementsByProjection.computeIfAbsent(String.valueOf(row.unitTypeId()), k -> new TreeSet<>())
                            .add(placementId);
                }
                unitsByReservation.computeIfAbsent(owner.id(), k -> new TreeMap<>())
                        .computeIfAbsent(row.domainId(), k -> new ArrayList<>()).add(row.infrastructureRef());
                projection.getOverlays().getReservations().computeIfAbsent(owner.id(), k -> overlay(owner));
            }
            domain.getHosts().add(host);
        }
        for (Map.Entry<String, Map<String, List<String>>> entry : unitsByReservation.entrySet()) {
            Map<String, List<ReservationDependents.Consumer>> used = view.consumers().getOrDefault(entry.getKey(),
                    Map.of());
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
            Set<String> ids = placementsByProjection.get(String.valueOf(unitTypeId));
            if (ids != null) {
                ids.forEach(id -> {
                    if (view.placements().containsKey(id)) {
                        projection.getOverlays().getPlacements().put(id,
                                PlacementConversion.toRead(view.placements().get(id), json));
                    }
                });
            }
        });
        return new ArrayList<>(regions.values());
    }

    private static TopologyReservationOverlayV2 overlay(ReservationRecord reservation) {
        ReservationV2Read read = ReservationConversion.toRead(reservation);
        return new TopologyReservationOverlayV2().metadata(read.getMetadata()).spec(read.getSpec())
                .status(read.getStatus()).topologyEntityTag(reservation.status().topologyHash()).units(new TreeMap<>());
    }
}
