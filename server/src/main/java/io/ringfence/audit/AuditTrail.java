package io.ringfence.audit;

import io.ringfence.resource.Resource;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * What the services tell the audit trail. Every mutating request is recorded once: a change by the service, in the
 * change's own transaction ({@link #changed}); anything refused, by {@link AuditFilter} with its outcome. Services
 * say what a request acted on and, for actions that are more than their route, the action's own verb and detail.
 * Changes the service makes by itself (a unit swapped for a spare) are recorded at once, in their transaction.
 */
@Component
public class AuditTrail {

    static final String RESOURCE = AuditTrail.class.getName() + ".resource";
    static final String ACTION = AuditTrail.class.getName() + ".action";
    static final String RECORDED = AuditTrail.class.getName() + ".recorded";

    private final AuditLog log;

    public AuditTrail(AuditLog log) {
        this.log = log;
    }

    /** The resource the current request acts on, as soon as the service knows it. */
    public void about(String kind, String id, String organizationId, String projectId) {
        set(RESOURCE, new Resource(kind, id, organizationId, projectId));
    }

    /** The current request's action, recorded in place of its route, with a detail for the reader. */
    public void action(String verb, String detail) {
        set(ACTION, new Action(verb, detail));
    }

    /**
     * Records the current request's change with the answer it is about to get, in the caller's transaction: the
     * change and its audit record commit together or not at all. A request that fails after this (or before it)
     * is recorded by {@link AuditFilter} instead, with its actual outcome.
     */
    public void changed(int status) {
        AuditLog.AuditEvent event = changeOf(status);
        if (event == null) {
            return;
        }
        log.record(event);
        HttpServletRequest request = currentRequest();
        request.setAttribute(RECORDED, Boolean.TRUE);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int outcome) {
                    if (outcome != STATUS_COMMITTED) {
                        request.removeAttribute(RECORDED); // rolled back with the change: the filter records it
                    }
                }
            });
        }
    }

    /**
     * The record of the current request's change, for a transaction that another thread runs on its behalf (a
     * group of creates admitted together); null outside a request. Once that transaction committed, the request
     * says so with {@link #recordedElsewhere}.
     */
    public AuditLog.AuditEvent changeOf(int status) {
        HttpServletRequest request = currentRequest();
        return request == null ? null : AuditFilter.event(request, status);
    }

    /** The current request's change and its {@link #changeOf record} committed: the filter records nothing more. */
    public void recordedElsewhere() {
        HttpServletRequest request = currentRequest();
        if (request != null) {
            request.setAttribute(RECORDED, Boolean.TRUE);
        }
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes servlet
                ? servlet.getRequest() : null;
    }

    /** The current request changes nothing (a dry run): it is not recorded, whatever it answers. */
    public void skip() {
        recordedElsewhere();
    }

    /** A change Ringfence made by itself, not on anyone's request; written in the caller's transaction. */
    public void bySystem(String organizationId, String projectId, String kind, String id, String verb,
                         String detail) {
        log.record(new AuditLog.AuditEvent(null, "ringfence", null, organizationId, projectId, kind, id, verb, null,
                null, detail));
    }

    private static void set(String name, Object value) {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes != null) {
            attributes.setAttribute(name, value, RequestAttributes.SCOPE_REQUEST);
        }
    }

    record Resource(String kind, String id, String organizationId, String projectId) {
    }

    record Action(String verb, String detail) {
    }
}
