package io.ringfence.placement;

import io.ringfence.planner.FreeHost;
import io.ringfence.resource.ResourceTag;
import io.ringfence.reservation.UnitConsumers;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Placements, their hosts and their servers in PostgreSQL. */
@Repository
public class PlacementRepository implements UnitConsumers {

    private static final TypeReference<List<ResourceTag>> TAG_LIST = new TypeReference<>() {
    };
    private static final String SELECT = """
            SELECT id, name, description, tags::text AS tags, organization_id, project_id, reservation_id, region_id,
                   network_id, host_count, policy, max_skew, min_domains, when_unsatisfiable, readiness_mode, image_id,
                   ssh_ca_id, networking::text AS networking, user_data, update_type, max_unavailable, created_by,
                   creation_time, modified_by, modified_time, provisioning_status, status_message, deletion_time
            FROM placement""";
    private static final String SELECT_SERVERS = """
            SELECT s.id, s.placement_id, s.ordinal, s.name, s.infrastructure_ref, s.creation_time, s.created_at_provider,
                   s.power_state, s.private_ip, s.public_ip, s.mac_address, s.image_id, s.desired_state,
                   s.lifecycle_revision, s.operation_generation, s.observed_generation, s.pending_operation,
                   s.operation_issued, h.domain_id, d.pod_id, h.healthy, h.health_reason, s.ever_running
            FROM placement_server s JOIN host h ON h.infrastructure_ref = s.infrastructure_ref
            JOIN nvlink_domain d ON d.id = h.domain_id""";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    public PlacementRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public Optional<PlacementRecord> find(String id) {
        return jdbc.sql(SELECT + " WHERE id = ?").param(id).query(this::map).optional();
    }

    public List<PlacementRecord> list(PlacementFilter filter) {
        StringBuilder sql = new StringBuilder(SELECT).append(" WHERE true");
        List<Object> params = new ArrayList<>();
        if (filter.organizationIds() != null) {
            sql.append(" AND organization_id = ANY(?)");
            params.add(filter.organizationIds().toArray(String[]::new));
        }
        any(sql, params, "project_id", filter.projectIds());
        any(sql, params, "region_id", filter.regionIds());
        any(sql, params, "reservation_id", filter.reservationIds());
        any(sql, params, "network_id", filter.networkIds());
        if (!filter.tags().isEmpty()) {
            sql.append(" AND tags @> ?::jsonb");
            params.add(json.writeValueAsString(filter.tags()));
        }
        sql.append(" ORDER BY id COLLATE \"C\"");
        return jdbc.sql(sql.toString()).params(params).query(this::map).list();
    }

    public List<String> idsOfReservation(String reservationId) {
        return jdbc.sql("SELECT id FROM placement WHERE reservation_id = ?").param(reservationId)
                .query(String.class).list();
    }

    /** The reservation's hosts that no placement uses and that are healthy, with whether their unit is prepared. */
    public List<FreeHost> freeHosts(String reservationId) {
        return jdbc.sql("""
                        SELECT h.infrastructure_ref, h.domain_id, d.position, h.position, c.prepared
                        FROM unit_claim c JOIN nvlink_domain d ON d.id = c.domain_id JOIN host h ON h.domain_id = d.id
                        WHERE c.reservation_id = ? AND h.healthy
                          AND NOT EXISTS (SELECT 1 FROM placement_host ph WHERE ph.infrastructure_ref = h.infrastructure_ref)""")
                .param(reservationId)
                .query((rs, n) -> new FreeHost(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4),
                        rs.getBoolean(5)))
                .list();
    }

    public void insert(PlacementRecord p, List<FreeHost> hosts, List<String> serverIds) {
        jdbc.sql("""
                        INSERT INTO placement (id, name, description, tags, organization_id, project_id, reservation_id,
                            region_id, network_id, host_count, policy, max_skew, min_domains, when_unsatisfiable,
                            readiness_mode, image_id, ssh_ca_id, networking, user_data, update_type, max_unavailable,
                            created_by, creation_time, provisioning_status)
                        VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, 'pending')""")
                .params(p.id(), p.name(), p.description(), json.writeValueAsString(p.tags()), p.organizationId(),
                        p.projectId(), p.reservationId(), p.regionId(), p.networkId(), p.hostCount(), p.policy(),
                        p.maxSkew(), p.minDomains(), p.whenUnsatisfiable(), p.readinessMode(), p.imageId(), p.sshCaId(),
                        p.networking(), p.userData(), p.updateType(), p.maxUnavailable(), p.createdBy(),
                        Timestamp.from(p.creationTime()))
                .update();
        String[] refs = hosts.stream().map(FreeHost::infrastructureRef).toArray(String[]::new);
        String[] domains = hosts.stream().map(FreeHost::domainId).toArray(String[]::new);
        Integer[] ordinals = new Integer[hosts.size()];
        String[] names = new String[hosts.size()];
        for (int i = 0; i < ordinals.length; i++) {
            ordinals[i] = i;
            names[i] = p.name() + "-" + i;
        }
        jdbc.sql("""
                        INSERT INTO placement_host (infrastructure_ref, placement_id, reservation_id, domain_id, ordinal)
                        SELECT ref, ?, ?, domain, ordinal FROM unnest(?::text[], ?::text[], ?::int[]) AS t(ref, domain, ordinal)""")
                .params(p.id(), p.reservationId(), refs, domains, ordinals).update();
        jdbc.sql("""
                        INSERT INTO placement_server (id, placement_id, ordinal, name, infrastructure_ref, image_id)
                        SELECT id, ?, ordinal, name, ref, ? FROM unnest(?::text[], ?::int[], ?::text[], ?::text[])
                            AS t(id, ordinal, name, ref)""")
                .params(p.id(), p.imageId(), serverIds.toArray(String[]::new), ordinals, names, refs).update();
    }

    public boolean markDeleting(String id) {
        return jdbc.sql("""
                        UPDATE placement SET deletion_time = now(), provisioning_status = 'deprovisioning'
                        WHERE id = ? AND deletion_time IS NULL""").param(id).update() == 1;
    }

    public void updateImage(String id, String imageId, String updateType, String maxUnavailable, String modifiedBy) {
        jdbc.sql("""
                        UPDATE placement SET image_id = ?, update_type = ?, max_unavailable = ?, modified_by = ?,
                            modified_time = now()
                        WHERE id = ?""")
                .params(imageId, updateType, maxUnavailable, modifiedBy, id).update();
    }

    public boolean transition(String id, String status, String message) {
        return jdbc.sql("""
                        UPDATE placement SET provisioning_status = ?, status_message = ?
                        WHERE id = ? AND deletion_time IS NULL AND (provisioning_status <> ? OR status_message IS DISTINCT FROM ?)""")
                .params(status, message, id, status, message).update() == 1;
    }

    public void delete(String id) {
        jdbc.sql("DELETE FROM placement WHERE id = ?").param(id).update();
    }

    public List<ServerRecord> servers(String placementId) {
        return jdbc.sql(SELECT_SERVERS + " WHERE s.placement_id = ? ORDER BY s.ordinal").param(placementId)
                .query(this::server).list();
    }

    public Map<String, List<ServerRecord>> serversOf(List<String> placementIds) {
        Map<String, List<ServerRecord>> result = new LinkedHashMap<>();
        placementIds.forEach(id -> result.put(id, new ArrayList<>()));
        if (placementIds.isEmpty()) {
            return result;
        }
        jdbc.sql(SELECT_SERVERS + " WHERE s.placement_id = ANY(?) ORDER BY s.placement_id, s.ordinal")
                .param(placementIds.toArray(String[]::new))
                .query(this::server).list()
                .forEach(s -> result.get(s.placementId()).add(s));
        return result;
    }

    public Optional<ServerRecord> server(String placementId, String serverId) {
        return jdbc.sql(SELECT_SERVERS + " WHERE s.placement_id = ? AND s.id = ?").params(placementId, serverId)
                .query(this::server).optional();
    }

    public void markCreatedAtProvider(String serverId) {
        jdbc.sql("UPDATE placement_server SET created_at_provider = true WHERE id = ?").param(serverId).update();
    }

    /** Records a requested power or image operation; false if another one is still in flight. */
    public boolean requestOperation(String serverId, String operation, String desiredState) {
        return jdbc.sql("""
                        UPDATE placement_server SET pending_operation = ?, operation_issued = false,
                            operation_generation = operation_generation + 1, desired_state = ?
                        WHERE id = ? AND pending_operation IS NULL""")
                .params(operation, desiredState, serverId).update() == 1;
    }

    public void markOperationIssued(String serverId) {
        jdbc.sql("UPDATE placement_server SET operation_issued = true WHERE id = ?").param(serverId).update();
    }

    public void completeOperation(String serverId, boolean newRevision) {
        jdbc.sql("""
                        UPDATE placement_server SET pending_operation = NULL, operation_issued = false,
                            observed_generation = operation_generation,
                            lifecycle_revision = lifecycle_revision + CASE WHEN ? THEN 1 ELSE 0 END
                        WHERE id = ?""")
                .params(newRevision, serverId).update();
    }

    public void observe(String serverId, String powerState, String imageId, String privateIp, String publicIp,
                        String mac) {
        jdbc.sql("""
                        UPDATE placement_server SET power_state = ?, image_id = ?, private_ip = ?, public_ip = ?,
                            mac_address = ?, ever_running = ever_running OR ? = 'Running'
                        WHERE id = ?""")
                .params(powerState, imageId, privateIp, publicIp, mac, powerState, serverId).update();
    }

    @Override
    public Map<String, List<Consumer>> of(String reservationId, List<String> domainIds) {
        Map<String, Map<String, List<String>>> byDomain = new LinkedHashMap<>();
        jdbc.sql("""
                        SELECT ph.domain_id, ph.placement_id, s.id FROM placement_host ph
                        LEFT JOIN placement_server s ON s.infrastructure_ref = ph.infrastructure_ref
                        WHERE ph.reservation_id = ? AND ph.domain_id = ANY(?)
                        ORDER BY ph.domain_id, ph.placement_id, s.id""")
                .params(reservationId, domainIds.toArray(String[]::new))
                .query((rs, n) -> {
                    List<String> servers = byDomain.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                            .computeIfAbsent(rs.getString(2), k -> new ArrayList<>());
                    if (rs.getString(3) != null) {
                        servers.add(rs.getString(3));
                    }
                    return null;
                })
                .list();
        Map<String, List<Consumer>> result = new LinkedHashMap<>();
        byDomain.forEach((domain, placements) -> result.put(domain,
                placements.entrySet().stream().map(e -> new Consumer(e.getKey(), e.getValue())).toList()));
        return result;
    }

    /** Which placement uses each host of the given reservations (for the topology view). */
    public Map<String, String> placementOfHosts(Set<String> reservationIds) {
        Map<String, String> result = new LinkedHashMap<>();
        if (reservationIds.isEmpty()) {
            return result;
        }
        jdbc.sql("SELECT infrastructure_ref, placement_id FROM placement_host WHERE reservation_id = ANY(?)")
                .param(reservationIds.toArray(String[]::new))
                .query((rs, n) -> result.put(rs.getString(1), rs.getString(2))).list();
        return result;
    }

    private static void any(StringBuilder sql, List<Object> params, String column, List<String> values) {
        if (!values.isEmpty()) {
            sql.append(" AND ").append(column).append(" = ANY(?)");
            params.add(values.toArray(String[]::new));
        }
    }

    private PlacementRecord map(ResultSet rs, int row) throws SQLException {
        return new PlacementRecord(rs.getString("id"), rs.getString("name"), rs.getString("description"),
                json.readValue(rs.getString("tags"), TAG_LIST), rs.getString("organization_id"),
                rs.getString("project_id"), rs.getString("reservation_id"), rs.getString("region_id"),
                rs.getString("network_id"), rs.getInt("host_count"), rs.getString("policy"),
                (Integer) rs.getObject("max_skew"), (Integer) rs.getObject("min_domains"),
                rs.getString("when_unsatisfiable"), rs.getString("readiness_mode"), rs.getString("image_id"),
                rs.getString("ssh_ca_id"), rs.getString("networking"), rs.getString("user_data"),
                rs.getString("update_type"), rs.getString("max_unavailable"), rs.getString("created_by"),
                instant(rs, "creation_time"), rs.getString("modified_by"), instant(rs, "modified_time"),
                rs.getString("provisioning_status"), rs.getString("status_message"), instant(rs, "deletion_time"));
    }

    private ServerRecord server(ResultSet rs, int row) throws SQLException {
        return new ServerRecord(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                rs.getTimestamp(6).toInstant(), rs.getBoolean(7), rs.getString(8), rs.getString(9), rs.getString(10),
                rs.getString(11), rs.getString(12), rs.getString(13), rs.getLong(14), rs.getLong(15), rs.getLong(16),
                rs.getString(17), rs.getBoolean(18), rs.getString(19), rs.getString(20), rs.getBoolean(21),
                rs.getString(22), rs.getBoolean(23));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
