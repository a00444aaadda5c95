package io.ringfence.fleet;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies a fleet manifest to the inventory tables in one transaction. Idempotent: applying the same manifest
 * again changes no row. A manifest that would remove a claimed unit is refused whole.
 */
@Component
public class FleetLoader {

    private static final Logger log = LoggerFactory.getLogger(FleetLoader.class);
    /** Serialises loaders of several replicas starting at once. */
    private static final long LOAD_LOCK = 0x52494e47_46454e43L;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final FleetStore fleet;

    public FleetLoader(JdbcClient jdbc, TransactionTemplate transactions, FleetStore fleet) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.fleet = fleet;
    }

    public LoadResult apply(FleetManifest manifest) {
        LoadResult result = transactions.execute(status -> applyInTransaction(manifest));
        fleet.forgetUnitTypes();
        if (result.changedRows() > 0 || result.removedRows() > 0) {
            // fresh statistics, so allocation queries use the indexes on a newly loaded fleet at once
            jdbc.sql("ANALYZE pod, nvlink_domain, host").update();
        }
        return result;
    }

    private LoadResult applyInTransaction(FleetManifest manifest) {
        jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(LOAD_LOCK).query().singleValue();

        List<String> podIds = new ArrayList<>();
        List<String> domainIds = new ArrayList<>();
        List<String> hostRefs = new ArrayList<>();
        Set<Long> unitTypeIds = new HashSet<>();
        int changed = 0;

        for (FleetManifest.Region region : manifest.regions()) {
            changed += jdbc.sql("""
                            INSERT INTO region (id, name) VALUES (?, ?)
                            ON CONFLICT (id) DO UPDATE SET name = excluded.name
                            WHERE region.name IS DISTINCT FROM excluded.name""")
                    .params(region.id(), region.name()).update();
            for (FleetManifest.UnitTypeDeclaration type : region.unitTypes()) {
                long unitTypeId = upsertUnitType(region.id(), type);
                unitTypeIds.add(unitTypeId);

                List<String> pIds = new ArrayList<>();
                List<String> pNames = new ArrayList<>();
                List<Integer> pPositions = new ArrayList<>();
                List<String> dIds = new ArrayList<>();
                List<String> dPods = new ArrayList<>();
                List<String> dNames = new ArrayList<>();
                List<Integer> dPositions = new ArrayList<>();
                List<String> hRefs = new ArrayList<>();
                List<String> hDomains = new ArrayList<>();
                List<Integer> hPositions = new ArrayList<>();
                int podPosition = 0;
                for (FleetManifest.Pod pod : type.pods()) {
                    pIds.add(pod.id());
                    pNames.add(pod.name());
                    pPositions.add(podPosition++);
                    int domainPosition = 0;
                    for (FleetManifest.Domain domain : pod.domains()) {
                        dIds.add(domain.id());
                        dPods.add(pod.id());
                        dNames.add(domain.name());
                        dPositions.add(domainPosition++);
                        int hostPosition = 0;
                        for (String host : domain.hosts()) {
                            hRefs.add(host);
                            hDomains.add(domain.id());
                            hPositions.add(hostPosition++);
                        }
                    }
                }
                changed += jdbc.sql("""
                                INSERT INTO pod (id, unit_type_id, name, position)
                                SELECT id, ?, name, position FROM unnest(?::text[], ?::text[], ?::int[]) AS t(id, name, position)
                                ON CONFLICT (id) DO UPDATE
                                SET unit_type_id = excluded.unit_type_id, name = excluded.name, position = excluded.position
                                WHERE (pod.unit_type_id, pod.name, pod.position)
                                      IS DISTINCT FROM (excluded.unit_type_id, excluded.name, excluded.position)""")
                        .params(unitTypeId, pIds.toArray(String[]::new), pNames.toArray(String[]::new),
                                pPositions.toArray(Integer[]::new))
                        .update();
                changed += jdbc.sql("""
                                INSERT INTO nvlink_domain (id, pod_id, name, position)
                                SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::int[])
                                ON CONFLICT (id) DO UPDATE
                                SET pod_id = excluded.pod_id, name = excluded.name, position = excluded.position
                                WHERE (nvlink_domain.pod_id, nvlink_domain.name, nvlink_domain.position)
                                      IS DISTINCT FROM (excluded.pod_id, excluded.name, excluded.position)""")
                        .params(dIds.toArray(String[]::new), dPods.toArray(String[]::new),
                                dNames.toArray(String[]::new), dPositions.toArray(Integer[]::new))
                        .update();
                changed += jdbc.sql("""
                                INSERT INTO host (infrastructure_ref, domain_id, position)
                                SELECT * FROM unnest(?::text[], ?::text[], ?::int[])
                                ON CONFLICT (infrastructure_ref) DO UPDATE
                                SET domain_id = excluded.domain_id, position = excluded.position
                                WHERE (host.domain_id, host.position) IS DISTINCT FROM (excluded.domain_id, excluded.position)""")
                        .params(hRefs.toArray(String[]::new), hDomains.toArray(String[]::new),
                                hPositions.toArray(Integer[]::new))
                        .update();
                podIds.addAll(pIds);
                domainIds.addAll(dIds);
                hostRefs.addAll(hRefs);
            }
        }

        refuseRemovalOfClaimedUnits(domainIds, unitTypeIds);
        String[] hosts = hostRefs.toArray(String[]::new);
        String[] domains = domainIds.toArray(String[]::new);
        String[] pods = podIds.toArray(String[]::new);
        Long[] types = unitTypeIds.toArray(Long[]::new);
        int removed = jdbc.sql("DELETE FROM host WHERE NOT (infrastructure_ref = ANY(?))").param(hosts).update()
                + jdbc.sql("DELETE FROM nvlink_domain WHERE NOT (id = ANY(?))").param(domains).update()
                + jdbc.sql("DELETE FROM pod WHERE NOT (id = ANY(?))").param(pods).update()
                + jdbc.sql("DELETE FROM unit_type WHERE NOT (id = ANY(?))").param(types).update()
                + jdbc.sql("DELETE FROM region r WHERE NOT EXISTS (SELECT 1 FROM unit_type t WHERE t.region_id = r.id)")
                        .update();
        LoadResult result = new LoadResult(manifest.regions().size(), unitTypeIds.size(), podIds.size(),
                domainIds.size(), hostRefs.size(), changed, removed);
        log.info("Fleet manifest applied: {}", result);
        return result;
    }

    private long upsertUnitType(String regionId, FleetManifest.UnitTypeDeclaration type) {
        HostShape host = type.host();
        return jdbc.sql("""
                        INSERT INTO unit_type (region_id, accelerator, unit, machine_flavor_id, device_type_resource_class,
                            hosts_per_unit, host_cpus, host_memory_gib, host_disk_gb, host_architecture, gpu_vendor,
                            gpu_model, gpu_physical_count, gpu_logical_count, gpu_memory_gib)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (region_id, accelerator, unit) DO UPDATE SET
                            machine_flavor_id = excluded.machine_flavor_id,
                            device_type_resource_class = excluded.device_type_resource_class,
                            hosts_per_unit = excluded.hosts_per_unit, host_cpus = excluded.host_cpus,
                            host_memory_gib = excluded.host_memory_gib, host_disk_gb = excluded.host_disk_gb,
                            host_architecture = excluded.host_architecture, gpu_vendor = excluded.gpu_vendor,
                            gpu_model = excluded.gpu_model, gpu_physical_count = excluded.gpu_physical_count,
                            gpu_logical_count = excluded.gpu_logical_count, gpu_memory_gib = excluded.gpu_memory_gib
                        RETURNING id""")
                .params(regionId, type.accelerator(), type.unit(), type.machineFlavorId(),
                        type.deviceTypeResourceClass(), type.hostsPerUnit(), host.cpus(), host.memory(), host.disk(),
                        host.architecture(), host.gpu().vendor(), host.gpu().model(), host.gpu().physicalCount(),
                        host.gpu().logicalCount(), host.gpu().memory())
                .query(Long.class).single();
    }

    private void refuseRemovalOfClaimedUnits(List<String> keptDomains, Set<Long> keptUnitTypes) {
        List<String> lost = jdbc.sql("""
                        SELECT c.domain_id || ' (reservation ' || c.reservation_id || ')'
                        FROM unit_claim c JOIN nvlink_domain d ON d.id = c.domain_id JOIN pod p ON p.id = d.pod_id
                        WHERE NOT (c.domain_id = ANY(?)) OR NOT (p.unit_type_id = ANY(?))
                        ORDER BY c.domain_id LIMIT 5""")
                .params(keptDomains.toArray(String[]::new), keptUnitTypes.toArray(Long[]::new))
                .query(String.class).list();
        if (!lost.isEmpty()) {
            throw new FleetManifestRejectedException("the fleet manifest removes or moves units that reservations "
                    + "still claim: " + String.join(", ", lost) + "; delete those reservations or release the "
                    + "units first, then apply the manifest again");
        }
    }

    /** What a load did: sizes of the declared inventory, rows changed and rows removed. */
    public record LoadResult(int regions, int unitTypes, int pods, int domains, int hosts, int changedRows,
                             int removedRows) {
    }
}
