package dev.pipelineworker.examples.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pipelineworker.examples.ops.OperationsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes and deploy/ecs hold what the worker's code needs of its platform: a stop deadline above the
 * shutdown grace plus the report retries (JobWorker's defaults, read from the builder), the journal on storage
 * that outlives the container, the example worker's own probe and metrics paths and port, and a locked-down
 * container. A changed default or path fails here before it breaks a deployment.
 */
class DeploymentManifestsTest {

    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** ECS's upper bound for a container's stopTimeout. */
    private static final Duration ECS_MAX_STOP_TIMEOUT = Duration.ofSeconds(120);

    private static Map<String, JsonNode> kubernetes;

    @BeforeAll
    static void readKubernetes() throws IOException {
        kubernetes = new HashMap<>();
        try (Stream<Path> files = Files.list(DEPLOY.resolve("kubernetes"))) {
            for (Path file : files.sorted().toList()) {
                JsonNode document = YAML.readTree(file.toFile());
                kubernetes.put(document.path("kind").asText(), document);
            }
        }
    }

    @Test
    void kustomizationListsEveryManifest() throws IOException {
        List<String> listed = new ArrayList<>();
        kubernetes.get("Kustomization").path("resources").forEach(resource -> listed.add(resource.asText()));
        List<String> present;
        try (Stream<Path> files = Files.list(DEPLOY.resolve("kubernetes"))) {
            present = files.map(file -> file.getFileName().toString())
                    .filter(name -> !name.equals("kustomization.yaml")).toList();
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(present);
        assertThat(kubernetes).containsKeys("StatefulSet", "ServiceAccount", "Service", "PodDisruptionBudget");
    }

    @Test
    void theStatefulSetOutlastsTheDrain() {
        JsonNode pod = kubernetes.get("StatefulSet").path("spec").path("template").path("spec");
        Map<String, String> flags = flags(worker(pod).path("args"));

        assertThat(Duration.ofSeconds(pod.path("terminationGracePeriodSeconds").asLong()))
                .isGreaterThan(shutdownGrace(flags).plus(WorkerDefaults.reportRetryBudget()));
    }

    @Test
    void eachWorkerKeepsItsJournalOnAClaimOfItsOwn() {
        JsonNode statefulSet = kubernetes.get("StatefulSet").path("spec");
        JsonNode pod = statefulSet.path("template").path("spec");
        JsonNode worker = worker(pod);
        String journalDir = flags(worker.path("args")).get("--journal-dir");

        String claim = statefulSet.path("volumeClaimTemplates").path(0).path("metadata").path("name").asText();
        assertThat(mountPath(worker.path("volumeMounts"), "name", claim)).isEqualTo(journalDir);
        assertThat(statefulSet.path("volumeClaimTemplates").path(0).path("spec").path("accessModes").toString())
                .contains("ReadWriteOnce");
        String tmp = volumeAt(worker.path("volumeMounts"), "/tmp");
        assertThat(volume(pod, tmp).has("emptyDir")).as("/tmp is an emptyDir").isTrue();
    }

    @Test
    void probesAndScrapeUseTheExampleWorkersEndpoints() {
        JsonNode template = kubernetes.get("StatefulSet").path("spec").path("template");
        JsonNode worker = worker(template.path("spec"));
        String port = flags(worker.path("args")).get("--metrics-port");
        JsonNode containerPort = worker.path("ports").path(0);

        assertThat(containerPort.path("containerPort").asText()).isEqualTo(port);
        for (String probe : List.of("livenessProbe", "readinessProbe")) {
            assertThat(worker.path(probe).path("httpGet").path("port").asText()).as(probe)
                    .isEqualTo(containerPort.path("name").asText());
        }
        assertThat(worker.path("livenessProbe").path("httpGet").path("path").asText())
                .isEqualTo(OperationsServer.LIVE_PATH);
        assertThat(worker.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo(OperationsServer.READY_PATH);
        JsonNode annotations = template.path("metadata").path("annotations");
        assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
        assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo(port);
        assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo(OperationsServer.METRICS_PATH);
        assertThat(kubernetes.get("Service").path("spec").path("ports").path(0).path("port").asText()).isEqualTo(port);
    }

    @Test
    void theWorkerRunsLockedDown() {
        JsonNode pod = kubernetes.get("StatefulSet").path("spec").path("template").path("spec");
        JsonNode container = worker(pod).path("securityContext");

        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("securityContext").path("runAsUser").asInt()).isPositive();
        assertThat(container.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.path("allowPrivilegeEscalation").isBoolean()).isTrue();
        assertThat(container.path("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(container.path("capabilities").path("drop").toString()).contains("\"ALL\"");
        assertThat(worker(pod).path("resources").path("requests").has("cpu")).isTrue();
        assertThat(worker(pod).path("resources").path("requests").has("memory")).isTrue();
    }

    @Test
    void theServiceAccountCarriesAnIrsaRoleAndTheBudgetCoversThePods() {
        JsonNode account = kubernetes.get("ServiceAccount");
        JsonNode statefulSet = kubernetes.get("StatefulSet").path("spec");

        assertThat(account.path("metadata").path("annotations").path("eks.amazonaws.com/role-arn").asText())
                .matches("arn:aws:iam::\\d{12}:role/.+");
        assertThat(statefulSet.path("template").path("spec").path("serviceAccountName").asText())
                .isEqualTo(account.path("metadata").path("name").asText());
        assertThat(statefulSet.path("serviceName").asText())
                .isEqualTo(kubernetes.get("Service").path("metadata").path("name").asText());
        assertThat(kubernetes.get("PodDisruptionBudget").path("spec").path("selector").path("matchLabels"))
                .isEqualTo(statefulSet.path("selector").path("matchLabels"));
    }

    @Test
    void theEcsTaskOutlastsTheDrainAndKeepsTheJournalOnAVolume() throws IOException {
        JsonNode task = JSON.readTree(DEPLOY.resolve("ecs/task-definition.json").toFile());
        JsonNode worker = named(task.path("containerDefinitions"), "worker");
        Map<String, String> flags = flags(worker.path("command"));
        Duration stopTimeout = Duration.ofSeconds(worker.path("stopTimeout").asLong());

        assertThat(stopTimeout).isLessThanOrEqualTo(ECS_MAX_STOP_TIMEOUT)
                .isGreaterThan(shutdownGrace(flags).plus(WorkerDefaults.reportRetryBudget()));
        String journal = volumeAt(worker.path("mountPoints"), "sourceVolume", flags.get("--journal-dir"));
        assertThat(named(task.path("volumes"), journal).has("efsVolumeConfiguration"))
                .as("the journal outlives the task").isTrue();
        assertThat(volumeAt(worker.path("mountPoints"), "sourceVolume", "/tmp")).isNotEmpty();
        assertThat(worker.path("readonlyRootFilesystem").asBoolean()).isTrue();
        assertThat(worker.path("user").asText()).doesNotStartWith("0").isNotIn("", "root");
        assertThat(worker.path("linuxParameters").path("capabilities").path("drop").toString()).contains("\"ALL\"");
        assertThat(worker.path("portMappings").path(0).path("containerPort").asText())
                .isEqualTo(flags.get("--metrics-port"));
    }

    private static Duration shutdownGrace(Map<String, String> flags) {
        String seconds = flags.get("--shutdown-grace");
        return seconds == null ? WorkerDefaults.shutdownGrace() : Duration.ofSeconds(Long.parseLong(seconds));
    }

    /** {@code --flag value} pairs of a command line (the subcommand and switches without a value are left out). */
    private static Map<String, String> flags(JsonNode args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).asText().startsWith("--") && !args.get(i + 1).asText().startsWith("--")) {
                flags.put(args.get(i).asText(), args.get(i + 1).asText());
            }
        }
        assertThat(flags).containsKeys("--journal-dir", "--metrics-port");
        return flags;
    }

    private static JsonNode worker(JsonNode pod) {
        return named(pod.path("containers"), "worker");
    }

    private static JsonNode named(JsonNode list, String name) {
        for (JsonNode item : list) {
            if (item.path("name").asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError("nothing named " + name + " in " + list);
    }

    private static JsonNode volume(JsonNode pod, String name) {
        return named(pod.path("volumes"), name);
    }

    private static String mountPath(JsonNode mounts, String key, String value) {
        for (JsonNode mount : mounts) {
            if (mount.path(key).asText().equals(value)) {
                return mount.path("mountPath").asText();
            }
        }
        throw new AssertionError("no mount with " + key + " " + value + " in " + mounts);
    }

    private static String volumeAt(JsonNode mounts, String path) {
        return volumeAt(mounts, "name", path);
    }

    /** The volume mounted at {@code path}: Kubernetes names it {@code name} at mountPath, ECS sourceVolume at containerPath. */
    private static String volumeAt(JsonNode mounts, String key, String path) {
        for (JsonNode mount : mounts) {
            if (path.equals(mount.path("mountPath").asText(mount.path("containerPath").asText()))) {
                return mount.path(key).asText();
            }
        }
        throw new AssertionError("nothing mounted at " + path + " in " + mounts);
    }
}
