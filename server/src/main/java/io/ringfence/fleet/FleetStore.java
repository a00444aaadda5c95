package io.ringfence.fleet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads the physical inventory. Writes belong to {@link FleetLoader}. */
@Repository
public class FleetStore {

    private static final String UNIT_TYPE_COLUMNS = """
            id, region_id, accelerator, unit, machine_flavor_id, device_type_resource_class, hosts_per_unit,
            host_cpus, host_memory_gib, host_disk_gb, host_architecture, gpu_vendor, gpu_model,
            gpu_physical_count, gpu_logical_count, gpu_memory_gib""";

    private final JdbcClient jdbc;
    /** Unit types change only when a manifest is applied; every create looks one up, every read row by ID. */
    private volatile UnitTypes unitTypes;

    private record UnitTypes(List<UnitType> all, Map<Long, UnitType> byId, Map<Offering, UnitType> byOffering) {
        static UnitTypes of(List<UnitType> all) {
            Map<Long, UnitType> byId = new HashMap<>();
            Map<Offering, UnitType> byOffering = new HashMap<>();
            all.forEach(t -> {
                byId.put(t.id(), t);
                // unit_type holds each (region, accelerator, unit) once
                byOffering.put(new Offering(t.regionId(), t.accelerator(), t.unit()), t);
            });
            return new UnitTypes(List.copyOf(all), Map.copyOf(byId), Map.copyOf(byOffering));
        }
    }

    /** What a create names. With many regions, scanning every unit type took 3% of a create's request-thread time. */
    private record Offering(String regionId, String accelerator, String unit) {
    }

    public FleetStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<UnitType> unitTypes() {
        return cachedUnitTypes().all();
    }

    private UnitTypes cachedUnitTypes() {
        UnitTypes cached = unitTypes;
        if (cached == null) {
            cached = UnitTypes.of(loadUnitTypes());
            unitTypes = cached;
        }
        return cached;
    }

    /** Called after a manifest was applied. */
    public void forgetUnitTypes() {
        unitTypes = null;
    }

    private List<UnitType> loadUnitTypes() {
        return jdbc.sql("SELECT " + UNIT_TYPE_COLUMNS + " FROM unit_type ORDER BY region_id, accelerator, unit")
                .query((rs, n) -> new UnitType(rs.getLong("id"), rs.getString("region_id"), rs.getString("accelerator"),
                        rs.getString("unit"), rs.getString("machine_flavor_id"),
                        rs.getString("device_type_resource_class"), rs.getInt("hosts_per_unit"),
                        new HostShape(rs.getInt("host_cpus"), rs.getInt("host_memory_gib"),
                                rs.getInt("host_disk_gb"), rs.getString("host_architecture"),
                                new HostShape.Gpu(rs.getString("gpu_vendor"), rs.getString("gpu_model"),
                                        rs.getInt("gpu_physical_count"), rs.getInt("gpu_logical_count"),
                                        rs.getInt("gpu_memory_gib")))))
                .list();
    }

    public Optional<UnitType> unitType(String regionId, String accelerator, String unit) {
        return Optional.ofNullable(cachedUnitTypes().byOffering().get(new Offering(regionId, accelerator, unit)));
    }

    public Optional<UnitType> unitType(long id) {
        return Optional.ofNullable(cachedUnitTypes().byId().get(id));
    }

    /**
     * Per pod of every unit type: how many domains it has and how many are free (unclaimed, and back at the
     * platform if a reservation let go of them), healthy, undrained, and booked by nobody from now on: what an
     * open-ended reservation could take now.
     */
    public List<PodCapacity> podCapacities() {
        return jdbc.sql("""
                        SELECT p.unit_type_id, p.id AS pod_id, count(*) AS total,
                               count(*) FILTER (WHERE c.domain_id IS NULL AND r.domain_id IS NULL AND d.unhealthy_hosts = 0
                                                AND NOT d.draining
                                                AND NOT EXISTS (SELECT 1 FROM unit_booking b WHERE b.domain_id = d.id
                                                    AND (upper_inf(b.during) OR upper(b.during) > now()))) AS free,
                               count(c.domain_id) AS claimed,
                               count(*) FILTER (WHERE d.unhealthy_hosts > 0) AS unhealthy,
                               count(*) FILTER (WHERE d.draining) AS draining
                        FROM pod p
                        JOIN nvlink_domain d ON d.pod_id = p.id
                        LEFT JOIN unit_claim c ON c.domain_id = d.id
                        LEFT JOIN unit_release r ON r.domain_id = d.id
                        GROUP BY p.unit_type_id, p.id""")
                .query((rs, n) -> new PodCapacity(rs.getLong("unit_type_id"), rs.getString("pod_id"),
                        rs.getInt("total"), rs.getInt("free"), rs.getInt("claimed"), rs.getInt("unhealthy"),
                        rs.getInt("draining")))
                .list();
    }

    /** The region a domain (unit) is in. */
    public String regionOfDomain(String domainId) {
        return jdbc.sql("""
                        SELECT t.region_id FROM nvlink_domain d JOIN pod p ON p.id = d.pod_id
                        JOIN unit_type t ON t.id = p.unit_type_id WHERE d.id = ?""")
                .param(domainId).query(String.class).single();
    }

    /** Infrastructure refs of the hosts of the given domains, per domain. */
    public Map<String, List<String>> hostsByDomain(List<String> domainIds) {
        Map<String, List<String>> hosts = new LinkedHashMap<>();
        for (String domainId : domainIds) {
            hosts.put(domainId, new ArrayList<>());
        }
        jdbc.sql("SELECT domain_id, infrastructure_ref FROM host WHERE domain_id = ANY(?) ORDER BY domain_id, position")
                .param(domainIds.toArray(String[]::new))
                .query((rs, n) -> {
                    hosts.get(rs.getString("domain_id")).add(rs.getString("infrastructure_ref"));
                    return null;
                })
                .list();
        return hosts;
    }

    /** Units of one pod: all, free and healthy, claimed, with failed hosts, draining (the last three may overlap). */
    public record PodCapacity(long unitTypeId, String podId, int totalUnits, int freeUnits, int claimedUnits,
                              int unhealthyUnits, int drainingUnits) {
    }
}
