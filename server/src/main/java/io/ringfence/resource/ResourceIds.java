package io.ringfence.resource;

import io.ringfence.error.ApiException;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Resource IDs: the ones Ringfence issues, and the checks on the ones clients send. */
public final class ResourceIds {

    public static final int MAX_LENGTH = 63;

    /**
     * The shape of the organization and project IDs Ringfence and the platform issue: lowercase letters, digits
     * and {@code -}, 1 to 63 characters. The one statement of that rule; bodies, paths and query parameters all
     * check against it.
     */
    public static final Pattern ID = Pattern.compile("[a-z0-9-]{1," + MAX_LENGTH + "}");

    /** What a client is told when an organization or project ID has the wrong shape. */
    public static final String ID_RULE = "must be 1 to " + MAX_LENGTH + " lowercase letters, digits or '-'";

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

    /** Whether {@code value} has the shape of an organization or project ID. */
    public static boolean valid(String value) {
        return value != null && ID.matcher(value).matches();
    }

    /** {@code value} as the organization or project ID named {@code field} in a request body, or 400. */
    public static String requireOwner(String value, String field) {
        if (!valid(value)) {
            throw ApiException.badRequest("request body invalid: " + field + " " + ID_RULE);
        }
        return value;
    }

    /** {@code value} as the organization or project ID in the path or query parameter {@code name}, or 400. */
    public static String requireParameter(String value, String name) {
        if (!valid(value)) {
            throw ApiException.badRequest("request invalid: parameter '" + name + "' " + ID_RULE);
        }
        return value;
    }

    public static <T> List<T> orEmpty(List<T> values) {
        return values == null ? List.of() : values;
    }
}
