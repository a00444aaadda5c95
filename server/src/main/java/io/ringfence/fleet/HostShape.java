package io.ringfence.fleet;

import java.util.List;
import java.util.Objects;

/** The shape of every host of a unit type: CPUs, memory (GiB), disk (GB), architecture and GPUs. */
public record HostShape(int cpus, int memory, int disk, String architecture, Gpu gpu) {
    public HostShape {
        if (cpus < 0 || memory < 0 || disk < 0) {
            throw new IllegalArgumentException("host cpus, memory and disk must be >= 0");
        }
        if (!List.of("UNKNOWN", "x86_64", "aarch64").contains(architecture)) {
            throw new IllegalArgumentException("host architecture must be UNKNOWN, x86_64 or aarch64: " + architecture);
        }
        Objects.requireNonNull(gpu, "gpu");
    }

    /** The GPUs of one host. */
    public record Gpu(String vendor, String model, int physicalCount, int logicalCount, int memory) {
        public Gpu {
            if (!List.of("UNKNOWN", "NVIDIA", "AMD").contains(vendor)) {
                throw new IllegalArgumentException("gpu vendor must be UNKNOWN, NVIDIA or AMD: " + vendor);
            }
            requireText(model, "gpu model");
            if (physicalCount < 0 || logicalCount < 0 || memory < 0) {
                throw new IllegalArgumentException("gpu counts and memory must be >= 0");
            }
        }
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
    }
}
