package io.ringfence.reservation;

import io.ringfence.fleet.FleetStore;
import io.ringfence.fleet.UnitType;
import io.ringfence.resource.ProvisioningStatus;
import io.ringfence.resource.ResourceMetadata;
import io.ringfence.capacity.FreeUnit;
import io.ringfence.fleet.FleetManifest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Reservations and their unit claims in PostgreSQL. */
@Repository
public class ReservationStore {

    /**
     * Hosts down come from one join with the few unhealthy units (the partial index of V11), not from a subquery
     * per row: a list of thousands of reservations, nearly all healthy, then costs one small aggregate. The count is
     * derived at read time rather than stored, so no write path has to keep it.
     */
    private static final String SELECT = """
            SELECT r.id, r.name, r.description, r.tags::text AS tags, r.organization_id, r.project_id, r.region_id,
                   r.accelerator, r.unit, r.unit_count, r.unit_type_id, r.pod_id, r.claimed_unit_count,
                   r.topology_hash, r.topology_observed_at, r.created_by, r.creation_time,
                   NULL AS modified_by, NULL::timestamptz AS modified_time, r.provisioning_status,
                   r.status_message, r.deletion_time, r.health_note, COALESCE(down.hosts, 0) AS hosts_down
            FROM reservation r
            LEFT JOIN (SELECT c.reservation_id, sum(d.unhealthy_hosts) AS hosts
                       FROM nvlink_domain d JOIN unit_claim c ON c.domain_id = d.id
                       WHERE d.unhealthy_hosts > 0
                       GROUP BY c.reservation_id) down ON down.reservation_id = r.id
            """;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final FleetStore fleet;

    public ReservationStore(JdbcClient jdbc, JsonMapper json, FleetStore fleet) {
        this.jdbc = jdbc;
        this.json = json;
        this.fleet = fleet;
    }

    public Optional<ReservationRecord> find(String id) {
        return jdbc.sql(SELECT + " WHERE r.id = ?").param(id).query(this::map).optional();
    }

    public List<ReservationRecord> list(ReservationFilter filter) {
        StringBuilder sql = new StringBuilder(SELECT).append(" WHERE true");
        List<Object> params = new ArrayList<>();
        if (filter.organizationIds() != null) {
            sql.append(" AND r.organization_id = ANY(?)");
            params.add(filter.organizationIds().toArray(String[]::new));
        }
        if (!filter.projectIds().isEmpty()) {
            sql.append(" AND r.project_id = ANY(?)");
            params.add(filter.projectIds().toArray(String[]::new));
        }
        if (!filter.regionIds().isEmpty()) {
            sql.append(" AND r.region_id = ANY(?)");
            params.add(filter.regionIds().toArray(String[]::new));
        }
        if (!filter.tags().isEmpty()) {
            sql.append(" AND r.tags @> ?::jsonb");
            params.add(json.writeValueAsString(filter.tags()));
        }
        sql.append(" ORDER BY r.id COLLATE \"C\"");
        return jdbc.sql(sql.toString()).params(params).query(this::map).list();
    }

    /** Takes the allocation lock of one capacity pool (a region's unit type) until the transaction ends. */
    public void lockCapacityPool(long unitTypeId) {
        jdbc.sql("SELECT id FROM unit_type WHERE id = ? FOR NO KEY UPDATE").param(unitTypeId).query(Long.class).single();
    }

    /**
     * The free, healthy units of a capacity pool: the allocator's snapshot. A unit another reservation let go of
     * is free only once the platform has it back; until then preparing it for someone else would fail.
     */
    public List<FreeUnit> freeUnits(long unitTypeId) {
        return jdbc.sql("""
                        SELECT d.id, d.pod_id, d.position
                        FROM nvlink_domain d JOIN pod p ON p.id = d.pod_id
                        WHERE p.unit_type_id = ? AND d.unhealthy_hosts = 0 AND NOT d.draining
                          AND NOT EXISTS (SELECT 1 FROM unit_claim c WHERE c.domain_id = d.id)
                          AND NOT EXISTS (SELECT 1 FROM unit_release r WHERE r.domain_id = d.id)""")
                .param(unitTypeId)
                .query((rs, n) -> new FreeUnit(rs.getString(1), rs.getString(2), rs.getInt(3)))
                .list();
    }

    /** Inserts a new reservation and its unit claims; the unique claim key refuses a unit claimed twice. */
    public void insert(ReservationRecord r, List<String> unitIds) {
        ResourceMetadata m = r.metadata();
        jdbc.sql("""
                        INSERT INTO reservation (id, name, description, tags, organization_id, project_id, region_id,
                            accelerator, unit, unit_count, unit_type_id, pod_id, claimed_unit_count, topology_hash,
                            topology_observed_at, created_by, creation_time, provisioning_status)
                        VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(m.id(), m.name(), m.description(), json.writeValueAsString(m.tags()), m.organizationId(),
                        m.projectId(), r.spec().regionId(), r.spec().accelerator(), r.spec().unit(), r.spec().count(),
                        r.unitType().id(), r.status().podId(), r.status().claimedUnitCount(),
                        r.status().topologyHash(), Timestamp.from(r.status().topologyObservedAt()), m.createdBy(),
                        Timestamp.from(m.creationTime()), r.status().provisioningStatus().value())
                .update();
        jdbc.sql("INSERT INTO unit_claim (domain_id, reservation_id) SELECT unnest(?::text[]), ?")
                .params(unitIds.toArray(String[]::new), m.id())
                .update();
    }

    /** Marks a reservation for deletion; returns false if it was already being deleted. */
    public boolean markDeleting(String id) {
        return jdbc.sql("""
                        UPDATE reservation SET deletion_time = now(), provisioning_status = 'deprovisioning'
                        WHERE id = ? AND deletion_time IS NULL""")
                .param(id).update() == 1;
    }

    /** Moves a live reservation to {@code status}, unless it is being deleted or already in {@code status}. */
    public boolean transition(String id, ProvisioningStatus next, String message) {
        String status = next.value();
        return jdbc.sql("""
                        UPDATE reservation SET provisioning_status = ?, status_message = ?,
                            topology_observed_at = CASE WHEN ? = 'provisioned' THEN now() ELSE topology_observed_at END
                        WHERE id = ? AND deletion_time IS NULL AND provisioning_status <> ?""")
                .params(status, message, status, id, status).update() == 1;
    }

    /** The units a reservation holds, in domain ID order, with their hosts and health. */
    public List<ClaimedUnit> claimedUnitStates(String reservationId) {
        Map<String, ClaimedUnit> units = new LinkedHashMap<>();
        Map<String, List<String>> hosts = new LinkedHashMap<>();
        jdbc.sql("""
                        SELECT c.domain_id, d.name, d.pod_id, d.position, c.prepared, d.unhealthy_hosts, h.infrastructure_ref
                        FROM unit_claim c JOIN nvlink_domain d ON d.id = c.domain_id JOIN host h ON h.domain_id = d.id
                        WHERE c.reservation_id = ?
                        ORDER BY c.domain_id COLLATE "C", h.infrastructure_ref COLLATE "C\"""")
                .param(reservationId)
                .query((rs, n) -> {
                    String domain = rs.getString(1);
                    units.computeIfAbsent(domain, k -> {
                        try {
                            return new ClaimedUnit(domain, rs.getString(2), rs.getString(3), rs.getInt(4),
                                    rs.getBoolean(5), rs.getInt(6), List.of());
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    hosts.computeIfAbsent(domain, k -> new ArrayList<>()).add(rs.getString(7));
                    return null;
                })
                .list();
        List<ClaimedUnit> result = new ArrayList<>();
        units.forEach((domain, unit) -> result.add(new ClaimedUnit(unit.domainId(), unit.domainName(), unit.podId(),
                unit.position(), unit.prepared(), unit.unhealthyHosts(), hosts.get(domain))));
        return result;
    }

    public void markPrepared(String reservationId, String domainId) {
        jdbc.sql("UPDATE unit_claim SET prepared = true WHERE reservation_id = ? AND domain_id = ?")
                .params(reservationId, domainId).update();
    }

    /** Locks the reservation row for a change of its claim; empty if it is gone. */
    public Optional<String> lockForClaimChange(String id) {
        return jdbc.sql("SELECT topology_hash FROM reservation WHERE id = ? AND deletion_time IS NULL FOR UPDATE")
                .param(id).query(String.class).optional();
    }

    /**
     * Like {@link #lockForClaimChange} but waits at most {@code patience} for another transaction changing the
     * claim (a reconciler pass finishing, say); then fails with PostgreSQL's {@code lock_not_available}.
     */
    public Optional<String> lockForClaimChangeWithin(String id, Duration patience) {
        jdbc.sql("SELECT set_config('lock_timeout', ?, true)").param(patience.toMillis() + "ms")
                .query(String.class).single();
        Optional<String> hash = jdbc.sql(
                        "SELECT topology_hash FROM reservation WHERE id = ? AND deletion_time IS NULL FOR UPDATE")
                .param(id).query(String.class).optional();
        jdbc.sql("SELECT set_config('lock_timeout', '0', true)").query(String.class).single();
        return hash;
    }

    /** Free, healthy, undrained units of one pod: the candidates to replace a failed unit. */
    public List<FreeUnit> spareUnits(String podId) {
        return jdbc.sql("""
                        SELECT d.id, d.pod_id, d.position FROM nvlink_domain d
                        WHERE d.pod_id = ? AND d.unhealthy_hosts = 0 AND NOT d.draining
                          AND NOT EXISTS (SELECT 1 FROM unit_claim c WHERE c.domain_id = d.id)
                          AND NOT EXISTS (SELECT 1 FROM unit_release r WHERE r.domain_id = d.id)
                        ORDER BY d.position""")
                .param(podId)
                .query((rs, n) -> new FreeUnit(rs.getString(1), rs.getString(2), rs.getInt(3)))
                .list();
    }

    /** Moves the claim from one unit to another and records the new claim version. */
    public void swapClaim(String reservationId, String failedDomain, String spareDomain, String newHash) {
        jdbc.sql("DELETE FROM unit_claim WHERE reservation_id = ? AND domain_id = ?")
                .params(reservationId, failedDomain).update();
        jdbc.sql("INSERT INTO unit_claim (domain_id, reservation_id) VALUES (?, ?)")
                .params(spareDomain, reservationId).update();
        queueUnitRelease(reservationId, List.of(failedDomain));
        jdbc.sql("UPDATE reservation SET topology_hash = ?, topology_observed_at = now() WHERE id = ?")
                .params(newHash, reservationId).update();
    }

    /** Gives up units for good: the claim count drops and never rises again. */
    public void releaseClaims(String reservationId, List<String> domainIds, String newHash) {
        int released = jdbc.sql("DELETE FROM unit_claim WHERE reservation_id = ? AND domain_id = ANY(?)")
                .params(reservationId, domainIds.toArray(String[]::new)).update();
        queueUnitRelease(reservationId, domainIds);
        jdbc.sql("""
                        UPDATE reservation SET claimed_unit_count = claimed_unit_count - ?, topology_hash = ?,
                            topology_observed_at = now()
                        WHERE id = ?""")
                .params(released, newHash, reservationId).update();
    }

    private void queueUnitRelease(String reservationId, List<String> domainIds) {
        jdbc.sql("""
                        INSERT INTO unit_release (domain_id, reservation_id) SELECT unnest(?::text[]), ?
                        ON CONFLICT (domain_id) DO UPDATE SET reservation_id = excluded.reservation_id,
                            requested_at = now()""")
                .params(domainIds.toArray(String[]::new), reservationId).update();
    }

    public void setHealthNote(String id, String note) {
        jdbc.sql("UPDATE reservation SET health_note = ? WHERE id = ? AND health_note IS DISTINCT FROM ?")
                .params(note, id, note).update();
    }

    public void touchObserved(String id) {
        jdbc.sql("UPDATE reservation SET topology_observed_at = now() WHERE id = ?").param(id).update();
    }

    /** Records why a pass is waiting, shown to the owner until the next transition. */
    public void setStatusMessage(String id, String message) {
        jdbc.sql("UPDATE reservation SET status_message = ? WHERE id = ? AND status_message IS DISTINCT FROM ?")
                .params(message, id, message).update();
    }

    /** Removes a reservation and, with it, its claims: the units are free again. */
    public void delete(String id) {
        jdbc.sql("DELETE FROM reservation WHERE id = ?").param(id).update();
    }

    private ReservationRecord map(ResultSet rs, int row) throws SQLException {
        long unitTypeId = rs.getLong("unit_type_id");
        UnitType unitType = fleet.unitType(unitTypeId)
                .orElseThrow(() -> new IllegalStateException("reservation of unknown unit type " + unitTypeId));
        return new ReservationRecord(ResourceMetadata.read(rs, json),
                new ReservationRecord.Spec(rs.getString("region_id"), rs.getString("accelerator"),
                        rs.getString("unit"), rs.getInt("unit_count")),
                new ReservationRecord.Status(ProvisioningStatus.fromValue(rs.getString("provisioning_status")),
                        rs.getString("status_message"), rs.getString("pod_id"), rs.getInt("claimed_unit_count"),
                        rs.getString("topology_hash"), ResourceMetadata.instant(rs, "topology_observed_at"),
                        rs.getInt("hosts_down"), rs.getString("health_note")),
                unitType);
    }
}
