package io.ringfence.fleet;

import java.util.List;
import java.util.Objects;

/**
 * The physical inventory as an operator declares it: regions, the unit types each offers, and for each unit
 * type its pods, NVLink domains and hosts. Loaded at startup; see {@link FleetManifestParser} for the YAML.
 */
public record FleetManifest(List<Region> regions) {

    public FleetManifest {
        regions = List.copyOf(regions);
    }

    /**
     * @param networks the networks (VPCs) the simulated platform offers in this region; a real platform has
     *     its own registry and ignores them
     */
    public record Region(String id, String name, List<UnitTypeDeclaration> unitTypes, List<NetworkDeclaration> networks) {
        public Region {
            requireText(id, "region id");
            requireText(name, "region name");
            unitTypes = List.copyOf(unitTypes);
            networks = networks == null ? List.of() : List.copyOf(networks);
        }

        public Region(String id, String name, List<UnitTypeDeclaration> unitTypes) {
            this(id, name, unitTypes, List.of());
        }
    }

    /**
     * A network of a region, owned by an (organization, project) pair, or shared (no project). The organization may
     * be left out: the network then belongs to the organization the identity sources place its project in.
     */
    public record NetworkDeclaration(String id, String organizationId, String projectId) {
        public NetworkDeclaration {
            requireText(id, "network id");
            if (organizationId != null && projectId == null) {
                throw new IllegalArgumentException("network " + id + " names an organization but no project");
            }
        }
    }

    /** A unit type as the manifest declares it, with its pods. */
    public record UnitTypeDeclaration(String accelerator, String unit, String machineFlavorId, String deviceTypeResourceClass,
                           int hostsPerUnit, HostShape host, List<Pod> pods) {
        public UnitTypeDeclaration {
            requireText(accelerator, "accelerator");
            requireText(unit, "unit");
            requireText(machineFlavorId, "machineFlavorId");
            requireText(deviceTypeResourceClass, "deviceTypeResourceClass");
            if (hostsPerUnit < 1) {
                throw new IllegalArgumentException("hostsPerUnit of " + accelerator + "/" + unit + " must be >= 1");
            }
            Objects.requireNonNull(host, "host shape of " + accelerator + "/" + unit);
            pods = List.copyOf(pods);
            for (Pod pod : pods) {
                for (Domain domain : pod.domains()) {
                    if (domain.hosts().size() != hostsPerUnit) {
                        throw new IllegalArgumentException("domain " + domain.id() + " has " + domain.hosts().size()
                                + " hosts but " + accelerator + "/" + unit + " units have " + hostsPerUnit);
                    }
                }
            }
        }
    }

    /** A network block sharing one spine; the unit of contiguity. */
    public record Pod(String id, String name, List<Domain> domains) {
        public Pod {
            requireText(id, "pod id");
            requireText(name, "pod name");
            domains = List.copyOf(domains);
        }
    }

    /** One NVLink domain (one reservation unit), in its physical position order within the pod. */
    public record Domain(String id, String name, List<String> hosts) {
        public Domain {
            requireText(id, "domain id");
            requireText(name, "domain name");
            hosts = List.copyOf(hosts);
        }
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
    }
}
