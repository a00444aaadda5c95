package io.ringfence.audit;

import io.ringfence.platform.TraceIdFilter;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The audit trail: in PostgreSQL for queries, and as one structured log line per event. */
@Repository
public class AuditLog {

    private static final Logger log = LoggerFactory.getLogger("ringfence.audit");

    private final JdbcClient jdbc;

    public AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void record(AuditEvent event) {
        recordAll(List.of(event));
    }

    /** Several events in one statement, in the caller's transaction. */
    public void recordAll(List<AuditEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        int n = events.size();
        String[] actor = new String[n], client = new String[n], organization = new String[n], project = new String[n],
                kind = new String[n], id = new String[n], verb = new String[n], trace = new String[n],
                detail = new String[n];
        Integer[] status = new Integer[n];
        for (int i = 0; i < n; i++) {
            AuditEvent e = events.get(i);
            actor[i] = e.actor();
            client[i] = e.clientId();
            organization[i] = e.organizationId();
            project[i] = e.projectId();
            kind[i] = e.resourceKind();
            id[i] = e.resourceId();
            verb[i] = e.verb();
            status[i] = e.resultStatus();
            trace[i] = e.traceId();
            detail[i] = e.detail();
        }
        jdbc.sql("""
                        INSERT INTO audit_event (actor, client_id, organization_id, project_id, resource_kind,
                            resource_id, verb, result_status, trace_id, detail)
                        SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                            ?::text[], ?::int[], ?::text[], ?::text[])""")
                .params(actor, client, organization, project, kind, id, verb, status, trace, detail)
                .update();
        // a grouped create's record is written by the committer thread: its line carries the request's trace ID in
        // the logging context as well, where log search looks for it; the thread's own context is put back after
        String ownTrace = MDC.get(TraceIdFilter.MDC_KEY);
        try {
            for (AuditEvent event : events) {
                traceInContext(event.traceId() != null ? event.traceId() : ownTrace);
                log.info("audit actor={} organization={} project={} kind={} id={} verb={} status={} trace_id={} "
                                + "detail={}", event.actor(), event.organizationId(), event.projectId(),
                        event.resourceKind(), event.resourceId(), event.verb(), event.resultStatus(), event.traceId(),
                        event.detail());
            }
        } finally {
            traceInContext(ownTrace);
        }
    }

    private static void traceInContext(String traceId) {
        if (traceId == null) {
            MDC.remove(TraceIdFilter.MDC_KEY);
        } else {
            MDC.put(TraceIdFilter.MDC_KEY, traceId);
        }
    }

    public List<AuditEvent> query(Instant since, Instant until, String organizationId, String actor, int limit) {
        StringBuilder sql = new StringBuilder("""
                SELECT occurred_at, actor, client_id, organization_id, project_id, resource_kind, resource_id, verb,
                       result_status, trace_id, detail
                FROM audit_event WHERE true""");
        List<Object> params = new ArrayList<>();
        if (since != null) {
            sql.append(" AND occurred_at >= ?");
            params.add(Timestamp.from(since));
        }
        if (until != null) {
            sql.append(" AND occurred_at < ?");
            params.add(Timestamp.from(until));
        }
        if (organizationId != null) {
            sql.append(" AND organization_id = ?");
            params.add(organizationId);
        }
        if (actor != null) {
            sql.append(" AND actor = ?");
            params.add(actor);
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        params.add(limit);
        return jdbc.sql(sql.toString()).params(params)
                .query((rs, n) -> new AuditEvent(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                        (Integer) rs.getObject(9), rs.getString(10), rs.getString(11)))
                .list();
    }

    /** One audited happening. {@code occurredAt} is set by the database when recording. */
    public record AuditEvent(Instant occurredAt, String actor, String clientId, String organizationId,
                             String projectId, String resourceKind, String resourceId, String verb,
                             Integer resultStatus, String traceId, String detail) {
    }
}
