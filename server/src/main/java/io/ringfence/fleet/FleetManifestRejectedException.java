package io.ringfence.fleet;

/** A manifest that cannot be applied without breaking a live claim; nothing of it was written. */
public class FleetManifestRejectedException extends RuntimeException {
    public FleetManifestRejectedException(String message) {
        super(message);
    }
}
