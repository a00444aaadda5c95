package io.ringfence.reservation;

import io.ringfence.contract.api.ReservationsApi;
import io.ringfence.contract.model.ReservationUnitReleaseRequest;
import io.ringfence.contract.model.ReservationUnitReleaseResponse;
import io.ringfence.contract.model.ReservationV2Create;
import io.ringfence.contract.model.ReservationV2Read;
import io.ringfence.identity.CurrentCaller;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v2/reservations}: thin; the service decides, the conversion shapes the answer. */
@RestController
public class ReservationsController implements ReservationsApi {

    private final ReservationService reservations;
    private final CurrentCaller caller;

    public ReservationsController(ReservationService reservations, CurrentCaller caller) {
        this.reservations = reservations;
        this.caller = caller;
    }

    @Override
    public ResponseEntity<ReservationV2Read> createReservation(ReservationV2Create request, String idempotencyKey) {
        ReservationRecord created = reservations.create(caller.get(), request, idempotencyKey);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(ReservationConversion.toRead(created));
    }

    @Override
    public ResponseEntity<ReservationV2Read> getReservation(String reservationID) {
        return ResponseEntity.ok(ReservationConversion.toRead(reservations.get(caller.get(), reservationID)));
    }

    @Override
    public ResponseEntity<List<ReservationV2Read>> listReservations(List<String> tag, List<String> organizationID,
                                                                     List<String> projectID, List<String> regionID) {
        return ResponseEntity.ok(reservations.list(caller.get(), organizationID, projectID, regionID, tag).stream()
                .map(ReservationConversion::toRead).toList());
    }

    @Override
    public ResponseEntity<Void> deleteReservation(String reservationID) {
        reservations.delete(caller.get(), reservationID);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    @Override
    public ResponseEntity<ReservationUnitReleaseResponse> releaseReservationUnits(
            String reservationID, ReservationUnitReleaseRequest request, String ifMatch) {
        ReservationService.ReleasedUnits released = reservations.release(caller.get(), reservationID,
                request.getSpec().getUnitIds(), ifMatch);
        return ResponseEntity.ok().eTag("\"" + released.reservation().status().topologyHash() + "\"")
                .body(ReservationConversion.released(released));
    }
}
