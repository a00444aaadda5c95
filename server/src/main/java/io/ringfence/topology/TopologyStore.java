package io.ringfence.topology;

import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The fleet's hosts in physical order, each with the reservation claiming it, for the topology view. */
@Repository
public class TopologyStore {

    private final JdbcClient jdbc;

    public TopologyStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<HostRow> hosts(String regionId, String accelerator, String unit) {
        StringBuilder sql = new StringBuilder("""
                SELECT t.id AS unit_type_id, t.region_id, t.accelerator, t.unit, t.machine_flavor_id,
                       t.device_type_resource_class, t.hosts_per_unit, p.id AS pod_id, p.name AS pod_name,
                       d.id AS domain_id, d.name AS domain_name, h.infrastructure_ref, c.reservation_id
                FROM unit_type t
                JOIN pod p ON p.unit_type_id = t.id
                JOIN nvlink_domain d ON d.pod_id = p.id
                JOIN host h ON h.domain_id = d.id
                LEFT JOIN unit_claim c ON c.domain_id = d.id
                WHERE true""");
        List<Object> params = new ArrayList<>();
        if (regionId != null) {
            sql.append(" AND t.region_id = ?");
            params.add(regionId);
        }
        if (accelerator != null) {
            sql.append(" AND t.accelerator = ?");
            params.add(accelerator);
        }
        if (unit != null) {
            sql.append(" AND t.unit = ?");
            params.add(unit);
        }
        sql.append(" ORDER BY t.region_id, t.accelerator, t.unit, p.position, d.position, h.position");
        return jdbc.sql(sql.toString()).params(params)
                .query((rs, n) -> new HostRow(rs.getLong("unit_type_id"), rs.getString("region_id"),
                        rs.getString("accelerator"), rs.getString("unit"), rs.getString("machine_flavor_id"),
                        rs.getString("device_type_resource_class"), rs.getInt("hosts_per_unit"),
                        rs.getString("pod_id"), rs.getString("pod_name"), rs.getString("domain_id"),
                        rs.getString("domain_name"), rs.getString("infrastructure_ref"),
                        rs.getString("reservation_id")))
                .list();
    }

    /** One host with its place in the hierarchy and the reservation claiming it, if any. */
    public record HostRow(long unitTypeId, String regionId, String accelerator, String unit, String machineFlavorId,
                          String deviceTypeResourceClass, int hostsPerUnit, String podId, String podName,
                          String domainId, String domainName, String infrastructureRef, String reservationId) {
    }
}
