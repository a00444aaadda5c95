package io.ringfence.lifecycle;

import io.ringfence.provider.BareMetalProvider;
import io.ringfence.provider.UnitRef;
import io.ringfence.reservation.ReservationRecord;
import io.ringfence.reservation.ReservationRepository;
import io.ringfence.reservation.ReservationService;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Drives a reservation {@code pending -> provisioning -> provisioned}, and a deleted one through releasing its
 * units to gone. Every step is safe to repeat: preparing or releasing a unit twice is harmless, and state is
 * re-read at the start of every pass.
 */
@Component
public class ReservationProvisioner implements Provisioner {

    private final ReservationRepository reservations;
    private final BareMetalProvider provider;

    public ReservationProvisioner(ReservationRepository reservations, BareMetalProvider provider) {
        this.reservations = reservations;
        this.provider = provider;
    }

    @Override
    public String kind() {
        return ReservationService.WORK_KIND;
    }

    @Override
    public Outcome reconcile(String reservationId) {
        Optional<ReservationRecord> found = reservations.find(reservationId);
        if (found.isEmpty()) {
            return Outcome.done();
        }
        ReservationRecord reservation = found.get();
        List<UnitRef> units = units(reservationId);
        if (reservation.deletionTime() != null) {
            units.forEach(provider::releaseUnit);
            reservations.delete(reservationId);
            return Outcome.done();
        }
        if (reservation.provisioningStatus().equals("provisioned") || reservation.provisioningStatus().equals("error")) {
            return Outcome.done();
        }
        reservations.transition(reservationId, "provisioning", null);
        units.forEach(provider::prepareUnit);
        reservations.transition(reservationId, "provisioned", null);
        return Outcome.done();
    }

    @Override
    public void failed(String reservationId, String reason) {
        reservations.transition(reservationId, "error", "the platform could not prepare the reserved units");
    }

    private List<UnitRef> units(String reservationId) {
        Map<String, List<String>> claimed = reservations.claimedUnits(reservationId);
        return claimed.entrySet().stream().map(e -> new UnitRef(e.getKey(), e.getValue())).toList();
    }
}
