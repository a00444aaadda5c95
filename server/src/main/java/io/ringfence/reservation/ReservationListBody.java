package io.ringfence.reservation;

import io.ringfence.contract.model.ReservationV2Read;
import io.ringfence.storage.RowFeed;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The answer of a reservation list: the stored records, seen as contract models only when someone asks for one.
 * {@link ReservationListConverter} writes it straight from the records, so a list of thousands never builds (nor has
 * Jackson introspect) thousands of model trees; anything else that reads it still sees ordinary models. The records
 * may still be arriving ({@link RowFeed}): the converter writes them as they come, anything else waits for all.
 */
final class ReservationListBody extends AbstractList<ReservationV2Read> implements RandomAccess {

    private final RowFeed<ReservationRecord> records;
    private List<ReservationRecord> all;

    ReservationListBody(RowFeed<ReservationRecord> records) {
        this.records = records;
    }

    /** The records in answer order, each as soon as it is read. */
    RowFeed<ReservationRecord> records() {
        return records;
    }

    @Override
    public ReservationV2Read get(int index) {
        return ReservationConversion.toRead(all().get(index));
    }

    @Override
    public int size() {
        return all().size();
    }

    private List<ReservationRecord> all() {
        if (all == null) {
            all = records.toList();
        }
        return all;
    }
}
