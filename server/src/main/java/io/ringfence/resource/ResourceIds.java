package io.ringfence.resource;

import io.ringfence.error.ApiException;
import java.util.List;
import java.util.UUID;

/** Resource IDs: the ones Ringfence issues, and the checks on the ones clients send. */
public final class ResourceIds {

    public static final int MAX_LENGTH = 63;

    private ResourceIds() {
    }

    /** A random UUIDv4 string that starts with a letter, so it is a valid DNS label too. */
    public static String newId() {
        while (true) {
            String id = UUID.randomUUID().toString();
            if (Character.isLetter(id.charAt(0))) {
                return id;
            }
        }
    }

    /** {@code value} as an ID named {@code field} in a request body, or 400. */
    public static String require(String value, String field) {
        if (value == null || value.isBlank() || value.length() > MAX_LENGTH) {
            throw ApiException.badRequest("request body invalid: " + field + " must be 1 to " + MAX_LENGTH
                    + " characters");
        }
        return value;
    }

    public static <T> List<T> orEmpty(List<T> values) {
        return values == null ? List.of() : values;
    }
}
