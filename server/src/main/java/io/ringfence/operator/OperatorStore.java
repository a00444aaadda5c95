package io.ringfence.operator;

import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The inventory as operators see it: every host with its state and its claim. */
@Repository
public class OperatorStore {

    private final JdbcClient jdbc;

    public OperatorStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<HostView> hosts(String regionId, String domainId, String infrastructureRef, Boolean healthy) {
        StringBuilder sql = new StringBuilder("""
                SELECT h.infrastructure_ref, t.region_id, t.accelerator, t.unit, p.id AS pod_id, p.name AS pod_name,
                       d.id AS domain_id, d.name AS domain_name, h.healthy, h.provider_healthy, h.operator_faulty,
                       h.health_reason, d.draining, c.reservation_id, r.organization_id, r.project_id
                FROM host h
                JOIN nvlink_domain d ON d.id = h.domain_id
                JOIN pod p ON p.id = d.pod_id
                JOIN unit_type t ON t.id = p.unit_type_id
                LEFT JOIN unit_claim c ON c.domain_id = d.id
                LEFT JOIN reservation r ON r.id = c.reservation_id
                WHERE true""");
        List<Object> params = new ArrayList<>();
        if (regionId != null) {
            sql.append(" AND t.region_id = ?");
            params.add(regionId);
        }
        if (domainId != null) {
            sql.append(" AND d.id = ?");
            params.add(domainId);
        }
        if (infrastructureRef != null) {
            sql.append(" AND h.infrastructure_ref = ?");
            params.add(infrastructureRef);
        }
        if (healthy != null) {
            sql.append(" AND h.healthy = ?");
            params.add(healthy);
        }
        sql.append(" ORDER BY t.region_id, p.position, d.position, h.position");
        return jdbc.sql(sql.toString()).params(params)
                .query((rs, n) -> new HostView(rs.getString("infrastructure_ref"), rs.getString("region_id"),
                        rs.getString("accelerator"), rs.getString("unit"), rs.getString("pod_id"),
                        rs.getString("pod_name"), rs.getString("domain_id"), rs.getString("domain_name"),
                        rs.getBoolean("healthy"), rs.getBoolean("provider_healthy"), rs.getBoolean("operator_faulty"),
                        rs.getString("health_reason"), rs.getBoolean("draining"), rs.getString("reservation_id"),
                        rs.getString("organization_id"), rs.getString("project_id")))
                .list();
    }

    public List<String> hostsOfDomain(String domainId) {
        return jdbc.sql("SELECT infrastructure_ref FROM host WHERE domain_id = ? ORDER BY position")
                .param(domainId).query(String.class).list();
    }

    public boolean setDraining(String domainId, boolean draining) {
        return jdbc.sql("UPDATE nvlink_domain SET draining = ? WHERE id = ?").params(draining, domainId).update() == 1;
    }

    /** One host as operators see it: where it is, its health from both sources, and who holds it. */
    public record HostView(String infrastructureRef, String regionId, String accelerator, String unit, String podId,
                           String podName, String domainId, String domainName, boolean healthy,
                           boolean platformHealthy, boolean operatorFaulty, String healthReason, boolean draining,
                           String reservationId, String organizationId, String projectId) {
    }
}
