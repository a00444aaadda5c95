package io.ringfence.placement;

import io.ringfence.provider.PowerState;
import io.ringfence.provider.ServerState;
import io.ringfence.reservation.ReservationDependents;
import io.ringfence.resource.ProvisioningStatus;
import io.ringfence.resource.ResourceMetadata;
import io.ringfence.planner.FreeHost;
import io.ringfence.resource.ResourceTag;
import io.ringfence.placement.ServerOperation.DesiredState;
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
public class PlacementStore implements ReservationDependents {

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

    public PlacementStore(JdbcClient jdbc, JsonMapper json) {
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
            sql.append(" AND tags @> ?");
            params.add(ResourceMetadata.tagsContaining(filter.tags(), json));
        }
        sql.append(" ORDER BY id COLLATE \"C\"");
        return jdbc.sql(sql.toString()).params(params).query(this::map).list();
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

    public void insert(PlacementRecord placement, List<FreeHost> hosts, List<String> serverIds) {
        ResourceMetadata m = placement.metadata();
        PlacementRecord.Spec p = placement.spec();
        PlacementRecord.Constraints c = p.constraints();
        PlacementRecord.ServerSpec server = p.server();
        jdbc.sql("""
                        INSERT INTO placement (id, name, description, tags, organization_id, project_id, reservation_id,
                            region_id, network_id, host_count, policy, max_skew, min_domains, when_unsatisfiable,
                            readiness_mode, image_id, ssh_ca_id, networking, user_data, update_type, max_unavailable,
                            created_by, creation_time, provisioning_status)
                        VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?)""")
                .params(m.id(), m.name(), m.description(), json.writeValueAsString(m.tags()), m.organizationId(),
                        m.projectId(), p.reservationId(), p.regionId(), p.networkId(), p.hostCount(), c.policy(),
                        c.maxSkew(), c.minDomains(), c.whenUnsatisfiable(), c.readinessMode(), server.imageId(),
                        server.sshCaId(), server.networking(), server.userData(), p.update().type().value(),
                        p.update().maxUnavailable(), m.createdBy(), Timestamp.from(m.creationTime()),
                        placement.provisioningStatus().value())
                .update();
        String[] refs = hosts.stream().map(FreeHost::infrastructureRef).toArray(String[]::new);
        String[] domains = hosts.stream().map(FreeHost::domainId).toArray(String[]::new);
        Integer[] ordinals = new Integer[hosts.size()];
        String[] names = new String[hosts.size()];
        for (int i = 0; i < ordinals.length; i++) {
            ordinals[i] = i;
            names[i] = m.name() + "-" + i;
        }
        jdbc.sql("""
                        INSERT INTO placement_host (infrastructure_ref, placement_id, reservation_id, domain_id, ordinal)
                        SELECT ref, ?, ?, domain, ordinal FROM unnest(?::text[], ?::text[], ?::int[]) AS t(ref, domain, ordinal)""")
                .params(m.id(), p.reservationId(), refs, domains, ordinals).update();
        jdbc.sql("""
                        INSERT INTO placement_server (id, placement_id, ordinal, name, infrastructure_ref, image_id)
                        SELECT id, ?, ordinal, name, ref, ? FROM unnest(?::text[], ?::int[], ?::text[], ?::text[])
                            AS t(id, ordinal, name, ref)""")
                .params(m.id(), server.imageId(), serverIds.toArray(String[]::new), ordinals, names, refs).update();
    }

    public boolean markPlacementDeleting(String id) {
        return markDeleting("id", id) == 1;
    }

    @Override
    public List<String> markDeleting(String reservationId) {
        markDeleting("reservation_id", reservationId);
        return jdbc.sql("SELECT id FROM placement WHERE reservation_id = ?").param(reservationId)
                .query(String.class).list();
    }

    @Override
    public long count(String reservationId) {
        return jdbc.sql("SELECT count(*) FROM placement WHERE reservation_id = ?").param(reservationId)
                .query(Long.class).single();
    }

    @Override
    public java.util.Set<String> withDependents(List<String> reservationIds) {
        return new java.util.HashSet<>(jdbc.sql("SELECT DISTINCT reservation_id FROM placement WHERE reservation_id = ANY(?)")
                .param(reservationIds.toArray(String[]::new)).query(String.class).list());
    }

    private int markDeleting(String column, String value) {
        return jdbc.sql("UPDATE placement SET deletion_time = now(), provisioning_status = 'deprovisioning' WHERE "
                + column + " = ? AND deletion_time IS NULL").param(value).update();
    }

    public void updateImage(String id, String imageId, PlacementRecord.UpdateStrategy update, String modifiedBy) {
        jdbc.sql("""
                        UPDATE placement SET image_id = ?, update_type = ?, max_unavailable = ?, modified_by = ?,
                            modified_time = now()
                        WHERE id = ?""")
                .params(imageId, update.type().value(), update.maxUnavailable(), modifiedBy, id).update();
    }

    public boolean transition(String id, ProvisioningStatus next, String message) {
        String status = next.value();
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
    public boolean requestOperation(String serverId, ServerOperation operation) {
        return jdbc.sql("""
                        UPDATE placement_server SET pending_operation = ?, operation_issued = false,
                            operation_generation = operation_generation + 1, desired_state = ?
                        WHERE id = ? AND pending_operation IS NULL""")
                .params(operation.value(), operation.desired().value(), serverId).update() == 1;
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

    public void observe(String serverId, ServerState state) {
        jdbc.sql("""
                        UPDATE placement_server SET power_state = ?, image_id = ?, private_ip = ?, public_ip = ?,
                            mac_address = ?, ever_running = ever_running OR ? = 'Running'
                        WHERE id = ?""")
                .params(state.powerState().value(), state.imageId(), state.privateIp(), state.publicIp(),
                        state.macAddress(), state.powerState().value(), serverId).update();
    }

    @Override
    public Map<String, List<Consumer>> consumersOf(String reservationId, List<String> domainIds) {
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
        return new PlacementRecord(ResourceMetadata.read(rs, json),
                new PlacementRecord.Spec(rs.getString("reservation_id"), rs.getString("region_id"),
                        rs.getString("network_id"), rs.getInt("host_count"),
                        new PlacementRecord.Constraints(rs.getString("policy"), (Integer) rs.getObject("max_skew"),
                                (Integer) rs.getObject("min_domains"), rs.getString("when_unsatisfiable"),
                                rs.getString("readiness_mode")),
                        new PlacementRecord.ServerSpec(rs.getString("image_id"), rs.getString("ssh_ca_id"),
                                rs.getString("networking"), rs.getString("user_data")),
                        new PlacementRecord.UpdateStrategy(
                                PlacementRecord.UpdateType.fromValue(rs.getString("update_type")),
                                rs.getString("max_unavailable"))),
                ProvisioningStatus.fromValue(rs.getString("provisioning_status")), rs.getString("status_message"));
    }

    private ServerRecord server(ResultSet rs, int row) throws SQLException {
        String power = rs.getString("power_state");
        return new ServerRecord(rs.getString("id"), rs.getString("placement_id"), rs.getInt("ordinal"),
                rs.getString("name"), rs.getTimestamp("creation_time").toInstant(),
                new ServerRecord.Host(rs.getString("infrastructure_ref"), rs.getString("domain_id"),
                        rs.getString("pod_id"), rs.getBoolean("healthy"), rs.getString("health_reason")),
                new ServerRecord.Observed(rs.getBoolean("created_at_provider"),
                        power == null ? null : PowerState.fromValue(power), rs.getString("image_id"),
                        rs.getString("private_ip"), rs.getString("public_ip"), rs.getString("mac_address"),
                        rs.getBoolean("ever_running")),
                new ServerRecord.Operations(DesiredState.fromValue(rs.getString("desired_state")),
                        rs.getLong("lifecycle_revision"), rs.getLong("operation_generation"),
                        rs.getLong("observed_generation"), ServerOperation.fromValue(rs.getString("pending_operation")),
                        rs.getBoolean("operation_issued")));
    }
}
