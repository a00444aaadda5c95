package io.ringfence.reservation;

import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reservations written straight into the table, many at once, for tests of how lists are read: rows i = 1..count of
 * one organization, each one unit of the first pod's unit type, provisioned. Their id, tags and project are SQL
 * expressions over {@code i}, so a test can lay out ids, projects and tags (or a damaged row) as it needs.
 */
final class StoredReservations {

    /** An SQL expression and the values of its parameters, in order. */
    record Sql(String text, Object... params) {
    }

    private StoredReservations() {
    }

    static void insert(JdbcClient jdbc, String organizationId, int count, Sql id, Sql tags, Sql project) {
        List<Object> params = new ArrayList<>(List.of(id.params()));
        params.addAll(List.of(tags.params()));
        params.add(organizationId);
        params.addAll(List.of(project.params()));
        params.add(count);
        jdbc.sql("""
                INSERT INTO reservation (id, name, tags, organization_id, project_id, region_id, accelerator, unit,
                                         unit_count, unit_type_id, pod_id, claimed_unit_count, topology_hash,
                                         topology_observed_at, creation_time, provisioning_status)
                SELECT %s, 'stored-' || i, %s, ?, %s, u.region_id, u.accelerator, u.unit, 1, u.id, p.id, 0,
                       'sha256:x', now(), now(), 'provisioned'
                FROM generate_series(1, ?) i,
                     (SELECT * FROM pod ORDER BY id LIMIT 1) p JOIN unit_type u ON u.id = p.unit_type_id
                """.formatted(id.text(), tags.text(), project.text())).params(params).update();
    }
}
