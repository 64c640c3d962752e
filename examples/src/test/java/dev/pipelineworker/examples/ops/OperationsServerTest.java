package dev.pipelineworker.examples.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.QueueHealth;
import dev.pipelineworker.WorkerHealth;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.regions.Region;

/** The endpoints over real HTTP on a free port, answering from health snapshots and a metrics text the test sets. */
class OperationsServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JobQueue EAST = JobQueue.of(ActionTypeId.thirdParty(ActionCategory.BUILD, "Manifest", "1"),
            Region.US_EAST_1);
    private static final JobQueue WEST = JobQueue.of(EAST.actionType(), Region.EU_WEST_1);
    private static final Instant POLLED = Instant.parse("2025-06-01T12:00:00.123Z");

    private final AtomicReference<WorkerHealth> health = new AtomicReference<>(health(WorkerHealth.State.STARTING));
    private final AtomicReference<String> metrics = new AtomicReference<>("# metrics\n");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private OperationsServer server;

    @BeforeEach
    void start() throws IOException {
        server = OperationsServer.start(0, health::get, metrics::get);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static WorkerHealth health(WorkerHealth.State state) {
        return new WorkerHealth(state, List.of(
                new QueueHealth(EAST, Optional.of(POLLED), 0, Optional.empty()),
                new QueueHealth(WEST, Optional.empty(), 3, Optional.of(QueueHealth.PollFailure.ACTION_TYPE_NOT_FOUND))),
                2, 6, 2, 3);
    }

    private HttpResponse<String> request(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest(name = "{0}: ready {1}, live {2}")
    @CsvSource({"STARTING, 503, 200", "READY, 200, 200", "DRAINING, 503, 200", "STOPPED, 503, 503"})
    void readinessAndLivenessFollowTheWorkersState(WorkerHealth.State state, int ready, int live) throws Exception {
        health.set(health(state));

        assertThat(request("GET", "/health/ready").statusCode()).isEqualTo(ready);
        assertThat(request("GET", "/health/live").statusCode()).isEqualTo(live);
    }

    @Test
    void theHealthBodyIsTheSnapshotAsJson() throws Exception {
        health.set(health(WorkerHealth.State.READY));

        HttpResponse<String> response = request("GET", "/health/ready");

        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("state").asText()).isEqualTo("ready");
        assertThat(body.path("ready").asBoolean()).isTrue();
        assertThat(body.path("live").asBoolean()).isTrue();
        assertThat(body.path("slotsInUse").asInt()).isEqualTo(2);
        assertThat(body.path("slotsFree").asInt()).isEqualTo(6);
        assertThat(body.path("jobsInFlight").asInt()).isEqualTo(2);
        assertThat(body.path("journalBacklog").asInt()).isEqualTo(3);
        JsonNode east = body.path("queues").get(0);
        assertThat(east.path("queue").asText()).isEqualTo("ThirdParty/Build/Manifest/1@us-east-1");
        assertThat(east.path("lastSuccessfulPoll").asText()).isEqualTo("2025-06-01T12:00:00.123Z");
        assertThat(east.path("consecutiveFailures").asInt()).isZero();
        assertThat(east.path("lastFailure").isNull()).isTrue();
        JsonNode west = body.path("queues").get(1);
        assertThat(west.path("queue").asText()).isEqualTo("ThirdParty/Build/Manifest/1@eu-west-1");
        assertThat(west.path("lastSuccessfulPoll").isNull()).isTrue();
        assertThat(west.path("consecutiveFailures").asInt()).isEqualTo(3);
        assertThat(west.path("lastFailure").asText()).isEqualTo("action_type_not_found");
    }

    @Test
    void eachRequestReadsAFreshSnapshot() throws Exception {
        assertThat(request("GET", "/health/ready").statusCode()).isEqualTo(503);

        health.set(health(WorkerHealth.State.READY));

        assertThat(request("GET", "/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsAreServedAsPrometheusText() throws Exception {
        metrics.set("# TYPE up gauge\nup 1.0\n");

        HttpResponse<String> response = request("GET", "/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).isEqualTo("# TYPE up gauge\nup 1.0\n");
    }

    @Test
    void headAnswersWithoutABody() throws Exception {
        health.set(health(WorkerHealth.State.READY));

        HttpResponse<String> response = request("HEAD", "/health/ready");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void otherMethodsAndPathsAreRefused() throws Exception {
        HttpResponse<String> post = request("POST", "/metrics");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");

        assertThat(request("GET", "/").statusCode()).isEqualTo(404);
        assertThat(request("GET", "/health").statusCode()).isEqualTo(404);
        assertThat(request("GET", "/metrics/extra").statusCode()).isEqualTo(404);
    }

    @Test
    void aFailingSourceIsA500NotADroppedConnection() throws Exception {
        metrics.set(null); // the route's getBytes throws

        HttpResponse<String> response = request("GET", "/metrics");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(request("GET", "/health/live").statusCode()).as("the server goes on").isEqualTo(200);
    }

    @Test
    void closedItNoLongerAnswers() {
        server.close();

        assertThatThrownBy(() -> request("GET", "/health/live")).isInstanceOf(IOException.class);
    }
}
