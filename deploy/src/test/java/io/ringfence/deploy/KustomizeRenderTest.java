package io.ringfence.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Renders the kustomize base and the example overlay with {@code kubectl kustomize} and checks the objects
 * and the fields the service depends on. Without kubectl (on PATH, or named by the environment variable
 * {@code KUBECTL}) every test fails with a message saying so; nothing is skipped.
 */
class KustomizeRenderTest {

    private static final Map<String, String> SELECTOR = Map.of(
            "app.kubernetes.io/name", "ringfence",
            "app.kubernetes.io/instance", "ringfence");

    private static final Path DEPLOY_DIR = Path.of(System.getProperty("ringfence.deploy.dir", ""))
            .toAbsolutePath().normalize();

    private static final Path BASE = DEPLOY_DIR.resolve("kubernetes/base");
    private static final Path OVERLAY = DEPLOY_DIR.resolve("kubernetes/overlays/example");

    // ---------------------------------------------------------------- the base

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Base {

        private Rendered rendered;

        @BeforeAll
        void render() {
            rendered = Rendered.of(BASE);
        }

        @Test
        void rendersExactlyTheExpectedObjects() {
            assertThat(rendered.kinds()).containsExactlyInAnyOrder(
                    "ServiceAccount", "ConfigMap", "Service", "Deployment", "PodDisruptionBudget", "NetworkPolicy");
            assertThat(rendered.all("Secret"))
                    .as("the base must not create the database Secret; the installation provides it")
                    .isEmpty();
        }

        @Test
        void everyObjectCarriesTheStandardLabels() {
            for (Map<String, Object> object : rendered.objects) {
                assertThat(labels(object)).as("labels of %s", describe(object))
                        .containsEntry("app.kubernetes.io/name", "ringfence")
                        .containsEntry("app.kubernetes.io/part-of", "ringfence")
                        .containsKey("app.kubernetes.io/component");
            }
        }

        @Test
        void deploymentRunsThreeReplicasSelectingItsPods() {
            Map<String, Object> deployment = rendered.one("Deployment", "ringfence");
            assertThat(get(deployment, "spec.replicas")).isEqualTo(3);
            Map<String, String> podLabels = stringMap(get(deployment, "spec.template.metadata.labels"));
            assertThat(podLabels).containsAllEntriesOf(SELECTOR);
            assertThat(stringMap(get(deployment, "spec.selector.matchLabels"))).isEqualTo(SELECTOR);
            assertThat(get(deployment, "spec.strategy.rollingUpdate.maxUnavailable")).isEqualTo(0);
        }

        @Test
        void probesUseTheActuatorHealthGroupsOnTheHttpPort() {
            Map<String, Object> container = serverContainer(rendered);
            assertThat(list(container.get("ports"))).singleElement().satisfies(port -> {
                assertThat(map(port)).containsEntry("name", "http").containsEntry("containerPort", 8080);
            });
            assertThat(get(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
            assertThat(get(container, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
            assertThat(get(container, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
            for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                assertThat(get(container, probe + ".httpGet.port")).as(probe).isIn("http", 8080);
            }
            int startupBudget = (Integer) get(container, "startupProbe.periodSeconds")
                    * (Integer) get(container, "startupProbe.failureThreshold");
            assertThat(startupBudget).as("seconds allowed for migrations and the fleet load").isGreaterThanOrEqualTo(120);
        }

        @Test
        void resourcesHaveRequestsAndLimitsAndTheJvmFollowsTheLimit() {
            Map<String, Object> container = serverContainer(rendered);
            assertThat(get(container, "resources.requests.cpu")).isEqualTo("500m");
            assertThat(get(container, "resources.requests.memory")).isEqualTo("768Mi");
            assertThat(get(container, "resources.limits.cpu")).isEqualTo("2");
            assertThat(get(container, "resources.limits.memory")).isEqualTo("1Gi");
            assertThat(env(container).get("JAVA_TOOL_OPTIONS")).isNotNull();
            assertThat(get(env(container).get("JAVA_TOOL_OPTIONS"), "value").toString())
                    .contains("-XX:MaxRAMPercentage=75");
        }

        @Test
        void runsAsNonRootWithAReadOnlyRootFilesystem() {
            Map<String, Object> pod = podSpec(rendered);
            assertThat(get(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
            assertThat(get(pod, "securityContext.runAsUser")).isEqualTo(65532);
            List<Map<String, Object>> all = new ArrayList<>(maps(pod.get("containers")));
            all.addAll(maps(pod.getOrDefault("initContainers", List.of())));
            for (Map<String, Object> container : all) {
                assertThat(get(container, "securityContext.runAsNonRoot")).as("container %s", container.get("name")).isEqualTo(true);
                assertThat(get(container, "securityContext.runAsUser")).as("container %s", container.get("name")).isEqualTo(65532);
                assertThat(get(container, "securityContext.readOnlyRootFilesystem")).as("container %s", container.get("name"))
                        .isEqualTo(true);
                assertThat(get(container, "securityContext.allowPrivilegeEscalation")).as("container %s", container.get("name"))
                        .isEqualTo(false);
            }
            Map<String, String> mounts = mounts(serverContainer(rendered));
            Map<String, Map<String, Object>> volumes = volumes(pod);
            assertThat(volumes.get(mounts.get("/tmp"))).as("/tmp").containsKey("emptyDir");
            assertThat(volumes.get(mounts.get("/var/lib/ringfence"))).as("the data dir").containsKey("emptyDir");
            assertThat(get(env(serverContainer(rendered)).get("RINGFENCE_DATA_DIR"), "value"))
                    .isEqualTo("/var/lib/ringfence");
        }

        @Test
        void databaseSettingsComeFromTheDatabaseSecret() {
            Map<String, Map<String, Object>> env = env(serverContainer(rendered));
            assertThat(get(env.get("SPRING_DATASOURCE_URL"), "valueFrom.secretKeyRef.name")).isEqualTo("ringfence-database");
            assertThat(get(env.get("SPRING_DATASOURCE_URL"), "valueFrom.secretKeyRef.key")).isEqualTo("url");
            assertThat(get(env.get("SPRING_DATASOURCE_USERNAME"), "valueFrom.secretKeyRef.name")).isEqualTo("ringfence-database");
            assertThat(get(env.get("SPRING_DATASOURCE_USERNAME"), "valueFrom.secretKeyRef.key")).isEqualTo("username");
            assertThat(get(env.get("SPRING_DATASOURCE_PASSWORD"), "valueFrom.secretKeyRef.name")).isEqualTo("ringfence-database");
            assertThat(get(env.get("SPRING_DATASOURCE_PASSWORD"), "valueFrom.secretKeyRef.key")).isEqualTo("password");
            assertThat(env.values()).as("no literal credentials in the base")
                    .noneMatch(e -> String.valueOf(e.get("value")).toLowerCase().contains("password"));
        }

        @Test
        void fleetManifestIsMountedFromTheConfigMap() throws IOException {
            Map<String, Object> container = serverContainer(rendered);
            Map<String, Map<String, Object>> env = env(container);
            assertThat(get(env.get("RINGFENCE_FLEET_MANIFEST"), "value")).isEqualTo("/etc/ringfence/fleet.yaml");

            Map<String, Object> volume = volumes(podSpec(rendered)).get(mounts(container).get("/etc/ringfence"));
            assertThat(volume).as("volume mounted at /etc/ringfence").isNotNull().containsKey("configMap");
            String configMapName = (String) get(volume, "configMap.name");
            Map<String, Object> configMap = rendered.one("ConfigMap", configMapName);
            Map<String, String> data = stringMap(configMap.get("data"));
            assertThat(data).as("role bindings are the operator's, in the identity Secret").containsOnlyKeys("fleet.yaml");

            assertThat(parseYaml(data.get("fleet.yaml"))).containsKey("regions");
            Path resources = DEPLOY_DIR.resolveSibling("server/src/main/resources");
            assertThat(data.get("fleet.yaml"))
                    .as("deploy/kubernetes/base/fleet.yaml is a copy of the demo fleet; copy it again after a change")
                    .isEqualTo(Files.readString(resources.resolve("fleet/demo-fleet.yaml")));
        }

        @Test
        void clientsFileAndAccessFileComeFromTheIdentitySecretTheInstallationCreates() {
            Map<String, Object> container = serverContainer(rendered);
            Map<String, Map<String, Object>> env = env(container);
            assertThat(get(env.get("RINGFENCE_CLIENTS_FILE"), "value")).isEqualTo("/etc/ringfence-identity/clients.yaml");
            assertThat(get(env.get("RINGFENCE_ACCESS_FILE"), "value")).isEqualTo("/etc/ringfence-identity/access.yaml");
            Map<String, Object> volume = volumes(podSpec(rendered)).get(mounts(container).get("/etc/ringfence-identity"));
            assertThat(volume).as("volume mounted at /etc/ringfence-identity").isNotNull().containsKey("secret");
            assertThat(get(volume, "secret.secretName")).isEqualTo("ringfence-identity");
            assertThat(get(volume, "secret.optional")).as("pods wait for the Secret rather than start unusable")
                    .isNotEqualTo(true);
            assertThat(list(get(volume, "secret.items"))).extracting(i -> map(i).get("key"))
                    .containsExactlyInAnyOrder("clients.yaml", "access.yaml");
            assertThat(rendered.all("Secret")).as("the installation creates ringfence-identity").isEmpty();
        }

        @Test
        void shipsNoDemoCredentialAndLeavesTheDemoIdentitiesOff() throws IOException {
            assertNoDemoCredential(rendered);
            assertDemoIdentitiesNotTurnedOn(rendered);
            assertThat(get(env(serverContainer(rendered)).get("RINGFENCE_DEMO_IDENTITIES"), "value")).isEqualTo("false");
        }

        @Test
        void signingKeySecretIsOptionalAndCopiedIntoTheWritableDataDir() {
            Map<String, Object> pod = podSpec(rendered);
            Map<String, Map<String, Object>> volumes = volumes(pod);
            Map<String, Object> secretVolume = volumes.values().stream()
                    .filter(v -> "ringfence-signing-key".equals(get(v, "secret.secretName"))).findFirst().orElseThrow();
            assertThat(get(secretVolume, "secret.secretName")).isEqualTo("ringfence-signing-key");
            assertThat(get(secretVolume, "secret.optional")).isEqualTo(true);
            assertThat(list(get(secretVolume, "secret.items"))).extracting(i -> map(i).get("key"))
                    .containsExactly("token-signing-key.json");
            // a Secret volume is read-only: mounted over <data dir>/keys, a replica without the Secret could not
            // create its own key and would not start
            assertThat(mounts(serverContainer(rendered))).doesNotContainKey("/var/lib/ringfence/keys");
            Map<String, Object> init = maps(pod.get("initContainers")).get(0);
            assertThat(mounts(init)).containsEntry("/var/lib/ringfence", mounts(serverContainer(rendered))
                    .get("/var/lib/ringfence"));
            assertThat(mounts(init).get(mounts(init).keySet().stream()
                    .filter(p -> !p.equals("/var/lib/ringfence")).findFirst().orElseThrow()))
                    .isEqualTo(secretVolume.get("name"));
            assertThat(String.join(" ", strings(init.get("command"))))
                    .contains("/var/lib/ringfence/keys/token-signing-key.json");
        }

        @Test
        void shutsDownGracefullyAndSpreadsAcrossNodes() {
            Map<String, Object> pod = podSpec(rendered);
            assertThat(pod.get("terminationGracePeriodSeconds")).isEqualTo(30);
            assertThat(strings(get(serverContainer(rendered), "lifecycle.preStop.exec.command")))
                    .first().isEqualTo("sleep");
            List<Map<String, Object>> spread = maps(pod.get("topologySpreadConstraints"));
            assertThat(spread).anySatisfy(c -> {
                assertThat(c.get("topologyKey")).isEqualTo("kubernetes.io/hostname");
                assertThat(stringMap(get(c, "labelSelector.matchLabels"))).isEqualTo(SELECTOR);
            });
        }

        @Test
        void podDisruptionBudgetSelectsTheServerPods() {
            Map<String, Object> pdb = rendered.one("PodDisruptionBudget", "ringfence");
            assertThat(get(pdb, "spec.maxUnavailable")).isEqualTo(1);
            Map<String, String> podLabels = stringMap(get(podTemplate(rendered), "metadata.labels"));
            assertThat(podLabels).containsAllEntriesOf(stringMap(get(pdb, "spec.selector.matchLabels")));
        }

        @Test
        void serviceMapsPort80ToTheHttpPort() {
            Map<String, Object> service = rendered.one("Service", "ringfence");
            assertThat(maps(get(service, "spec.ports"))).singleElement().satisfies(port -> {
                assertThat(port).containsEntry("name", "http").containsEntry("port", 80);
                assertThat(port.get("targetPort")).isIn("http", 8080);
            });
            assertThat(stringMap(get(service, "spec.selector"))).isEqualTo(SELECTOR);
        }

        @Test
        void networkPolicyAdmitsOnly8080AndLetsOutDatabaseDnsAndHttps() {
            Map<String, Object> policy = rendered.one("NetworkPolicy", "ringfence");
            assertThat(stringMap(get(policy, "spec.podSelector.matchLabels"))).isEqualTo(SELECTOR);
            assertThat(strings(get(policy, "spec.policyTypes"))).containsExactlyInAnyOrder("Ingress", "Egress");
            List<Map<String, Object>> ingress = maps(get(policy, "spec.ingress"));
            assertThat(ingress).isNotEmpty().allSatisfy(rule -> {
                assertThat(maps(rule.get("ports"))).extracting(p -> p.get("port")).containsOnly(8080);
                assertThat(maps(rule.get("from"))).as("ingress sources").isNotEmpty();
            });
            List<Object> egressPorts = maps(get(policy, "spec.egress")).stream()
                    .flatMap(rule -> maps(rule.get("ports")).stream()).map(p -> p.get("port")).toList();
            assertThat(egressPorts).contains(5432, 53, 443);
        }
    }

    // ---------------------------------------------------------------- the example overlay

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ExampleOverlay {

        private Rendered rendered;

        @BeforeAll
        void render() {
            rendered = Rendered.of(OVERLAY);
        }

        @Test
        void everythingLandsInTheExampleNamespace() {
            assertThat(rendered.one("Namespace", "ringfence-example")).isNotNull();
            for (Map<String, Object> object : rendered.objects) {
                if (!object.get("kind").equals("Namespace")) {
                    assertThat(get(object, "metadata.namespace")).as(describe(object)).isEqualTo("ringfence-example");
                }
            }
        }

        @Test
        void setsTheImageFromTheRegistry() {
            Map<String, Object> pod = podSpec(rendered);
            List<Map<String, Object>> all = new ArrayList<>(maps(pod.get("containers")));
            all.addAll(maps(pod.getOrDefault("initContainers", List.of())));
            assertThat(all).extracting(c -> c.get("image")).containsOnly("registry.example.com/ringfence:0.1.0");
        }

        @Test
        void patchesReplicasResourcesAndThePublicUrl() {
            assertThat(get(rendered.one("Deployment", "ringfence"), "spec.replicas")).isEqualTo(4);
            Map<String, Object> container = serverContainer(rendered);
            assertThat(get(container, "resources.requests.memory")).isEqualTo("1Gi");
            assertThat(get(container, "resources.limits.memory")).isEqualTo("1536Mi");
            Map<String, Map<String, Object>> env = env(container);
            assertThat(get(env.get("RINGFENCE_PUBLIC_URL"), "value")).isEqualTo("https://ringfence.example.com");
            // the patch merges: the base's settings survive
            assertThat(env).containsKeys("RINGFENCE_DATA_DIR", "RINGFENCE_FLEET_MANIFEST", "RINGFENCE_ACCESS_FILE",
                    "RINGFENCE_CLIENTS_FILE", "RINGFENCE_DEMO_IDENTITIES",
                    "SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD",
                    "JAVA_TOOL_OPTIONS");
            assertThat(get(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
        }

        @Test
        void exampleDatabaseSecretHasTheKeysTheDeploymentReads() {
            Map<String, Object> secret = rendered.one("Secret", "ringfence-database");
            assertThat(stringMap(secret.get("data"))).containsOnlyKeys("url", "username", "password");
            String password = new String(java.util.Base64.getMimeDecoder()
                    .decode(stringMap(secret.get("data")).get("password")), StandardCharsets.UTF_8);
            assertThat(password).as("the example password is obviously fake").contains("not-a-real");
            String url = new String(java.util.Base64.getMimeDecoder()
                    .decode(stringMap(secret.get("data")).get("url")), StandardCharsets.UTF_8);
            assertThat(url).startsWith("jdbc:postgresql://");
        }

        @Test
        void configMapReferenceFollowsTheGeneratedName() {
            Map<String, Object> volume = volumes(podSpec(rendered)).get(mounts(serverContainer(rendered)).get("/etc/ringfence"));
            String name = (String) get(volume, "configMap.name");
            assertThat(name).startsWith("ringfence-config-");
            assertThat(stringMap(rendered.one("ConfigMap", name).get("data"))).containsOnlyKeys("fleet.yaml");
        }

        @Test
        void shipsNoDemoCredentialAndLeavesTheDemoIdentitiesOff() throws IOException {
            assertNoDemoCredential(rendered);
            assertDemoIdentitiesNotTurnedOn(rendered);
        }

        @Test
        void ingressRoutesThePublicHostToTheService() {
            Map<String, Object> ingress = rendered.one("Ingress", "ringfence");
            Map<String, Object> rule = maps(get(ingress, "spec.rules")).get(0);
            assertThat(rule.get("host")).isEqualTo("ringfence.example.com");
            Map<String, Object> backend = map(get(maps(get(rule, "http.paths")).get(0), "backend.service"));
            assertThat(backend.get("name")).isEqualTo("ringfence");
            assertThat(get(backend, "port.name")).isEqualTo("http");
        }

        @Test
        void keepsTheBaseObjects() {
            assertThat(rendered.kinds()).contains("ServiceAccount", "ConfigMap", "Service", "Deployment",
                    "PodDisruptionBudget", "NetworkPolicy", "Secret", "Ingress", "Namespace");
        }
    }

    // ---------------------------------------------------------------- credentials

    /**
     * No secret or password of a demo identity (the clients and people of server/src/main/resources/application.yaml,
     * whose secrets are public) and nothing shaped like a demo password ({@code *-password}) appears in any rendered
     * manifest, in clear or inside a Secret's base64 data.
     */
    private static void assertNoDemoCredential(Rendered rendered) throws IOException {
        List<String> demoSecrets = new ArrayList<>(List.of("ringfence-demo-secret", "ringfence-other-secret",
                "ringfence-operator-secret", "ringfence-metrics-secret"));
        Map<String, Object> application = parseYaml(Files.readString(
                DEPLOY_DIR.resolveSibling("server/src/main/resources/application.yaml")));
        for (Map<String, Object> client : maps(get(application, "ringfence.identity.clients"))) {
            demoSecrets.add(String.valueOf(client.get("secret")));
        }
        for (Map<String, Object> user : maps(get(application, "ringfence.identity.users"))) {
            demoSecrets.add(String.valueOf(user.get("password")));
        }
        StringBuilder everything = new StringBuilder(rendered.text());
        for (Map<String, Object> secret : rendered.all("Secret")) {
            Object data = secret.get("data");
            if (data != null) {
                stringMap(data).values().forEach(v -> everything.append('\n').append(new String(
                        java.util.Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8)));
            }
            Object stringData = secret.get("stringData");
            if (stringData != null) {
                stringMap(stringData).values().forEach(v -> everything.append('\n').append(v));
            }
        }
        String text = everything.toString();
        for (String demoSecret : demoSecrets) {
            assertThat(text).as("a demo secret in %s", rendered.dir()).doesNotContain(demoSecret);
        }
        assertThat(java.util.regex.Pattern.compile("[A-Za-z0-9_.]+-password").matcher(text).results()
                .map(java.util.regex.MatchResult::group).toList())
                .as("demo-style passwords (*-password) in %s", rendered.dir()).isEmpty();
    }

    /** No container sets RINGFENCE_DEMO_IDENTITIES (or the property) to true. */
    private static void assertDemoIdentitiesNotTurnedOn(Rendered rendered) {
        Map<String, Object> pod = podSpec(rendered);
        List<Map<String, Object>> all = new ArrayList<>(maps(pod.get("containers")));
        all.addAll(maps(pod.getOrDefault("initContainers", List.of())));
        for (Map<String, Object> container : all) {
            for (Map<String, Object> variable : env(container).values()) {
                String name = String.valueOf(variable.get("name")).toUpperCase(java.util.Locale.ROOT);
                if (name.equals("RINGFENCE_DEMO_IDENTITIES") || name.equals("RINGFENCE_IDENTITY_DEMO_IDENTITIES")
                        || name.equals("RINGFENCE_IDENTITY_DEMOIDENTITIES")) {
                    assertThat(variable).as("%s in container %s", name, container.get("name"))
                            .doesNotContainKey("valueFrom");
                    assertThat(String.valueOf(variable.get("value")).trim()).as("%s in container %s", name,
                            container.get("name")).isNotEqualToIgnoringCase("true");
                }
            }
            List<String> words = new ArrayList<>();
            words.addAll(strings(container.getOrDefault("command", List.of())));
            words.addAll(strings(container.getOrDefault("args", List.of())));
            assertThat(words).as("command line of %s", container.get("name"))
                    .noneMatch(w -> w.replace("-", "").toLowerCase(java.util.Locale.ROOT)
                            .contains("ringfence.identity.demoidentities=true"));
        }
    }

    // ---------------------------------------------------------------- rendering

    /** The objects of one {@code kubectl kustomize} run. */
    private record Rendered(Path dir, String text, List<Map<String, Object>> objects) {

        static Rendered of(Path dir) {
            assertThat(dir.resolve("kustomization.yaml")).as("kustomization in %s", dir).isRegularFile();
            String output = kustomize(dir);
            Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
            List<Map<String, Object>> objects = new ArrayList<>();
            for (Object document : yaml.loadAll(output)) {
                if (document != null) {
                    assertThat(document).as("a document of the output of %s", dir).isInstanceOf(Map.class);
                    objects.add(map(document));
                }
            }
            assertThat(objects).as("objects rendered from %s", dir).isNotEmpty();
            List<String> keys = objects.stream().map(KustomizeRenderTest::describe).toList();
            assertThat(keys).as("each object once").doesNotHaveDuplicates();
            for (Map<String, Object> object : objects) {
                assertThat(object).as("an object of %s", dir).containsKeys("apiVersion", "kind", "metadata");
                assertThat(get(object, "metadata.name")).as("name of a %s", object.get("kind")).isNotNull();
            }
            return new Rendered(dir, output, objects);
        }

        List<String> kinds() {
            return objects.stream().map(o -> (String) o.get("kind")).toList();
        }

        List<Map<String, Object>> all(String kind) {
            return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
        }

        Map<String, Object> one(String kind, String name) {
            List<Map<String, Object>> found = all(kind).stream()
                    .filter(o -> name.equals(get(o, "metadata.name"))).toList();
            assertThat(found).as("%s %s rendered from %s", kind, name, dir).hasSize(1);
            return found.get(0);
        }
    }

    private static String kustomize(Path dir) {
        String kubectl = kubectl();
        Path stderr = null;
        try {
            stderr = Files.createTempFile("kustomize", ".err");
            Process process = new ProcessBuilder(kubectl, "kustomize", dir.toString())
                    .redirectError(stderr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("`kubectl kustomize " + dir + "` did not finish within 120 s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("`kubectl kustomize " + dir + "` failed with exit code " + process.exitValue()
                        + ":\n" + Files.readString(stderr));
            }
            return output;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + kubectl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running kubectl", e);
        } finally {
            if (stderr != null) {
                try {
                    Files.deleteIfExists(stderr);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
    }

    /** kubectl from the environment variable KUBECTL or the PATH; its absence fails the test, loudly. */
    private static String kubectl() {
        String configured = System.getenv("KUBECTL");
        if (configured != null && !configured.isBlank()) {
            if (!Files.isExecutable(Path.of(configured))) {
                throw new AssertionError("KUBECTL=" + configured + " is not an executable file");
            }
            return configured;
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(entry, "kubectl");
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("kubectl was not found on PATH (" + path + "). The deployment tests render the "
                + "manifests in deploy/kubernetes with `kubectl kustomize` and cannot run without it: install kubectl "
                + "(v1.27 or newer, with its built-in kustomize v5) or set KUBECTL to its path.");
    }

    // ---------------------------------------------------------------- navigation

    private static Map<String, Object> podTemplate(Rendered rendered) {
        return map(get(rendered.one("Deployment", "ringfence"), "spec.template"));
    }

    private static Map<String, Object> podSpec(Rendered rendered) {
        return map(get(podTemplate(rendered), "spec"));
    }

    private static Map<String, Object> serverContainer(Rendered rendered) {
        List<Map<String, Object>> containers = maps(podSpec(rendered).get("containers"));
        return containers.stream().filter(c -> "ringfence".equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no container named ringfence in " + containers));
    }

    private static Map<String, Map<String, Object>> env(Map<String, Object> container) {
        Map<String, Map<String, Object>> env = new LinkedHashMap<>();
        for (Map<String, Object> entry : maps(container.getOrDefault("env", List.of()))) {
            assertThat(env.put((String) entry.get("name"), entry)).as("env %s set twice", entry.get("name")).isNull();
        }
        return env;
    }

    /** mount path to volume name */
    private static Map<String, String> mounts(Map<String, Object> container) {
        return maps(container.getOrDefault("volumeMounts", List.of())).stream()
                .collect(Collectors.toMap(m -> (String) m.get("mountPath"), m -> (String) m.get("name")));
    }

    /** volume name to volume */
    private static Map<String, Map<String, Object>> volumes(Map<String, Object> podSpec) {
        return maps(podSpec.getOrDefault("volumes", List.of())).stream()
                .collect(Collectors.toMap(v -> (String) v.get("name"), v -> v));
    }

    private static Map<String, String> labels(Map<String, Object> object) {
        Object labels = get(object, "metadata.labels");
        return labels == null ? Map.of() : stringMap(labels);
    }

    private static Map<String, Object> parseYaml(String text) {
        return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(text));
    }

    private static String describe(Map<String, Object> object) {
        return object.get("kind") + "/" + get(object, "metadata.namespace") + "/" + get(object, "metadata.name");
    }

    /** Follows a dotted path through nested maps; null where a step is missing. */
    private static Object get(Object root, String path) {
        Object current = root;
        for (String step : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(step);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).as("a mapping").isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> stringMap(Object value) {
        assertThat(value).as("a mapping").isInstanceOf(Map.class);
        Map<String, String> result = new LinkedHashMap<>();
        ((Map<String, Object>) value).forEach((k, v) -> result.put(k, v == null ? null : String.valueOf(v)));
        return result;
    }

    private static List<Object> list(Object value) {
        assertThat(value).as("a sequence").isInstanceOf(List.class);
        return new ArrayList<>((List<?>) value);
    }

    private static List<Map<String, Object>> maps(Object value) {
        return list(value).stream().map(KustomizeRenderTest::map).toList();
    }

    private static List<String> strings(Object value) {
        return list(value).stream().map(String::valueOf).toList();
    }
}
