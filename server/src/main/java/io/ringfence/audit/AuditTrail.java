package io.ringfence.audit;

import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * What the services tell the audit trail. A request is recorded once, by {@link AuditFilter}, with its outcome;
 * services only say what it acted on and, for actions that are more than their route, the action's own verb
 * and detail. Changes the service makes by itself (a unit swapped for a spare) are recorded at once.
 */
@Component
public class AuditTrail {

    static final String RESOURCE = AuditTrail.class.getName() + ".resource";
    static final String ACTION = AuditTrail.class.getName() + ".action";

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
