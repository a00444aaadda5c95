package io.ringfence.provider;

import java.util.List;
import java.util.Objects;

/** One piece of work for the platform, with everything needed to start it; {@link #key()} names it. */
public sealed interface PlatformOperation {

    OperationKey key();

    /** Make {@code unit} ready for {@code reservationId}. */
    record PrepareUnit(String domainId, List<String> hosts, String reservationId) implements PlatformOperation {
        public PrepareUnit {
            hosts = List.copyOf(hosts);
        }

        @Override
        public OperationKey key() {
            return new OperationKey(OperationKind.PREPARE_UNIT, domainId, reservationId, 0);
        }
    }

    /** Hand {@code unit} back, if {@code reservationId} still holds it at the platform. */
    record ReleaseUnit(String domainId, List<String> hosts, String reservationId) implements PlatformOperation {
        public ReleaseUnit {
            hosts = List.copyOf(hosts);
        }

        @Override
        public OperationKey key() {
            return new OperationKey(OperationKind.RELEASE_UNIT, domainId, reservationId, 0);
        }
    }

    record CreateServer(ServerRequest request, String placementId) implements PlatformOperation {
        public CreateServer {
            Objects.requireNonNull(request, "request");
        }

        @Override
        public OperationKey key() {
            return new OperationKey(OperationKind.CREATE_SERVER, request.serverId(), placementId, 0);
        }
    }

    record DeleteServer(String serverId, String placementId) implements PlatformOperation {
        @Override
        public OperationKey key() {
            return new OperationKey(OperationKind.DELETE_SERVER, serverId, placementId, 0);
        }
    }

    /** A power operation, the {@code generation}-th operation asked of the server. */
    record PowerServer(String serverId, String placementId, PowerOperation operation, long generation)
            implements PlatformOperation {
        public PowerServer {
            Objects.requireNonNull(operation, "operation");
        }

        @Override
        public OperationKey key() {
            return new OperationKey(OperationKind.POWER_SERVER, serverId, placementId, generation);
        }
    }

    /** Rebuild the server with {@code imageId}, the {@code generation}-th operation asked of it. */
    record ReimageServer(String serverId, String placementId, String imageId, long generation)
            implements PlatformOperation {
        @Override
        public OperationKey key() {
            return new OperationKey(OperationKind.REIMAGE_SERVER, serverId, placementId, generation);
        }
    }
}
