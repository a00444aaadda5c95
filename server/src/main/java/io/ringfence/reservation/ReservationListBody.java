package io.ringfence.reservation;

import io.ringfence.contract.model.ReservationV2Read;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The answer of a reservation list: the stored records, seen as contract models only when someone asks for one.
 * {@link ReservationListConverter} writes it straight from the records, so a list of thousands never builds (nor has
 * Jackson introspect) thousands of model trees; anything else that reads it still sees ordinary models.
 */
final class ReservationListBody extends AbstractList<ReservationV2Read> implements RandomAccess {

    private final List<ReservationRecord> records;

    ReservationListBody(List<ReservationRecord> records) {
        this.records = List.copyOf(records);
    }

    List<ReservationRecord> records() {
        return records;
    }

    @Override
    public ReservationV2Read get(int index) {
        return ReservationConversion.toRead(records.get(index));
    }

    @Override
    public int size() {
        return records.size();
    }
}
