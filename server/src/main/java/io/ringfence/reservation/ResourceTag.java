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

    /** The tags of a create request: names unique and not reserved, or 400. */
    public static java.util.List<ResourceTag> fromRequest(java.util.List<io.ringfence.contract.model.Tag> tags) {
        java.util.List<ResourceTag> result = new java.util.ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (io.ringfence.contract.model.Tag tag : tags == null ? java.util.List.<io.ringfence.contract.model.Tag>of() : tags) {
            ResourceTag resourceTag = new ResourceTag(tag.getName(), tag.getValue());
            if (resourceTag.reserved()) {
                throw io.ringfence.error.ApiException.badRequest("request body invalid: tag name '" + tag.getName()
                        + "' is reserved");
            }
            if (!names.add(tag.getName())) {
                throw io.ringfence.error.ApiException.badRequest("request body invalid: tag name '" + tag.getName()
                        + "' is repeated");
            }
            result.add(resourceTag);
        }
        return result;
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
