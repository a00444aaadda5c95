package io.ringfence.reservation;

import io.ringfence.contract.model.ProjectScopedResourceReadMetadata;
import io.ringfence.contract.model.ReservationV2Read;
import io.ringfence.contract.model.ReservationV2Spec;
import io.ringfence.contract.model.ReservationV2Status;

/**
 * One reservation's answer (create, read, extend): the contract model, complete, together with the record it was
 * built from. {@link ReservationReadConverter} writes it from the record with the list's writer instead of having
 * Jackson walk the model's bean properties, which was about a tenth of a read's CPU in the open loop's profile;
 * anything else that reads it sees the ordinary model. The model is still built although the converter does not
 * read it (0.5% of a request thread's samples): an answer that held only its record would show empty fields to
 * whatever else reads it.
 */
final class ReservationReadBody extends ReservationV2Read {

    private final ReservationRecord record;

    ReservationReadBody(ProjectScopedResourceReadMetadata metadata, ReservationV2Spec spec, ReservationV2Status status,
                        ReservationRecord record) {
        super(metadata, spec, status);
        this.record = record;
    }

    /** The stored reservation this answer shows. */
    ReservationRecord record() {
        return record;
    }
}
