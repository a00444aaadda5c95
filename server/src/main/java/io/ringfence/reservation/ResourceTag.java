package io.ringfence.reservation;

import java.util.regex.Pattern;

/** A {@code name=value} tag on a resource. */
public record ResourceTag(String name, String value) {

    /** Tag names of this shape are the platform's own operation tags; customers may not set them. */
    private static final Pattern RESERVED = Pattern.compile("^[a-z]+\\.unikorn-cloud\\.org:.*");

    public ResourceTag {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("tag name is required");
        }
        if (value == null) {
            throw new IllegalArgumentException("tag value is required");
        }
    }

    public boolean reserved() {
        return RESERVED.matcher(name).matches();
    }

    /** Parses one {@code tag} query item, which must contain exactly one {@code =}. */
    public static ResourceTag parseSelector(String selector) {
        int equals = selector.indexOf('=');
        if (equals <= 0 || selector.indexOf('=', equals + 1) >= 0) {
            throw new IllegalArgumentException("tag filter '" + selector + "' must have the form name=value");
        }
        return new ResourceTag(selector.substring(0, equals), selector.substring(equals + 1));
    }
}
