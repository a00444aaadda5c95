package io.ringfence.audit;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * What a mutating request acted on, as the service handling it learned: recorded by {@link AuditFilter} with
 * the request's outcome. Services call it once they know the resource; a request refused before that is
 * audited with what the route tells.
 */
public final class AuditDetails {

    static final String ATTRIBUTE = AuditDetails.class.getName();

    private AuditDetails() {
    }

    public static void resource(String kind, String id, String organizationId, String projectId) {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes != null) {
            attributes.setAttribute(ATTRIBUTE, new Resource(kind, id, organizationId, projectId),
                    RequestAttributes.SCOPE_REQUEST);
        }
    }

    record Resource(String kind, String id, String organizationId, String projectId) {
    }
}
