package io.ringfence.reservation;

import io.ringfence.contract.api.ReservationsApi;
import io.ringfence.contract.model.ReservationUnitReleaseRequest;
import io.ringfence.contract.model.ReservationUnitReleaseResponse;
import io.ringfence.contract.model.ReservationV2Create;
import io.ringfence.contract.model.ReservationV2Extend;
import io.ringfence.contract.model.ReservationV2Read;
import jakarta.servlet.http.HttpServletResponse;
import io.ringfence.identity.CurrentCaller;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v2/reservations}: thin; the service decides, the conversion shapes the answer. */
@RestController
public class ReservationsController implements ReservationsApi {

    /** Marks the answer of a dry-run create. */
    public static final String DRY_RUN_HEADER = "Ringfence-Dry-Run";

    private final ReservationService reservations;
    private final CurrentCaller caller;
    private final HttpServletResponse response;

    public ReservationsController(ReservationService reservations, CurrentCaller caller, HttpServletResponse response) {
        this.reservations = reservations;
        this.caller = caller;
        this.response = response;
    }

    @Override
    public ResponseEntity<ReservationV2Read> createReservation(ReservationV2Create request, String idempotencyKey,
                                                               Boolean dryRun) {
        boolean dry = Boolean.TRUE.equals(dryRun);
        if (dry) {
            // on every answer of a dry run, refusals included, so a client never mistakes it for the real thing
            response.setHeader(DRY_RUN_HEADER, "true");
        }
        ReservationRecord created = reservations.create(caller.get(), request, idempotencyKey, dry);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(ReservationConversion.toReadBody(created));
    }

    @Override
    public ResponseEntity<ReservationV2Read> extendReservation(String reservationID, ReservationV2Extend request) {
        return ResponseEntity.ok(ReservationConversion.toReadBody(reservations.extend(caller.get(), reservationID,
                request.getEndTime())));
    }

    @Override
    public ResponseEntity<ReservationV2Read> getReservation(String reservationID) {
        return ResponseEntity.ok(ReservationConversion.toReadBody(reservations.get(caller.get(), reservationID)));
    }

    @Override
    public ResponseEntity<List<ReservationV2Read>> listReservations(List<String> tag, List<String> organizationID,
                                                                     List<String> projectID, List<String> regionID) {
        // models on demand only: ReservationListConverter streams the records themselves
        return ResponseEntity.ok(new ReservationListBody(
                reservations.list(caller.get(), organizationID, projectID, regionID, tag)));
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
