package io.ringfence.resource;

import io.ringfence.contract.model.Tag;
import io.ringfence.error.ApiException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** A {@code name=value} tag on a resource. */
public record ResourceTag(String name, String value) {

    /** Tag names of this shape are the platform's own operation tags; customers may not set them. */
    private static final Pattern RESERVED = Pattern.compile("^[a-z]+\\.unikorn-cloud\\.org:.*");

    /** At most this many tags on one resource. */
    public static final int MAX_TAGS = 64;
    /** The longest tag name, in characters. */
    public static final int MAX_NAME_LENGTH = 63;
    /** The longest tag value, in characters. */
    public static final int MAX_VALUE_LENGTH = 255;

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

    /**
     * The tags of a create request: at most {@value #MAX_TAGS}, names of 1 to {@value #MAX_NAME_LENGTH} characters,
     * unique and not reserved, values of at most {@value #MAX_VALUE_LENGTH} characters; or 400.
     */
    public static List<ResourceTag> fromRequest(List<Tag> tags) {
        if (tags != null && tags.size() > MAX_TAGS) {
            throw ApiException.badRequest("request body invalid: at most " + MAX_TAGS + " tags");
        }
        List<ResourceTag> result = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Tag tag : tags == null ? List.<Tag>of() : tags) {
            if (tag == null || tag.getName() == null || tag.getName().isEmpty() || tag.getValue() == null) {
                throw ApiException.badRequest("request body invalid: every tag needs a name and a value");
            }
            if (tag.getName().length() > MAX_NAME_LENGTH || tag.getValue().length() > MAX_VALUE_LENGTH) {
                throw ApiException.badRequest("request body invalid: tag names are at most " + MAX_NAME_LENGTH
                        + " and tag values at most " + MAX_VALUE_LENGTH + " characters");
            }
            ResourceTag resourceTag = new ResourceTag(tag.getName(), tag.getValue());
            if (resourceTag.reserved()) {
                throw ApiException.badRequest("request body invalid: tag name '" + tag.getName() + "' is reserved");
            }
            if (!names.add(tag.getName())) {
                throw ApiException.badRequest("request body invalid: tag name '" + tag.getName() + "' is repeated");
            }
            result.add(resourceTag);
        }
        return result;
    }

    /** The {@code tag} query items of a list request, each of which must contain exactly one {@code =}; or 400. */
    public static List<ResourceTag> fromSelectors(List<String> selectors) {
        List<ResourceTag> result = new ArrayList<>();
        for (String selector : selectors == null ? List.<String>of() : selectors) {
            int equals = selector.indexOf('=');
            if (equals <= 0 || selector.indexOf('=', equals + 1) >= 0) {
                throw ApiException.badRequest("tag filter '" + selector + "' must have the form name=value");
            }
            result.add(new ResourceTag(selector.substring(0, equals), selector.substring(equals + 1)));
        }
        return result;
    }

    public Tag toWire() {
        return new Tag(name, value);
    }
}
