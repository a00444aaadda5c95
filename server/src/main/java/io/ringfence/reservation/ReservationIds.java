package io.ringfence.reservation;

import java.util.UUID;

/** Resource IDs: random UUIDv4 strings that start with a letter, so they are valid DNS labels too. */
public final class ReservationIds {

    private ReservationIds() {
    }

    public static String newId() {
        while (true) {
            String id = UUID.randomUUID().toString();
            if (Character.isLetter(id.charAt(0))) {
                return id;
            }
        }
    }
}
