package dev.pipelineworker.s3;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.pipelineworker.s3.WireMockS3.KEY_ARN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.pipelineworker.ArtifactAccess;
import dev.pipelineworker.ArtifactAccess.CredentialsRefresher;
import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What goes over the wire: retries, error mapping, credential refresh and isolation, SSE headers, multipart. */
class S3ArtifactStoreWireMockTest {

    private static final String IN = "/artifacts/in.zip";
    private static final String OUT = "/artifacts/out.zip";
    private static final int MAX_ATTEMPTS = WireMockS3.MAX_ATTEMPTS;

    private static WireMockServer wireMock;
    private static S3ArtifactStoreFactory factory;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() {
        wireMock = new WireMockServer(options().dynamicPort());
        wireMock.start();
        factory = WireMockS3.factory(wireMock).build();
    }

    @AfterAll
    static void stop() {
        factory.close();
        wireMock.stop();
    }

    @BeforeEach
    void reset() {
        wireMock.resetAll();
    }

    @Test
    void serverErrorsAreRetriedBySdkAndThenSucceed() throws IOException {
        wireMock.stubFor(get(urlPathEqualTo(IN)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(error(500, "InternalError")).willSetStateTo("failed once"));
        wireMock.stubFor(get(urlPathEqualTo(IN)).inScenario("flaky").whenScenarioStateIs("failed once")
                .willReturn(aResponse().withStatus(200).withBody("content")));

        try (ArtifactStore store = open(null); InputStream in = store.openInput("src")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("content");
        }
        wireMock.verify(2, getRequestedFor(urlPathEqualTo(IN)));
    }

    @Test
    void slowDownIsRetriedBySdkAndThenSucceeds() throws IOException {
        wireMock.stubFor(put(urlPathEqualTo(OUT)).inScenario("throttled").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(error(503, "SlowDown")).willSetStateTo("throttled once"));
        wireMock.stubFor(put(urlPathEqualTo(OUT)).inScenario("throttled").whenScenarioStateIs("throttled once")
                .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"etag\"")));

        try (ArtifactStore store = open(null)) {
            store.writeOutput("out", bytes("payload"), 7);
        }
        wireMock.verify(2, putRequestedFor(urlPathEqualTo(OUT)));
    }

    @Test
    void persistentServerErrorsAreSystemUnavailable() throws IOException {
        wireMock.stubFor(get(urlPathEqualTo(IN)).willReturn(error(500, "InternalError")));

        try (ArtifactStore store = open(null)) {
            assertFailure(() -> store.openInput("src"), FailureType.SYSTEM_UNAVAILABLE)
                    .hasMessageContaining("input artifact 'src' (s3://artifacts/in.zip)")
                    .hasMessageContaining("InternalError");
        }
        wireMock.verify(MAX_ATTEMPTS, getRequestedFor(urlPathEqualTo(IN)));
    }

    @Test
    void persistentThrottlingIsSystemUnavailable() throws IOException {
        wireMock.stubFor(put(urlPathEqualTo(OUT)).willReturn(error(503, "SlowDown")));

        try (ArtifactStore store = open(null)) {
            assertFailure(() -> store.writeOutput("out", bytes("payload"), 7), FailureType.SYSTEM_UNAVAILABLE)
                    .hasMessageContaining("output artifact 'out' (s3://artifacts/out.zip)")
                    .hasMessageContaining("SlowDown");
        }
        wireMock.verify(MAX_ATTEMPTS, putRequestedFor(urlPathEqualTo(OUT)));
    }

    @Test
    void accessDeniedIsAPermissionErrorWithoutSecretsInTheMessage() throws IOException {
        wireMock.stubFor(get(urlPathEqualTo(IN)).willReturn(error(403, "AccessDenied")));

        try (ArtifactStore store = open(null)) {
            assertFailure(() -> store.openInput("src"), FailureType.PERMISSION_ERROR)
                    .hasMessageContaining("input artifact 'src' (s3://artifacts/in.zip): access denied")
                    .hasMessageNotContaining("AKIDOLD")
                    .hasMessageNotContaining("secret-of-")
                    .hasMessageNotContaining("token-of-");
        }
        wireMock.verify(1, getRequestedFor(urlPathEqualTo(IN)));
    }

    @Test
    void kmsPermissionErrorsArePermissionErrors() throws IOException {
        wireMock.stubFor(put(urlPathEqualTo(OUT)).willReturn(aResponse().withStatus(403).withBody(
                "<Error><Code>AccessDenied</Code><Message>User: arn:aws:sts::123456789012:assumed-role/r/AKIDOLD"
                        + "EXAMPLE1234 is not authorized to perform: kms:GenerateDataKey</Message></Error>")));

        try (ArtifactStore store = open(EncryptionKey.kms(KEY_ARN))) {
            assertFailure(() -> store.writeOutput("out", bytes("x"), 1), FailureType.PERMISSION_ERROR)
                    .hasMessageContaining("kms:GenerateDataKey");
        }
    }

    @Test
    void aDisabledKmsKeyIsAConfigurationError() throws IOException {
        wireMock.stubFor(put(urlPathEqualTo(OUT)).willReturn(error(400, "KMS.DisabledException")));

        try (ArtifactStore store = open(EncryptionKey.kms(KEY_ARN))) {
            assertFailure(() -> store.writeOutput("out", bytes("x"), 1), FailureType.CONFIGURATION_ERROR)
                    .hasMessageContaining("KMS key cannot be used");
        }
    }

    @Test
    void expiredCredentialsAreRefreshedOnceAndTheRetryIsSignedWithTheNewKey() throws IOException {
        wireMock.stubFor(get(urlPathEqualTo(IN)).withHeader("Authorization", containing("Credential=AKIDOLD/"))
                .willReturn(error(400, "ExpiredToken")));
        wireMock.stubFor(get(urlPathEqualTo(IN)).withHeader("Authorization", containing("Credential=AKIDNEW/"))
                .willReturn(aResponse().withStatus(200).withBody("fresh")));
        AtomicInteger refreshes = new AtomicInteger();

        try (ArtifactStore store = factory.open(Jobs.access("artifacts", "in.zip", "out.zip", null,
                Jobs.credentials("AKIDOLD"), countingRefresher(refreshes, "AKIDNEW")));
             InputStream in = store.openInput("src")) {
            assertThat(in.readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("fresh");
        }

        assertThat(refreshes).hasValue(1);
        List<LoggedRequest> requests = wireMock.findAll(getRequestedFor(urlPathEqualTo(IN)));
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).getHeader("Authorization")).contains("Credential=AKIDOLD/");
        assertThat(requests.get(1).getHeader("Authorization")).contains("Credential=AKIDNEW/");
        assertThat(requests.get(1).getHeader("X-Amz-Security-Token")).isEqualTo("token-of-AKIDNEW");
    }

    @Test
    void expiredCredentialsDuringAnUploadAreRefreshedToo() throws IOException {
        wireMock.stubFor(put(urlPathEqualTo(OUT)).withHeader("Authorization", containing("Credential=AKIDOLD/"))
                .willReturn(error(403, "TokenRefreshRequired")));
        wireMock.stubFor(put(urlPathEqualTo(OUT)).withHeader("Authorization", containing("Credential=AKIDNEW/"))
                .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"e\"")));
        AtomicInteger refreshes = new AtomicInteger();

        try (ArtifactStore store = factory.open(Jobs.access("artifacts", "in.zip", "out.zip", null,
                Jobs.credentials("AKIDOLD"), countingRefresher(refreshes, "AKIDNEW")))) {
            store.writeOutput("out", bytes("payload"), 7);
        }

        assertThat(refreshes).hasValue(1);
        wireMock.verify(1, putRequestedFor(urlPathEqualTo(OUT))
                .withHeader("Authorization", containing("Credential=AKIDNEW/")));
    }

    @Test
    void credentialsStillExpiredAfterOneRefreshAreAPermissionError() throws IOException {
        wireMock.stubFor(get(urlPathEqualTo(IN)).willReturn(error(400, "ExpiredToken")));
        AtomicInteger refreshes = new AtomicInteger();

        try (ArtifactStore store = factory.open(Jobs.access("artifacts", "in.zip", "out.zip", null,
                Jobs.credentials("AKIDOLD"), countingRefresher(refreshes, "AKIDNEW")))) {
            assertFailure(() -> store.openInput("src"), FailureType.PERMISSION_ERROR)
                    .hasMessageContaining("the artifact credentials have expired");
        }
        assertThat(refreshes).hasValue(1);
        wireMock.verify(2, getRequestedFor(urlPathEqualTo(IN)));
    }

    @Test
    void uploadsCarrySseKmsWithTheKeyArnAndDownloadsCarryNoSseHeaders() throws IOException {
        wireMock.stubFor(put(urlPathEqualTo(OUT)).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"e\"")));
        wireMock.stubFor(get(urlPathEqualTo(IN)).willReturn(aResponse().withStatus(200).withBody("in")));

        try (ArtifactStore store = open(EncryptionKey.kms(KEY_ARN))) {
            store.writeOutput("out", bytes("payload"), 7);
            store.downloadInput("src", temp.resolve("in.zip"));
        }

        wireMock.verify(1, putRequestedFor(urlPathEqualTo(OUT))
                .withHeader("x-amz-server-side-encryption", equalTo("aws:kms"))
                .withHeader("x-amz-server-side-encryption-aws-kms-key-id", equalTo(KEY_ARN)));
        assertNoSseHeaders(getRequestedFor(urlPathEqualTo(IN)));
    }

    @Test
    void uploadsWithoutAKeyAreSseKmsWithoutAKeyId() throws IOException {
        wireMock.stubFor(put(urlPathEqualTo(OUT)).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"e\"")));

        try (ArtifactStore store = open(null)) {
            store.writeOutput("out", bytes("payload"), 7);
        }

        wireMock.verify(1, putRequestedFor(urlPathEqualTo(OUT))
                .withHeader("x-amz-server-side-encryption", equalTo("aws:kms"))
                .withHeader("x-amz-server-side-encryption-aws-kms-key-id", absent()));
    }

    @Test
    void multipartUploadsSendSseKmsOnCreateOnly() throws IOException {
        stubMultipart(aResponse().withStatus(200).withHeader("ETag", "\"part\""));

        try (ArtifactStore store = open(EncryptionKey.kms(KEY_ARN))) {
            store.writeOutput("out", file(11L << 20));
        }

        wireMock.verify(1, postRequestedFor(urlPathEqualTo(OUT)).withQueryParam("uploads", matching(".*"))
                .withHeader("x-amz-server-side-encryption", equalTo("aws:kms"))
                .withHeader("x-amz-server-side-encryption-aws-kms-key-id", equalTo(KEY_ARN)));
        wireMock.verify(3, putRequestedFor(urlPathEqualTo(OUT)).withQueryParam("uploadId", equalTo("upload-1")));
        assertNoSseHeaders(putRequestedFor(urlPathEqualTo(OUT)));
        wireMock.verify(1, postRequestedFor(urlPathEqualTo(OUT)).withQueryParam("uploadId", equalTo("upload-1")));
        wireMock.verify(0, deleteRequestedFor(urlPathEqualTo(OUT)));
    }

    @Test
    void aFailedMultipartUploadIsAbortedAndThrows() throws IOException {
        stubMultipart(aResponse().withStatus(403).withBody(
                "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"));

        try (ArtifactStore store = open(EncryptionKey.kms(KEY_ARN))) {
            Path big = file(11L << 20);
            assertFailure(() -> store.writeOutput("out", big), FailureType.PERMISSION_ERROR)
                    .hasMessageContaining("output artifact 'out'");
        }

        // The SDK sends the abort without waiting for it before failing the upload.
        await("the multipart upload aborted").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> !wireMock.findAll(deleteRequestedFor(urlPathEqualTo(OUT))
                        .withQueryParam("uploadId", equalTo("upload-1"))).isEmpty());
        wireMock.verify(1, deleteRequestedFor(urlPathEqualTo(OUT)).withQueryParam("uploadId", equalTo("upload-1")));
        wireMock.verify(0, postRequestedFor(urlPathEqualTo(OUT)).withQueryParam("uploadId", equalTo("upload-1")));
    }

    @Test
    void aStreamAnnouncedEmptyThatHoldsBytesIsRefusedAndNothingIsWritten() throws IOException {
        try (ArtifactStore store = open(null)) {
            assertThatThrownBy(() -> store.writeOutput("out", bytes("x"), 0))
                    .isInstanceOf(IOException.class)
                    .hasMessage("output artifact 'out': the stream held 1 bytes, but 0 were announced");
        }

        assertThat(wireMock.getAllServeEvents()).as("no PutObject, and no abort or delete").isEmpty();
    }

    @Test
    void aJobWithoutArtifactsOfAKindSaysSoWhenOneIsAskedFor() throws IOException {
        try (ArtifactStore store = factory.open(ArtifactAccess.builder("job-2")
                .credentials(Jobs.credentials("AKIDNONE")).refresher(Jobs.NO_REFRESH).build())) {
            assertFailure(() -> store.openInput("src"), FailureType.CONFIGURATION_ERROR)
                    .hasMessage("Job job-2 has no input artifact named 'src' (its input artifacts: none)");
            assertFailure(() -> store.writeOutput("out", bytes("x"), 1), FailureType.CONFIGURATION_ERROR)
                    .hasMessage("Job job-2 has no output artifact named 'out' (its output artifacts: none)");
        }
    }

    @Test
    void eachJobsRequestsAreSignedWithThatJobsCredentialsOnly() throws Exception {
        wireMock.stubFor(get(urlPathEqualTo("/artifacts/one.zip")).willReturn(aResponse().withBody("1")));
        wireMock.stubFor(get(urlPathEqualTo("/artifacts/two.zip")).willReturn(aResponse().withBody("2")));
        int rounds = 10;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (ArtifactStore one = factory.open(Jobs.access("artifacts", "one.zip", "o1", null,
                     Jobs.credentials("AKIDJOBONE"), Jobs.NO_REFRESH));
             ArtifactStore two = factory.open(Jobs.access("artifacts", "two.zip", "o2", null,
                     Jobs.credentials("AKIDJOBTWO"), Jobs.NO_REFRESH))) {
            List<Future<String>> reads = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                reads.add(pool.submit(read(one)));
                reads.add(pool.submit(read(two)));
            }
            for (Future<String> r : reads) {
                assertThat(r.get()).isIn("1", "2");
            }
        } finally {
            pool.shutdownNow();
        }

        assertSignedOnlyBy("/artifacts/one.zip", "AKIDJOBONE", rounds);
        assertSignedOnlyBy("/artifacts/two.zip", "AKIDJOBTWO", rounds);
    }

    private static void assertSignedOnlyBy(String path, String accessKeyId, int count) {
        List<LoggedRequest> requests = wireMock.findAll(getRequestedFor(urlPathEqualTo(path)));
        assertThat(requests).hasSize(count).allSatisfy(r -> {
            assertThat(r.getHeader("Authorization")).contains("Credential=" + accessKeyId + "/");
            assertThat(r.getHeader("X-Amz-Security-Token")).isEqualTo("token-of-" + accessKeyId);
        });
    }

    private static Callable<String> read(ArtifactStore store) {
        return () -> {
            try (InputStream in = store.openInput("src")) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        };
    }

    private static void stubMultipart(ResponseDefinitionBuilder partResponse) {
        WireMockS3.stubMultipart(wireMock, OUT, partResponse);
    }

    private static void assertNoSseHeaders(RequestPatternBuilder requests) {
        List<LoggedRequest> found = wireMock.findAll(requests);
        assertThat(found).isNotEmpty().allSatisfy(r -> assertThat(r.getHeaders().keys())
                .noneMatch(h -> h.toLowerCase().startsWith("x-amz-server-side-encryption")));
    }

    private static CredentialsRefresher countingRefresher(AtomicInteger count, String newAccessKeyId) {
        return () -> {
            count.incrementAndGet();
            return Jobs.credentials(newAccessKeyId);
        };
    }

    private static ResponseDefinitionBuilder error(int status, String code) {
        return WireMockS3.error(status, code);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertFailure(ThrowingCallable call,
                                                                                FailureType type) {
        return assertThatThrownBy(call).isInstanceOf(JobFailureException.class)
                .satisfies(e -> assertThat(((JobFailureException) e).type()).isEqualTo(type));
    }

    private ArtifactStore open(EncryptionKey key) {
        return factory.open(Jobs.access("artifacts", "in.zip", "out.zip", key, Jobs.credentials("AKIDOLD"),
                Jobs.NO_REFRESH));
    }

    private Path file(long size) throws IOException {
        Path file = temp.resolve("big.bin");
        Files.write(file, new byte[(int) size]);
        return file;
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
