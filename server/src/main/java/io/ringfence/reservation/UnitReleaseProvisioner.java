package io.ringfence.reservation;

import io.ringfence.work.Outcome;
import io.ringfence.work.Provisioner;
import io.ringfence.work.WorkKind;
import io.ringfence.fleet.FleetStore;
import io.ringfence.provider.BareMetalProvider;
import io.ringfence.provider.ProviderException;
import io.ringfence.provider.UnitRef;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Hands units a reservation let go of (released or swapped out) back to the platform. The unit is free for
 * new claims from the moment it was let go; the platform's release names the old owner, so it can never undo
 * a newer reservation's preparation.
 */
@Component
public class UnitReleaseProvisioner implements Provisioner {

    private final JdbcClient jdbc;
    private final FleetStore fleet;
    private final BareMetalProvider provider;

    public UnitReleaseProvisioner(JdbcClient jdbc, FleetStore fleet, BareMetalProvider provider) {
        this.jdbc = jdbc;
        this.fleet = fleet;
        this.provider = provider;
    }

    @Override
    public WorkKind kind() {
        return WorkKind.UNIT_RELEASE;
    }

    @Override
    public Outcome reconcile(String domainId) {
        Optional<String> owner = jdbc.sql("SELECT reservation_id FROM unit_release WHERE domain_id = ?")
                .param(domainId).query(String.class).optional();
        if (owner.isEmpty()) {
            return Outcome.done();
        }
        Map<String, List<String>> hosts = fleet.hostsByDomain(List.of(domainId));
        provider.releaseUnit(new UnitRef(domainId, hosts.get(domainId)), owner.get());
        jdbc.sql("DELETE FROM unit_release WHERE domain_id = ? AND reservation_id = ?")
                .params(domainId, owner.get()).update();
        return Outcome.done();
    }

    @Override
    public boolean permanent(RuntimeException failure) {
        return ProviderException.permanent(failure);
    }

    @Override
    public void failed(String domainId, String reason) {
        // the row stays in unit_release for an operator to see; nothing a customer owns is affected
    }
}
