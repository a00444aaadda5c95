package io.ringfence.fleet;

import io.ringfence.work.WorkKind;
import io.ringfence.work.WorkQueue;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Host health from its two sources, the platform's reports and operators' marks. A host is healthy only when
 * both say so. Every change wakes the reservations that claim the host, whose provisioner then heals them.
 */
@Component
public class HostHealth {

    private final JdbcClient jdbc;
    private final WorkQueue work;
    private final TransactionTemplate transactions;

    public HostHealth(JdbcClient jdbc, WorkQueue work, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.work = work;
        this.transactions = transactions;
    }

    /** Applies the platform's list of failed hosts; every other host is healthy as far as the platform knows. */
    public int applyPlatformReport(Map<String, String> failedHosts) {
        String[] refs = failedHosts.keySet().toArray(String[]::new);
        String[] reasons = failedHosts.values().toArray(String[]::new);
        return transactions.execute(status -> {
            List<String> domains = jdbc.sql("""
                            WITH report AS (SELECT * FROM unnest(?::text[], ?::text[]) AS r(ref, reason)),
                            -- the hosts named, and those the platform reported down before (index
                            -- host_down_by_platform): no other host can change
                            touched AS (
                                SELECT ref, reason, true AS failed FROM report
                                UNION ALL
                                SELECT h.infrastructure_ref, NULL, false FROM host h
                                WHERE NOT h.provider_healthy
                                  AND NOT EXISTS (SELECT 1 FROM report WHERE report.ref = h.infrastructure_ref))
                            UPDATE host h
                            SET provider_healthy = NOT t.failed,
                                healthy = NOT t.failed AND NOT h.operator_faulty,
                                health_reason = COALESCE(t.reason, CASE WHEN h.operator_faulty THEN h.health_reason END),
                                health_changed_at = now()
                            FROM touched t
                            WHERE h.infrastructure_ref = t.ref AND h.provider_healthy IS DISTINCT FROM NOT t.failed
                            RETURNING h.domain_id""")
                    .params(refs, reasons).query(String.class).list();
            wake(domains);
            return domains.size();
        });
    }

    /** An operator marks hosts faulty (or healthy again). Returns the hosts changed. */
    public List<String> markByOperator(List<String> infrastructureRefs, boolean faulty, String reason) {
        return transactions.execute(status -> {
            List<String[]> changed = jdbc.sql("""
                            UPDATE host SET operator_faulty = ?, healthy = provider_healthy AND NOT ?,
                                health_reason = CASE WHEN ? THEN ? ELSE NULL END, health_changed_at = now()
                            WHERE infrastructure_ref = ANY(?)
                            RETURNING infrastructure_ref, domain_id""")
                    .params(faulty, faulty, faulty, reason, infrastructureRefs.toArray(String[]::new))
                    .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).list();
            wake(changed.stream().map(c -> c[1]).toList());
            return changed.stream().map(c -> c[0]).toList();
        });
    }

    /** Reservations that still hold a unit with failed hosts: their provisioner retries healing. */
    public void wakeDegraded() {
        jdbc.sql("""
                        SELECT DISTINCT c.reservation_id FROM unit_claim c JOIN nvlink_domain d ON d.id = c.domain_id
                        WHERE d.unhealthy_hosts > 0""")
                .query(String.class).list()
                .forEach(id -> work.enqueue(WorkKind.RESERVATION, id));
    }

    private void wake(List<String> domains) {
        if (domains.isEmpty()) {
            return;
        }
        jdbc.sql("SELECT DISTINCT reservation_id FROM unit_claim WHERE domain_id = ANY(?)")
                .param(domains.stream().distinct().toArray(String[]::new))
                .query(String.class).list()
                .forEach(id -> work.enqueue(WorkKind.RESERVATION, id));
    }
}
