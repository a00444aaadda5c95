package io.ringfence.audit;

import io.ringfence.identity.SignInRefused;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Records failed sign-ins (wrong client secrets, wrong passwords) in the audit trail. */
@Component
class SignInAudit {

    private static final Logger log = LoggerFactory.getLogger(SignInAudit.class);

    private final AuditLog audit;

    SignInAudit(AuditLog audit) {
        this.audit = audit;
    }

    @EventListener
    void refused(SignInRefused refused) {
        try {
            audit.record(new AuditLog.AuditEvent(null, refused.actor(),
                    "client".equals(refused.kind()) ? refused.actor() : null, null, null, refused.kind(),
                    refused.actor(), refused.verb(), refused.status(), refused.traceId(), refused.detail()));
        } catch (RuntimeException e) {
            log.error("Could not record the refused sign-in of {}", refused.actor(), e);
        }
    }
}
