package dev.pipelineworker.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.TestClock;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Whatever a client sends, the emulator answers as the service would: a 200 with a JSON object, or a 4xx whose
 * JSON names the error in {@code __type} (what the SDK's JSON 1.1 error reader looks for), or STS's XML for the
 * query protocol; never a 5xx, a dropped connection or no answer; and it goes on serving.
 *
 * <p>An input is one request, written as three header lines and the body: the {@code X-Amz-Target}, the
 * {@code Authorization} (whose SigV4 credential scope picks the region) and the {@code Content-Type} (an empty line
 * leaves the header out), then the body's bytes. The checked-in corpus holds two or more requests of every operation
 * in the shape the SDK writes them, signed for several regions, and the STS calls and refusals. Header values keep
 * only what an HTTP header can carry (printable ASCII).
 */
class LocalCodePipelineRequestFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ActionTypeId THIRD_PARTY = ActionTypeId.thirdParty(ActionCategory.BUILD, "AcmeBuild", "1");
    private static final ActionTypeId CUSTOM = ActionTypeId.custom(ActionCategory.DEPLOY, "AcmeDeploy", "2");
    /** Calls between resets: the emulator records every call, and a long run must not fill the heap with them. */
    private static final int CALLS_BETWEEN_RESETS = 512;

    private static LocalCodePipeline emulator;
    private static HttpClient http;
    private static int calls;

    @BeforeAll
    static void start() {
        emulator = LocalCodePipeline.builder()
                .clock(new TestClock(Instant.parse("2030-01-01T00:00:00Z")))
                .random(new Random(20))
                .client("0f6c7a4e-3b1d-4c2a-9e8f-7a6b5c4d3e2f", "integrator-secret-token")
                .actionType(THIRD_PARTY)
                .actionType(CUSTOM)
                .continuationDelay(Duration.ZERO)
                .build()
                .start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        enqueueJobs();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @FuzzTest(maxDuration = "10s")
    void anyRequestGetsAnAnswerTheSdkReads(byte[] input) throws IOException, InterruptedException {
        if (++calls % CALLS_BETWEEN_RESETS == 0) {
            emulator.reset();
            enqueueJobs();
        }
        HttpResponse<byte[]> response = http.send(request(input), HttpResponse.BodyHandlers.ofByteArray());

        String answer = new String(response.body(), StandardCharsets.UTF_8);
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        assertThat(response.statusCode()).as(answer).satisfiesAnyOf(
                status -> assertThat(status).isEqualTo(200),
                status -> assertThat(status).isBetween(400, 499));
        if (contentType.equals("text/xml")) {
            assertThat(answer).as("an STS answer").containsAnyOf("<GetCallerIdentityResult>", "<Code>InvalidAction</Code>");
        } else {
            assertThat(contentType).isEqualTo("application/x-amz-json-1.1");
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.isObject()).as(answer).isTrue();
            if (response.statusCode() != 200) {
                assertThat(body.path("__type").asText()).as(answer).isNotBlank();
                assertThat(body.path("message").isTextual()).as(answer).isTrue();
            }
        }
        assertStillServing();
    }

    private static void assertStillServing() throws IOException, InterruptedException {
        HttpResponse<String> listed = http.send(RawRequests.post(emulator.endpoint(),
                "CodePipeline_20150709.ListActionTypes", null, "application/x-amz-json-1.1", "{}".getBytes(StandardCharsets.UTF_8)), HttpResponse.BodyHandlers.ofString());
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
    }

    private static void enqueueJobs() {
        emulator.enqueue(JobSpec.builder(THIRD_PARTY).configuration("ProjectName", "acme").build());
        emulator.enqueue(JobSpec.builder(CUSTOM).inputArtifact("SourceOutput", "bucket", "key").build());
    }

    /** The request an input stands for: three header lines, then the body. */
    private static HttpRequest request(byte[] input) {
        int[] at = {0};
        String target = headerLine(input, at);
        String authorization = headerLine(input, at);
        String contentType = headerLine(input, at);
        return RawRequests.post(emulator.endpoint(), target, authorization, contentType,
                Arrays.copyOfRange(input, at[0], input.length));
    }

    /** The next line from {@code at}, as a header value (null when empty), moving {@code at} past it. */
    private static String headerLine(byte[] input, int[] at) {
        int start = at[0];
        int end = start;
        while (end < input.length && input[end] != '\n') {
            end++;
        }
        at[0] = Math.min(end + 1, input.length);
        StringBuilder value = new StringBuilder();
        for (int i = start; i < end; i++) {
            char c = (char) (input[i] & 0xff);
            if (c >= 0x20 && c < 0x7f) {
                value.append(c);
            }
        }
        String header = value.toString().strip();
        return header.isEmpty() ? null : header;
    }
}
