package io.ringfence.provider;

import java.util.List;

/** One NVLink domain as the provider knows it: its ID and the infrastructure refs of its hosts. */
public record UnitRef(String domainId, List<String> infrastructureRefs) {
    public UnitRef {
        infrastructureRefs = List.copyOf(infrastructureRefs);
    }
}
