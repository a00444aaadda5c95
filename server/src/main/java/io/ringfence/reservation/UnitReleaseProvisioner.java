package io.ringfence.reservation;

import io.ringfence.fleet.FleetStore;
import io.ringfence.operations.PlatformOperations;
import io.ringfence.operations.TrackedOperation;
import io.ringfence.provider.OperationKey;
import io.ringfence.provider.PlatformOperation;
import io.ringfence.work.Outcome;
import io.ringfence.work.Provisioner;
import io.ringfence.work.WorkKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Hands units a reservation let go of (released or swapped out) back to the platform. The platform's release
 * names the old owner, so it can never undo a newer reservation's preparation; once it is done the unit's
 * release record goes.
 */
@Component
public class UnitReleaseProvisioner implements Provisioner {

    private static final Duration MIN_POLL = Duration.ofMillis(50);
    private static final Duration MAX_POLL = Duration.ofSeconds(2);

    private final JdbcClient jdbc;
    private final FleetStore fleet;
    private final PlatformOperations operations;
    private final TransactionTemplate transactions;

    public UnitReleaseProvisioner(JdbcClient jdbc, FleetStore fleet, PlatformOperations operations,
                                  TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.fleet = fleet;
        this.operations = operations;
        this.transactions = transactions;
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
        String region = fleet.regionOfDomain(domainId);
        List<String> hosts = fleet.hostsByDomain(List.of(domainId)).get(domainId);
        OperationKey key = ReservationProvisioner.releaseKey(domainId, owner.get());
        TrackedOperation release = operations.pursue(region, owner.get(),
                List.of(new PlatformOperation.ReleaseUnit(domainId, hosts, owner.get()))).get(key);
        if (release == null || !release.succeeded()) {
            return new Outcome.Yield(PlatformOperations.lookAgain(release == null ? List.of() : List.of(release),
                    MIN_POLL, MAX_POLL), "handing the unit back to the platform");
        }
        transactions.executeWithoutResult(status -> {
            jdbc.sql("DELETE FROM unit_release WHERE domain_id = ? AND reservation_id = ?")
                    .params(domainId, owner.get()).update();
            operations.forget(key);
        });
        return Outcome.done();
    }

    @Override
    public void failed(String domainId, String reason) {
        // the row stays in unit_release for an operator to see; nothing a customer owns is affected
    }
}
