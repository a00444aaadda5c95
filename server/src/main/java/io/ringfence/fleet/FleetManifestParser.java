package io.ringfence.fleet;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads a fleet manifest from YAML.
 *
 * <pre>
 * regions:
 *   - id: c7568e2d-f9ab-453d-9a3a-51375f78426b
 *     name: eu-west-demo
 *     unitTypes:
 *       - accelerator: GB300
 *         unit: NVL72
 *         machineFlavorId: g.72.gb300.pinned
 *         deviceTypeResourceClass: GB300_HOST
 *         hostsPerUnit: 18
 *         host: {cpus: 144, memory: 960, disk: 0, architecture: aarch64,
 *                gpu: {vendor: NVIDIA, model: GB300, physicalCount: 4, logicalCount: 4, memory: 288}}
 *         pods:                      # explicit inventory, as a real fleet lists it
 *           - id: ...
 *             name: pod-1
 *             domains:
 *               - {id: ..., name: nvl-01, hosts: [infrastructureRef, ...]}
 *         generate: {pods: 2, domainsPerPod: 8}   # or: a synthetic inventory with stable IDs
 *     networks:                    # for the simulated platform: the VPCs placements may attach to
 *       - {id: 61f0ad85-..., organizationId: 161b9d5a-..., projectId: f113be96-...}   # organizationId optional
 * </pre>
 *
 * Generated IDs are name-based UUIDs of the region, unit type and position, so the same manifest always
 * yields the same inventory and reloading it changes nothing.
 */
public final class FleetManifestParser {

    private FleetManifestParser() {
    }

    public static FleetManifest parse(InputStream yaml) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        Map<String, Object> document = map(root, "manifest");
        List<FleetManifest.Region> regions = new ArrayList<>();
        for (Object regionNode : list(document.get("regions"), "regions")) {
            Map<String, Object> region = map(regionNode, "region");
            String regionId = text(region, "id");
            List<FleetManifest.UnitTypeDeclaration> unitTypes = new ArrayList<>();
            for (Object unitTypeNode : list(region.get("unitTypes"), "unitTypes of region " + regionId)) {
                unitTypes.add(unitType(regionId, map(unitTypeNode, "unit type")));
            }
            List<FleetManifest.NetworkDeclaration> networks = new ArrayList<>();
            if (region.get("networks") != null) {
                for (Object networkNode : list(region.get("networks"), "networks of region " + regionId)) {
                    Map<String, Object> network = map(networkNode, "network");
                    Object organization = network.get("organizationId");
                    Object project = network.get("projectId");
                    networks.add(new FleetManifest.NetworkDeclaration(text(network, "id"),
                            organization == null ? null : organization.toString(),
                            project == null ? null : project.toString()));
                }
            }
            regions.add(new FleetManifest.Region(regionId, text(region, "name"), unitTypes, networks));
        }
        return new FleetManifest(regions);
    }

    private static FleetManifest.UnitTypeDeclaration unitType(String regionId, Map<String, Object> node) {
        String accelerator = text(node, "accelerator");
        String unit = text(node, "unit");
        int hostsPerUnit = integer(node, "hostsPerUnit");
        Map<String, Object> host = map(node.get("host"), "host");
        Map<String, Object> gpu = map(host.get("gpu"), "host.gpu");
        HostShape shape = new HostShape(integer(host, "cpus"), integer(host, "memory"),
                integer(host, "disk"), String.valueOf(host.getOrDefault("architecture", "UNKNOWN")),
                new HostShape.Gpu(text(gpu, "vendor"), text(gpu, "model"), integer(gpu, "physicalCount"),
                        integer(gpu, "logicalCount"), integer(gpu, "memory")));

        List<FleetManifest.Pod> pods = new ArrayList<>();
        if (node.get("pods") != null) {
            for (Object podNode : list(node.get("pods"), "pods")) {
                Map<String, Object> pod = map(podNode, "pod");
                List<FleetManifest.Domain> domains = new ArrayList<>();
                for (Object domainNode : list(pod.get("domains"), "domains")) {
                    Map<String, Object> domain = map(domainNode, "domain");
                    List<String> hosts = new ArrayList<>();
                    for (Object hostRef : list(domain.get("hosts"), "hosts")) {
                        hosts.add(String.valueOf(hostRef));
                    }
                    domains.add(new FleetManifest.Domain(text(domain, "id"), text(domain, "name"), hosts));
                }
                pods.add(new FleetManifest.Pod(text(pod, "id"), text(pod, "name"), domains));
            }
        }
        if (node.get("generate") != null) {
            Map<String, Object> generate = map(node.get("generate"), "generate");
            String prefix = "ringfence-fleet/" + regionId + "/" + accelerator + "/" + unit;
            int podCount = integer(generate, "pods");
            int domainsPerPod = integer(generate, "domainsPerPod");
            for (int p = 1; p <= podCount; p++) {
                String podKey = prefix + "/pod-" + p;
                List<FleetManifest.Domain> domains = new ArrayList<>(domainsPerPod);
                for (int d = 1; d <= domainsPerPod; d++) {
                    String domainKey = podKey + "/domain-" + d;
                    List<String> hosts = new ArrayList<>(hostsPerUnit);
                    for (int h = 1; h <= hostsPerUnit; h++) {
                        hosts.add(stableId(domainKey + "/host-" + h));
                    }
                    domains.add(new FleetManifest.Domain(stableId(domainKey), String.format("nvl-%02d", d), hosts));
                }
                pods.add(new FleetManifest.Pod(stableId(podKey), "pod-" + p, domains));
            }
        }
        return new FleetManifest.UnitTypeDeclaration(accelerator, unit, text(node, "machineFlavorId"),
                text(node, "deviceTypeResourceClass"), hostsPerUnit, shape, pods);
    }

    static String stableId(String key) {
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String what) {
        if (node instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException(what + " must be a mapping");
    }

    private static List<?> list(Object node, String what) {
        if (node instanceof List<?> list) {
            return list;
        }
        throw new IllegalArgumentException(what + " must be a list");
    }

    private static String text(Map<String, Object> node, String key) {
        Object value = node.get(key);
        if (value == null) {
            throw new IllegalArgumentException("'" + key + "' is required");
        }
        return String.valueOf(value);
    }

    private static int integer(Map<String, Object> node, String key) {
        Object value = node.get(key);
        if (value instanceof Integer number) {
            return number;
        }
        throw new IllegalArgumentException("'" + key + "' must be an integer");
    }
}
